// schedcp-guard's trust checks: a file the guard reads or runs as root must be one that only
// root could have put there. Trusted means: the real file (symlinks followed) and every
// directory above it are owned by root, or by the guard's own euid when the guard does not
// run as root (it then has no privilege to protect), and are not writable by group or
// others, except a root-owned sticky directory such as /tmp (nobody can replace another
// user's entry in it). Nothing on a FUSE file system is trusted: its server chooses the
// owners and modes it reports.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace schedcp::guard {

// What the guard refuses, with a message for its stderr; the guard exits 126.
struct Refusal : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// `text` made safe to print: control characters and non-ASCII as '?', at most 100 bytes.
std::string printable(std::string_view text);

// The real path of `path` (realpath), or "" when it does not exist. Throws Refusal on any
// other error.
std::string real_path(const std::string& path);

// Throws Refusal unless the directory `real_dir` (a real path) and every directory above it
// are trusted.
void check_trusted_directory(const std::string& real_dir);

// Opens the real file behind `path` (O_RDONLY, O_CLOEXEC) after checking it is a regular
// trusted file in trusted directories, not on FUSE, and returns the descriptor. It is first
// opened O_PATH|O_NOFOLLOW (which opens no device and blocks on no FIFO), checked with
// fstat/fstatfs, and only then reopened for reading through /proc/self/fd/N: the file run
// or read is the file checked. `what` names it in messages ("the policy", "the scheduler
// program"). Throws Refusal.
int open_trusted_file(const std::string& path, std::string_view what, std::string* real = nullptr);

}  // namespace schedcp::guard
