#include "registry.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "names.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/storage.hpp"

namespace schedcp::plugins::compiler {

namespace bj = boost::json;
namespace fs = std::filesystem;

namespace {

// The compiled object: our private copy (object_handoff.hpp); a symlink is still refused.
std::string read_whole(const fs::path& p) {
    int fd = ::open(p.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        throw sdk::Internal("cannot read the compiled object " + p.string() + ": " +
                            std::strerror(errno));
    std::string all;
    char buf[1 << 16];
    while (true) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int e = errno;
            ::close(fd);
            if (n < 0)
                throw sdk::Internal("cannot read the compiled object " + p.string() + ": " +
                                    std::strerror(e));
            return all;
        }
        all.append(buf, static_cast<std::size_t>(n));
    }
}

[[noreturn]] void fail(const std::string& what, const fs::path& p, int e) {
    throw sdk::Unavailable(what + " " + p.string() + ": " + std::strerror(e));
}

// An open directory that is really a directory, not a symlink to one (someone may have
// planted a symlink to make us write elsewhere as root).
class DirFd {
  public:
    DirFd(int at, const fs::path& shown, const char* name) {
        fd_ = ::openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd_ < 0 && (errno == ELOOP || errno == ENOTDIR))
            throw sdk::Unavailable("refusing to store a scheduler in " + shown.string() +
                                   ": it is a symbolic link or not a directory (remove it)");
        if (fd_ < 0) fail("cannot open", shown, errno);
    }
    ~DirFd() { ::close(fd_); }
    DirFd(const DirFd&) = delete;
    DirFd& operator=(const DirFd&) = delete;
    int get() const { return fd_; }

  private:
    int fd_;
};

// atomic_write relative to an open directory, never following a symlink: a temp file
// created O_EXCL|O_NOFOLLOW, written, fsync'd, renamed over `name`, the directory fsync'd.
void write_in(const DirFd& dir, const fs::path& shown_dir, const std::string& name,
              std::string_view content) {
    const fs::path shown = shown_dir / name;
    struct stat st {};
    if (::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode))
        throw sdk::Unavailable("refusing to write " + shown.string() +
                               ": it is a symbolic link or not a regular file (remove it)");
    const std::string tmp = "." + name + ".tmp-" + std::to_string(::getpid());
    ::unlinkat(dir.get(), tmp.c_str(), 0);
    int fd = ::openat(dir.get(), tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      0600);
    if (fd < 0) fail("cannot create", shown_dir / tmp, errno);
    std::string_view left = content;
    while (!left.empty()) {
        ssize_t n = ::write(fd, left.data(), left.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int e = errno;
            ::close(fd);
            ::unlinkat(dir.get(), tmp.c_str(), 0);
            fail("cannot write", shown, e);
        }
        left.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        int e = errno;
        ::unlinkat(dir.get(), tmp.c_str(), 0);
        fail("cannot write", shown, e);
    }
    if (::renameat(dir.get(), tmp.c_str(), dir.get(), name.c_str()) != 0) {
        int e = errno;
        ::unlinkat(dir.get(), tmp.c_str(), 0);
        fail("cannot replace", shown, e);
    }
    ::fsync(dir.get());
}

}  // namespace

StoredScheduler Registry::store(const std::string& name, std::string_view source,
                                const fs::path& built_object, bj::object metadata) const {
    check_name(name);  // the name becomes a directory: checked here too, whoever calls
    StoredScheduler s;
    s.name = name;
    s.dir = root_ / name;
    s.source = s.dir / (name + ".bpf.c");
    s.object = s.dir / (name + ".bpf.o");
    std::error_code ec;
    fs::create_directories(root_, ec);
    if (ec) throw sdk::Unavailable("cannot create " + root_.string() + ": " + ec.message());
    DirFd root(AT_FDCWD, root_, root_.c_str());
    if (::mkdirat(root.get(), name.c_str(), 0700) != 0 && errno != EEXIST)
        fail("cannot create", s.dir, errno);
    DirFd dir(root.get(), s.dir, name.c_str());
    ::fchmod(dir.get(), 0700);
    std::string object = read_whole(built_object);
    metadata["source_file"] = s.source.string();
    metadata["object_file"] = s.object.string();
    if (auto* origin = metadata.if_contains("origin"); origin && origin->is_object())
        origin->as_object()["path"] = s.source.string();
    s.metadata = std::move(metadata);
    sdk::storage::FileLock lock(s.dir / "metadata.json", true);
    write_in(dir, s.dir, name + ".bpf.c", source);
    write_in(dir, s.dir, name + ".bpf.o", object);
    write_in(dir, s.dir, "metadata.json", sdk::json::pretty(s.metadata) + "\n");
    return s;
}

std::vector<StoredScheduler> Registry::load_all(std::vector<std::string>& problems) const {
    std::vector<StoredScheduler> out;
    std::error_code ec;
    if (!fs::is_directory(root_, ec)) return out;
    for (const auto& d : fs::directory_iterator(root_, ec)) {
        if (!d.is_directory(ec) || d.is_symlink(ec)) continue;
        const std::string name = d.path().filename().string();
        try {
            check_name(name);
        } catch (const sdk::Error&) {
            problems.push_back(d.path().string() + ": not a scheduler name, ignored");
            continue;
        }
        StoredScheduler s;
        s.name = name;
        s.dir = d.path();
        s.source = s.dir / (name + ".bpf.c");
        s.object = s.dir / (name + ".bpf.o");
        try {
            sdk::storage::FileLock lock(s.dir / "metadata.json", false);
            auto text = sdk::storage::read_file(s.dir / "metadata.json");
            if (!text) {
                problems.push_back(name + ": no metadata.json (an interrupted store), ignored");
                continue;
            }
            boost::system::error_code jec;
            bj::value v = bj::parse(*text, jec);
            if (jec || !v.is_object()) {
                problems.push_back(name + ": metadata.json is not a JSON object, ignored");
                continue;
            }
            s.metadata = v.as_object();
        } catch (const sdk::Error& e) {
            problems.push_back(name + ": " + e.what());
            continue;
        }
        if (!fs::is_regular_file(s.object, ec)) {
            problems.push_back(name + ": its object " + s.object.string() + " is missing, ignored");
            continue;
        }
        out.push_back(std::move(s));
    }
    return out;
}

sdk::services::SchedulerEntry catalog_entry(const StoredScheduler& s, const fs::path& loader) {
    sdk::services::SchedulerEntry e;
    e.name = s.name;
    e.custom = true;
    e.production_ready = false;
    e.metadata = s.metadata;
    e.metadata["name"] = s.name;
    e.metadata["custom"] = true;
    e.metadata["production_ready"] = false;
    e.launch = {loader.string(), s.object.string()};
    return e;
}

}  // namespace schedcp::plugins::compiler
