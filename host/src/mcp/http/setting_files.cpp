#include "setting_files.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <sys/stat.h>

namespace schedcp::host::mcp::http {

namespace {

std::string octal_mode(mode_t mode) {
    std::ostringstream text;
    text << '0' << std::oct << (mode & 0777);
    return text.str();
}

// stat(2) of a regular file, or std::runtime_error naming it.
struct stat regular_file(const std::filesystem::path& file, const std::string& what) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0)
        throw std::runtime_error(what + " " + file.string() + ": cannot be read (" +
                                 std::strerror(errno) + ")");
    if (!S_ISREG(st.st_mode))
        throw std::runtime_error(what + " " + file.string() + ": not a regular file");
    return st;
}

[[noreturn]] void refuse_owner(const std::filesystem::path& file, const std::string& what,
                               const struct stat& st, uid_t owner, bool root_allowed) {
    throw std::runtime_error(what + " " + file.string() + ": owned by uid " +
                             std::to_string(st.st_uid) + ", not by the server's user (uid " +
                             std::to_string(owner) + ")" + (root_allowed ? " or root" : "") +
                             "; chown it");
}

[[noreturn]] void refuse_mode(const std::filesystem::path& file, const std::string& what,
                              const struct stat& st, const std::string& why,
                              const std::string& fix) {
    throw std::runtime_error(what + " " + file.string() + ": mode " + octal_mode(st.st_mode) + " " +
                             why + "; " + fix);
}

}  // namespace

void check_private_file(const std::filesystem::path& file, uid_t owner, const std::string& what) {
    const struct stat st = regular_file(file, what);
    if (st.st_uid != owner) refuse_owner(file, what, st, owner, false);
    if ((st.st_mode & 077) != 0)
        refuse_mode(file, what, st, "lets other users read or change it", "chmod 600 it");
}

void check_key_file(const std::filesystem::path& file, uid_t owner, const std::string& what) {
    const struct stat st = regular_file(file, what);
    // Root first: a root-owned key may be shared with its group even when the server runs
    // as root (Debian's root:ssl-cert 0640 keys).
    if (st.st_uid == 0) {
        if ((st.st_mode & 037) != 0)
            refuse_mode(file, what, st,
                        "lets users other than root and its group read or change the private key",
                        "chmod 640 it (or 600)");
        return;
    }
    if (st.st_uid != owner) refuse_owner(file, what, st, owner, true);
    if ((st.st_mode & 077) != 0)
        refuse_mode(file, what, st, "lets other users read or change the private key",
                    "chmod 600 it");
}

void check_trusted_file(const std::filesystem::path& file, uid_t owner, const std::string& what) {
    const struct stat st = regular_file(file, what);
    if (st.st_uid != owner && st.st_uid != 0) refuse_owner(file, what, st, owner, true);
    if ((st.st_mode & 022) != 0)
        refuse_mode(file, what, st, "lets other users change it", "chmod go-w it");
}

std::string read_setting_file(const std::filesystem::path& file, const std::string& setting) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error(setting + " " + file.string() + ": cannot be read");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace schedcp::host::mcp::http
