#include "trust.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace schedcp::guard {

namespace {

std::string errno_text(int e) {
    return std::strerror(e);
}

bool trusted_owner(uid_t uid) {
    return uid == 0 || uid == ::geteuid();
}

// Owner and mode of one path component (a directory) or of the file itself.
void check_stat(const struct stat& st, const std::string& path, bool directory) {
    if (!trusted_owner(st.st_uid))
        throw Refusal(printable(path) + " is owned by uid " + std::to_string(st.st_uid) +
                      ", not by root: not trusted");
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) == 0) return;
    if (directory && (st.st_mode & S_ISVTX) && st.st_uid == 0) return;  // like /tmp
    throw Refusal(printable(path) + " is writable by " +
                  ((st.st_mode & S_IWOTH) ? "others" : "its group") + ": not trusted");
}

// FUSE's f_type: a FUSE file system (mounted with allow_other) reports whatever owner and
// mode its user-space server likes, so nothing on it is trusted.
constexpr long kFuseSuperMagic = 0x65735546;

void refuse_fuse(const struct statfs& fs, const std::string& path) {
    if (static_cast<long>(fs.f_type) == kFuseSuperMagic)
        throw Refusal(printable(path) +
                      " is on a FUSE file system, whose owners and modes are not trusted");
}

}  // namespace

std::string printable(std::string_view text) {
    std::string out;
    for (unsigned char c : text.substr(0, 100)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
    if (text.size() > 100) out += "...";
    return out;
}

std::string real_path(const std::string& path) {
    char buf[PATH_MAX];
    if (::realpath(path.c_str(), buf)) return buf;
    if (errno == ENOENT || errno == ENOTDIR) return {};
    throw Refusal("cannot resolve " + printable(path) + ": " + errno_text(errno));
}

void check_trusted_directory(const std::string& real_dir) {
    if (real_dir.empty() || real_dir.front() != '/')
        throw Refusal("internal: not an absolute path: " + printable(real_dir));
    // Every prefix: "/", "/a", "/a/b", ... (a real path has no "." / ".." / symlinks).
    auto check = [](const std::string& prefix) {
        struct stat st {};
        if (::lstat(prefix.c_str(), &st) != 0)
            throw Refusal("cannot inspect " + printable(prefix) + ": " + errno_text(errno));
        if (!S_ISDIR(st.st_mode)) throw Refusal(printable(prefix) + " is not a directory");
        check_stat(st, prefix, true);
        struct statfs fs {};
        if (::statfs(prefix.c_str(), &fs) != 0)
            throw Refusal("cannot inspect " + printable(prefix) + ": " + errno_text(errno));
        refuse_fuse(fs, prefix);
    };
    check("/");
    for (std::size_t next = real_dir.find('/', 1); real_dir.size() > 1;
         next = real_dir.find('/', next + 1)) {
        check(next == std::string::npos ? real_dir : real_dir.substr(0, next));
        if (next == std::string::npos) break;
    }
}

int open_trusted_file(const std::string& path, std::string_view what, std::string* real_out) {
    const std::string real = real_path(path);
    if (real.empty()) throw Refusal(std::string(what) + " " + printable(path) + " does not exist");
    const auto slash = real.rfind('/');
    check_trusted_directory(slash == 0 ? "/" : real.substr(0, slash));
    // O_PATH opens nothing: no device is opened, no FIFO blocks, before the checks below.
    const int path_fd = ::open(real.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (path_fd < 0)
        throw Refusal("cannot open " + std::string(what) + " " + printable(real) + ": " +
                      errno_text(errno));
    struct stat st {};
    int fd = -1;
    try {
        if (::fstat(path_fd, &st) != 0)
            throw Refusal("cannot inspect " + printable(real) + ": " + errno_text(errno));
        if (!S_ISREG(st.st_mode))
            throw Refusal(std::string(what) + " " + printable(real) + " is not a regular file");
        check_stat(st, real, false);
        struct statfs fs {};
        if (::fstatfs(path_fd, &fs) != 0)
            throw Refusal("cannot inspect " + printable(real) + ": " + errno_text(errno));
        refuse_fuse(fs, real);
        // Only now opened for reading, through the checked descriptor: the same file.
        const std::string via = "/proc/self/fd/" + std::to_string(path_fd);
        fd = ::open(via.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
            throw Refusal("cannot open " + std::string(what) + " " + printable(real) + ": " +
                          errno_text(errno));
        struct stat again {};
        if (::fstat(fd, &again) != 0 || again.st_dev != st.st_dev || again.st_ino != st.st_ino)
            throw Refusal(std::string(what) + " " + printable(real) + " changed while opened");
    } catch (...) {
        if (fd >= 0) ::close(fd);
        ::close(path_fd);
        throw;
    }
    ::close(path_fd);
    if (real_out) *real_out = real;
    return fd;
}

}  // namespace schedcp::guard
