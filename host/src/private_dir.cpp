#include "private_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace schedcp::host {

namespace fs = std::filesystem;

void make_private_directory(const fs::path& dir) {
    std::error_code ec;
    if (dir.has_parent_path()) fs::create_directories(dir.parent_path(), ec);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        throw std::runtime_error("cannot create directory " + dir.string() + ": " +
                                 std::strerror(errno));
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0)
        throw std::runtime_error("cannot read directory " + dir.string() + ": " +
                                 std::strerror(errno));
    if (!S_ISDIR(st.st_mode))
        throw std::runtime_error(dir.string() +
                                 " is not a directory (it must be the data directory)");
    // Someone else's directory (a shared data_dir set up by an administrator) keeps its mode.
    if (st.st_uid == ::geteuid() && (st.st_mode & 077) != 0) ::chmod(dir.c_str(), 0700);
}

}  // namespace schedcp::host
