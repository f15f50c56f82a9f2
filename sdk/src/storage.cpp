#include "schedcp/sdk/storage.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <thread>

#include "schedcp/sdk/error.hpp"

namespace schedcp::sdk::storage {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& p, int err) {
    throw Unavailable(what + " " + p.string() + ": " + std::strerror(err));
}

void write_all(int fd, std::string_view data, const fs::path& p) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write", p, errno);
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

void fsync_dir(const fs::path& dir) {
    int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d < 0) fail("cannot open directory", dir, errno);
    int rc = ::fsync(d);
    int e = errno;
    ::close(d);
    if (rc != 0) fail("cannot fsync directory", dir, e);
}

}  // namespace

void atomic_write(const fs::path& path, std::string_view content, unsigned mode) {
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    std::string tmpl = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
    int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
    if (fd < 0) fail("cannot create a temporary file in", dir, errno);
    try {
        if (::fchmod(fd, mode) != 0) fail("cannot set permissions on", tmpl, errno);
        write_all(fd, content, tmpl);
        if (::fsync(fd) != 0) fail("cannot fsync", tmpl, errno);
    } catch (...) {
        ::close(fd);
        ::unlink(tmpl.c_str());
        throw;
    }
    if (::close(fd) != 0) {
        int e = errno;
        ::unlink(tmpl.c_str());
        fail("cannot close", tmpl, e);
    }
    if (::rename(tmpl.c_str(), path.c_str()) != 0) {
        int e = errno;
        ::unlink(tmpl.c_str());
        fail("cannot replace", path, e);
    }
    fsync_dir(dir);
}

std::optional<std::string> read_file(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        if (errno == ELOOP)
            throw Unavailable(path.string() + " is a symbolic link; refusing to follow it");
        fail("cannot read", path, errno);
    }
    std::string out;
    char buf[65536];
    while (true) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            ::close(fd);
            fail("cannot read", path, e);
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

FileLock::FileLock(const fs::path& path, bool exclusive, std::chrono::milliseconds timeout) {
    fs::path lock = path;
    lock += ".lock";
    fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0 && (errno == EACCES || errno == EROFS) && !exclusive) {
        // A reader of a store it may not write: flock works on a read-only descriptor.
        fd_ = ::open(lock.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        // No lock file we may open: read without one. Writers replace the file by rename,
        // so a reader sees the old file or the new one, whole; the lock only orders
        // read-modify-write cycles, which a reader that may not write never starts.
        if (fd_ < 0 && (errno == ENOENT || errno == EACCES)) return;
    }
    if (fd_ < 0) fail("cannot open lock file", lock, errno);
    // flock(2) has no timed wait, and the ways to bound a blocking one are worse than a
    // short poll: a signal to interrupt it (process-wide, and the host's threads are not
    // ours to signal), or a thread blocked in flock that cannot be cancelled and would hold
    // the lock after the caller gave up. Locks are held for one read-modify-write of a small
    // file, so contention is rare and short; retrying every 5 ms costs nothing when free.
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (::flock(fd_, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            int e = errno;
            ::close(fd_);
            fail("cannot lock", lock, e);
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::close(fd_);
            throw Timeout("timed out after " + std::to_string(timeout.count()) +
                          " ms waiting for the lock on " + lock.string() +
                          " (another schedcp process holds it)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

FileLock::~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

fs::path quarantine(const fs::path& path) {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    for (int i = 0; i < 1000; ++i) {
        fs::path target = path;
        target += std::string(".corrupt-") + stamp + (i ? "-" + std::to_string(i) : "");
        // link + unlink never overwrites an existing name (rename would).
        if (::link(path.c_str(), target.c_str()) == 0) {
            ::unlink(path.c_str());
            fsync_dir(path.parent_path());
            return target;
        }
        if (errno != EEXIST) fail("cannot move aside", path, errno);
    }
    throw Unavailable("cannot find a free name to move " + path.string() + " aside");
}

}  // namespace schedcp::sdk::storage
