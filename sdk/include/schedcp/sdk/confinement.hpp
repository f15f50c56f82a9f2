// Confining a child process (e.g. clang compiling an untrusted source): a Landlock
// ruleset (what it may read/execute and where it may write; no network, no signals or
// abstract unix sockets outside its domain), resource limits, another user when we are
// root, and no_new_privs.
//
// Everything that can fail is done in the parent, before fork(), by Confinement::prepare
// (open the allowed paths, build the ruleset, look the user up), so a kernel without
// Landlock or a missing user is an sdk::Unavailable with a precise message and nothing
// runs: confinement fails closed, there is no fallback. In the child, apply_in_child()
// uses only async-signal-safe syscalls.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk::process {

struct ResourceLimits {
    std::optional<rlim_t> address_space_bytes;  // RLIMIT_AS
    std::optional<rlim_t> cpu_seconds;          // RLIMIT_CPU, soft = hard: SIGKILL at the limit
    std::optional<rlim_t> file_size_bytes;      // RLIMIT_FSIZE (SIGXFSZ)
    std::optional<rlim_t> open_files;           // RLIMIT_NOFILE
    // RLIMIT_CORE is always 0: a crash dump of a confined process could hold what it read.
};

struct ConfinementSpec {
    // Said in messages: "<purpose> needs Landlock ...", e.g. "compiling".
    std::string purpose = "confining a child process";
    // Read files, list directories, execute (a path's whole hierarchy; a file alone).
    // Paths that do not exist are skipped.
    std::vector<std::filesystem::path> read_execute;
    // Read files and list directories, no execution (headers, data). Paths that do not
    // exist are skipped.
    std::vector<std::filesystem::path> read_only;
    // Read, write, create, remove, rename within (no devices, fifos, sockets, symlinks,
    // no execution). Must exist.
    std::vector<std::filesystem::path> read_write;
    // The child's working directory, opened by the parent (with the parent's rights) and
    // entered with fchdir() before privileges are dropped: the confined user need not be
    // able to traverse the path to it. Must exist.
    std::optional<std::filesystem::path> work_dir;
    ResourceLimits limits;
    // Run as this user (and its primary group, no supplementary groups) when the parent
    // is root; ignored otherwise (an unprivileged parent cannot change user).
    std::optional<std::string> user_when_root;
};

// A prepared confinement: owns the ruleset and work-dir descriptors (O_CLOEXEC).
class SCHEDCP_SDK_API Confinement {
  public:
    // Throws sdk::Unavailable when Landlock is missing or disabled, the user does not
    // exist, or a required path cannot be opened; sdk::Internal on other failures.
    static Confinement prepare(const ConfinementSpec& spec);

    Confinement(Confinement&& other) noexcept;
    Confinement& operator=(Confinement&&) = delete;
    Confinement(const Confinement&) = delete;
    ~Confinement();

    // In the forked child, before execve: 0, or the errno of the step that failed, with
    // `*step` naming it (a static string). Async-signal-safe.
    int apply_in_child(const char** step) const noexcept;

    int landlock_abi() const { return abi_; }
    // The uid/gid the child runs as (nullopt: unchanged).
    std::optional<uid_t> uid() const { return uid_; }
    std::optional<gid_t> gid() const { return gid_; }
    // The paths the ruleset grants, as opened (for reports and tests).
    const std::vector<std::filesystem::path>& granted_read_execute() const { return granted_ro_; }
    const std::vector<std::filesystem::path>& granted_read_only() const { return granted_r_; }
    const std::vector<std::filesystem::path>& granted_read_write() const { return granted_rw_; }

  private:
    Confinement() = default;
    int ruleset_fd_ = -1;
    int work_dir_fd_ = -1;
    int abi_ = 0;
    std::optional<uid_t> uid_;
    std::optional<gid_t> gid_;
    struct Limit {
        int resource;
        rlimit value;
    };
    Limit limits_[5]{};
    int limit_count_ = 0;
    std::vector<std::filesystem::path> granted_ro_, granted_r_, granted_rw_;
};

// The highest Landlock ABI this kernel offers, or 0 with `why` set (errno text).
SCHEDCP_SDK_API int landlock_abi(std::string* why = nullptr);

}  // namespace schedcp::sdk::process
