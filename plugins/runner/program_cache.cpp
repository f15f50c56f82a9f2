#include "program_cache.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "schedcp/sdk/system.hpp"

namespace schedcp::plugins::runner {

namespace fs = std::filesystem;

namespace {

// Whatever can change which program a directory holds under a name.
constexpr std::uint32_t kDirEvents = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                                     IN_ATTRIB | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF |
                                     IN_ONLYDIR;

std::vector<fs::path> search_dirs(const std::vector<fs::path>& dirs) {
    std::vector<fs::path> out;
    for (const auto& d : dirs) out.push_back(sdk::system::expand_home(d));
    const char* path = std::getenv("PATH");
    std::string_view rest = path ? path : "/usr/local/bin:/usr/bin:/bin";
    while (true) {
        auto colon = rest.find(':');
        std::string_view dir = rest.substr(0, colon);
        // As find_executable: an empty or relative entry is never searched as root.
        if (!dir.empty() && dir.front() == '/') out.emplace_back(std::string(dir));
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
    }
    return out;
}

}  // namespace

ProgramCache::ProgramCache(const std::vector<fs::path>& dirs) {
    for (auto& d : search_dirs(dirs)) dirs_.push_back({.path = std::move(d)});
    inotify_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
}

void ProgramCache::watch_in_background(std::function<void(std::function<void()>)> run) {
    std::lock_guard lock(mutex_);
    background_ = std::move(run);
}

void ProgramCache::watch() {
    std::vector<std::pair<std::size_t, fs::path>> unwatched;
    {
        std::lock_guard lock(mutex_);
        if (inotify_ < 0) return;
        for (std::size_t i = 0; i < dirs_.size(); ++i)
            if (dirs_[i].watch < 0) unwatched.emplace_back(i, dirs_[i].path);
    }
    // The slow part, without the lock: finds go on (uncached) meanwhile.
    std::vector<std::pair<int, int>> added;  // inotify_add_watch's answer, its errno
    for (const auto& [index, path] : unwatched) {
        const int wd = ::inotify_add_watch(inotify_, path.c_str(), kDirEvents);
        added.emplace_back(wd, wd < 0 ? errno : 0);
    }
    std::lock_guard lock(mutex_);
    blind_ = false;
    for (std::size_t i = 0; i < unwatched.size(); ++i)
        record(dirs_[unwatched[i].first], added[i].first, added[i].second);
    watched_ = true;
}

std::size_t ProgramCache::kept_answers() {
    std::lock_guard lock(mutex_);
    return answers_.size();
}

ProgramCache::~ProgramCache() {
    if (inotify_ >= 0) ::close(inotify_);
}

void ProgramCache::record(Dir& d, int watch, int error) {
    if (watch >= 0) {
        if (d.watch < 0) answers_.clear();  // it appeared: what it holds is new
        d.watch = watch;
    } else if (error != ENOENT && error != ENOTDIR) {
        blind_ = true;  // it exists but cannot be watched (permissions, watch limit)
        answers_.clear();
    }
}

void ProgramCache::watch_missing() {
    // On every find(): no allocation, a failing inotify_add_watch per missing directory.
    if (inotify_ < 0) return;
    blind_ = false;
    for (auto& d : dirs_) {
        if (d.watch >= 0) continue;
        const int wd = ::inotify_add_watch(inotify_, d.path.c_str(), kDirEvents);
        record(d, wd, wd < 0 ? errno : 0);
    }
}

void ProgramCache::drop_if_changed() {
    alignas(inotify_event) char buf[4096];
    while (true) {
        ssize_t n = ::read(inotify_, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // EAGAIN: nothing changed
        answers_.clear();
        for (ssize_t at = 0; at < n;) {
            const auto* ev = reinterpret_cast<const inotify_event*>(buf + at);
            if (ev->mask & IN_IGNORED)  // the directory went away (or was moved)
                for (auto& d : dirs_)
                    if (d.watch == ev->wd) d.watch = -1;
            if (ev->mask & IN_Q_OVERFLOW) answers_.clear();
            at += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
        }
    }
    watch_missing();
}

std::optional<fs::path> ProgramCache::search(std::string_view name) const {
    // The directories are copied only here, on a miss: a hit (the usual call) copied every
    // path of the search list, with its components, for nothing.
    std::vector<fs::path> dirs;
    dirs.reserve(dirs_.size());
    for (const auto& d : dirs_) dirs.push_back(d.path);
    return sdk::system::find_executable(name, dirs, false);
}

bool ProgramCache::through_symlink(std::string_view name,
                                   const std::optional<fs::path>& found) const {
    std::error_code ec;
    if (found) return fs::is_symlink(*found, ec);
    for (const auto& d : dirs_)
        if (fs::is_symlink(d.path / std::string(name), ec)) return true;
    return false;
}

std::optional<fs::path> ProgramCache::find(std::string_view name) {
    std::lock_guard lock(mutex_);
    if (inotify_ < 0) return search(name);
    if (!watched_) {
        if (!background_) {
            watch_missing();  // no worker: here and now
            watched_ = true;
        } else {
            if (!watch_requested_) background_([this] { watch(); });
            watch_requested_ = true;
            return search(name);  // until the watches are in place
        }
    }
    drop_if_changed();
    if (auto it = answers_.find(name); it != answers_.end()) return it->second;
    auto found = search(name);
    // Only answers inotify covers are kept. A missing directory holds nothing, and its
    // appearance is noticed by watch_missing() on the next call.
    if (!blind_ && !through_symlink(name, found)) answers_.emplace(std::string(name), found);
    return found;
}

}  // namespace schedcp::plugins::runner
