#include "private_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

namespace schedcp::plugins::compiler {

namespace {

constexpr int kMaxDepth = 64;

// Empties the directory open as `fd` (which it closes), then nothing more.
bool empty_dir(int fd, int depth) {
    DIR* d = ::fdopendir(fd);
    if (!d) {
        ::close(fd);
        return false;
    }
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(std::move(n));
    }
    bool ok = true;
    for (const auto& n : names) {
        // Not a directory (or a symlink to one): unlinked itself.
        if (::unlinkat(fd, n.c_str(), 0) == 0 || errno == ENOENT) continue;
        if (errno != EISDIR && errno != EPERM) {
            ok = false;
            continue;
        }
        if (depth >= kMaxDepth) {
            ok = false;
            continue;
        }
        int sub = ::openat(fd, n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) {
            // Swapped for a symlink or a file since: unlink that instead.
            if (::unlinkat(fd, n.c_str(), 0) != 0 && errno != ENOENT) ok = false;
            continue;
        }
        ok = empty_dir(sub, depth + 1) && ok;
        if (::unlinkat(fd, n.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) ok = false;
    }
    ::closedir(d);  // closes fd
    return ok;
}

}  // namespace

bool remove_tree_nofollow(const std::filesystem::path& dir) noexcept {
    try {
        const std::filesystem::path parent = dir.parent_path().empty() ? "." : dir.parent_path();
        const std::string name = dir.filename().string();
        int pfd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (pfd < 0) return errno == ENOENT;
        bool ok = true;
        if (::unlinkat(pfd, name.c_str(), 0) != 0 && errno != ENOENT) {
            int fd = ::openat(pfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) {
                ok = errno == ENOENT;
            } else {
                ok = empty_dir(fd, 1);
                if (::unlinkat(pfd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) ok = false;
            }
        }
        ::close(pfd);
        return ok;
    } catch (...) {
        return false;
    }
}

}  // namespace schedcp::plugins::compiler
