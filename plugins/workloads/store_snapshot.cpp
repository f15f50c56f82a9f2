#include "store_snapshot.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace schedcp::plugins::workloads {

namespace {

// Whatever can change what the store's name holds, and the directory going away.
constexpr std::uint32_t kDirEvents = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                                     IN_ATTRIB | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE_SELF |
                                     IN_MOVE_SELF | IN_ONLYDIR;

std::int64_t ns(const timespec& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

}  // namespace

StoreSnapshot::StoreSnapshot(std::filesystem::path file)
    : file_(std::move(file)), name_(file_.filename().string()) {
    inotify_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    std::lock_guard lock(mutex_);
    watch();
}

StoreSnapshot::~StoreSnapshot() {
    if (inotify_ >= 0) ::close(inotify_);
}

std::optional<StoreSnapshot::Identity> StoreSnapshot::identity_of(
    const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return std::nullopt;
    return Identity{.device = st.st_dev,
                    .inode = st.st_ino,
                    .size = st.st_size,
                    .modified_ns = ns(st.st_mtim),
                    .changed_ns = ns(st.st_ctim)};
}

void StoreSnapshot::forget() {
    content_.reset();
    identity_.reset();
    ++generation_;
}

std::filesystem::path StoreSnapshot::dir() const {
    return file_.has_parent_path() ? file_.parent_path() : ".";
}

void StoreSnapshot::unwatch() {
    if (watch_ >= 0) ::inotify_rm_watch(inotify_, watch_);
    watch_ = -1;
    watched_dir_.reset();
}

void StoreSnapshot::watch() {
    if (inotify_ < 0) return;
    if (watch_ >= 0) {
        if (identity_of(dir()) == watched_dir_) return;
        unwatch();  // the path's directory is another one now (it or a parent was moved)
        forget();
    }
    // The same directory before and after: the watch is on the one at the path.
    const auto before = identity_of(dir());
    watch_ = ::inotify_add_watch(inotify_, dir().c_str(), kDirEvents);
    if (watch_ < 0) return;
    watched_dir_ = identity_of(dir());
    if (!before || watched_dir_ != before) unwatch();
}

void StoreSnapshot::drain_changes() {
    if (inotify_ < 0) return;
    alignas(inotify_event) char buf[4096];
    for (;;) {
        const ssize_t n = ::read(inotify_, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // EAGAIN: nothing more was reported
        for (ssize_t at = 0; at < n;) {
            const auto* ev = reinterpret_cast<const inotify_event*>(buf + at);
            at += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
            if ((ev->mask & IN_IGNORED) && ev->wd == watch_) {  // the directory was removed
                watch_ = -1;
                watched_dir_.reset();
            }
            if (ev->mask & IN_MOVE_SELF) unwatch();  // it would follow the directory
            // An event about another file of the directory (the lock file, a writer's
            // temporary file) changes nothing; anything else may have.
            if (ev->len > 0 && !(ev->mask & IN_Q_OVERFLOW) &&
                std::strcmp(ev->name, name_.c_str()) != 0)
                continue;
            forget();
        }
    }
}

StoreSnapshot::Ticket StoreSnapshot::begin_load() {
    std::lock_guard lock(mutex_);
    watch();
    drain_changes();
    return Ticket{.generation = generation_, .identity = identity_of(file_)};
}

void StoreSnapshot::keep(const Ticket& ticket, std::shared_ptr<const boost::json::object> content) {
    std::lock_guard lock(mutex_);
    drain_changes();
    watch();  // checks that the watched directory is still the path's
    // Unwatched, a change could go unreported: keep nothing.
    if (watch_ < 0 || ticket.generation != generation_ || !ticket.identity) return;
    content_ = std::move(content);
    identity_ = ticket.identity;
}

std::shared_ptr<const boost::json::object> StoreSnapshot::current() {
    std::lock_guard lock(mutex_);
    drain_changes();
    if (!content_ || watch_ < 0) return nullptr;
    if (identity_of(file_) != identity_) {
        forget();
        return nullptr;
    }
    return content_;
}

}  // namespace schedcp::plugins::workloads
