#include "trust.hpp"

#include <fcntl.h>
#include <sys/stat.h>
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
    int fd = ::open(real.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        throw Refusal("cannot open " + std::string(what) + " " + printable(real) + ": " +
                      errno_text(errno));
    struct stat st {};
    try {
        if (::fstat(fd, &st) != 0)
            throw Refusal("cannot inspect " + printable(real) + ": " + errno_text(errno));
        if (!S_ISREG(st.st_mode))
            throw Refusal(std::string(what) + " " + printable(real) + " is not a regular file");
        check_stat(st, real, false);
    } catch (...) {
        ::close(fd);
        throw;
    }
    // Reads of the policy block normally; the flag only kept open() from hanging on a FIFO.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (real_out) *real_out = real;
    return fd;
}

}  // namespace schedcp::guard
