#include "schedcp/sdk/confinement.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "schedcp/sdk/error.hpp"

// Landlock through raw syscalls with our own copies of the uapi structures: the build
// host's <linux/landlock.h> may be older than the running kernel (Debian 12 ships ABI 1-2
// headers), and everything below is defined by the kernel's stable ABI.
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#ifndef SYS_landlock_add_rule
#define SYS_landlock_add_rule 445
#endif
#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self 446
#endif

namespace schedcp::sdk::process {

namespace fs = std::filesystem;

namespace {

struct RulesetAttr {
    std::uint64_t handled_access_fs;
    std::uint64_t handled_access_net;  // ABI >= 4
    std::uint64_t scoped;              // ABI >= 6
};

struct __attribute__((packed)) PathBeneathAttr {
    std::uint64_t allowed_access;
    std::int32_t parent_fd;
};

constexpr std::uint32_t kCreateRulesetVersion = 1U << 0;
constexpr int kRulePathBeneath = 1;

// LANDLOCK_ACCESS_FS_*
constexpr std::uint64_t kExecute = 1ULL << 0, kWriteFile = 1ULL << 1, kReadFile = 1ULL << 2,
                        kReadDir = 1ULL << 3, kRemoveDir = 1ULL << 4, kRemoveFile = 1ULL << 5,
                        kMakeDir = 1ULL << 7, kMakeReg = 1ULL << 8, kRefer = 1ULL << 13,
                        kTruncate = 1ULL << 14, kIoctlDev = 1ULL << 15;
constexpr std::uint64_t kAbi1Fs = (1ULL << 13) - 1;  // EXECUTE .. MAKE_SYM
// LANDLOCK_ACCESS_NET_BIND_TCP | CONNECT_TCP (ABI 4)
constexpr std::uint64_t kAllNet = (1ULL << 0) | (1ULL << 1);
// LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | SIGNAL (ABI 6)
constexpr std::uint64_t kAllScopes = (1ULL << 0) | (1ULL << 1);

// Every filesystem right the running ABI knows: all of them are handled (denied unless
// a rule grants them).
std::uint64_t handled_fs(int abi) {
    std::uint64_t r = kAbi1Fs;
    if (abi >= 2) r |= kRefer;
    if (abi >= 3) r |= kTruncate;
    if (abi >= 5) r |= kIoctlDev;
    return r;
}

std::size_t attr_size(int abi) {
    if (abi >= 6) return sizeof(RulesetAttr);
    if (abi >= 4) return offsetof(RulesetAttr, scoped);
    return offsetof(RulesetAttr, handled_access_net);
}

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

std::string landlock_missing(const std::string& purpose, const std::string& why) {
    return purpose +
           " needs Landlock (Linux >= 5.13 with CONFIG_SECURITY_LANDLOCK=y and landlock in "
           "lsm=): this kernel says: " +
           why;
}

}  // namespace

int landlock_abi(std::string* why) {
    long abi = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, kCreateRulesetVersion);
    if (abi < 1) {
        if (why) *why = std::strerror(errno);
        return 0;
    }
    return static_cast<int>(abi);
}

Confinement::Confinement(Confinement&& o) noexcept
    : ruleset_fd_(o.ruleset_fd_),
      work_dir_fd_(o.work_dir_fd_),
      abi_(o.abi_),
      uid_(o.uid_),
      gid_(o.gid_),
      limit_count_(o.limit_count_),
      granted_ro_(std::move(o.granted_ro_)),
      granted_r_(std::move(o.granted_r_)),
      granted_rw_(std::move(o.granted_rw_)) {
    std::memcpy(limits_, o.limits_, sizeof limits_);
    o.ruleset_fd_ = o.work_dir_fd_ = -1;
}

Confinement::~Confinement() {
    close_fd(ruleset_fd_);
    close_fd(work_dir_fd_);
}

Confinement Confinement::prepare(const ConfinementSpec& spec) {
    Confinement c;
    std::string why;
    c.abi_ = process::landlock_abi(&why);
    if (c.abi_ < 1) throw Unavailable(landlock_missing(spec.purpose, why));

    const std::uint64_t fs_rights = handled_fs(c.abi_);
    RulesetAttr attr{.handled_access_fs = fs_rights,
                     .handled_access_net = c.abi_ >= 4 ? kAllNet : 0,
                     .scoped = c.abi_ >= 6 ? kAllScopes : 0};
    c.ruleset_fd_ =
        static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attr, attr_size(c.abi_), 0U));
    if (c.ruleset_fd_ < 0) throw Unavailable(landlock_missing(spec.purpose, std::strerror(errno)));

    enum class Kind { read_execute, read_only, read_write };
    const std::uint64_t read_dir = kReadFile | kReadDir;
    const std::uint64_t read_file = kReadFile;
    const std::uint64_t write_dir = (kReadFile | kReadDir | kWriteFile | kRemoveDir | kRemoveFile |
                                     kMakeDir | kMakeReg | kRefer | kTruncate) &
                                    fs_rights;
    auto add = [&](const fs::path& p, Kind kind) {
        const bool writable = kind == Kind::read_write;
        const std::uint64_t execute = kind == Kind::read_execute ? kExecute : 0;
        int fd = ::open(p.c_str(), O_PATH | O_CLOEXEC);
        if (fd < 0) {
            if (!writable && errno == ENOENT) return;  // e.g. /lib32 on this system
            throw Unavailable(spec.purpose + ": cannot open " + p.string() +
                              " for the sandbox: " + std::strerror(errno));
        }
        struct stat st {};
        ::fstat(fd, &st);
        const bool dir = S_ISDIR(st.st_mode);
        if (writable && !dir) {
            ::close(fd);
            throw Internal(spec.purpose + ": the sandbox's writable path " + p.string() +
                           " is not a directory");
        }
        // Directory-only rights are invalid on a file rule.
        PathBeneathAttr rule{
            .allowed_access = writable ? write_dir : execute | (dir ? read_dir : read_file),
            .parent_fd = fd};
        long r = ::syscall(SYS_landlock_add_rule, c.ruleset_fd_, kRulePathBeneath, &rule, 0U);
        int e = errno;
        ::close(fd);
        if (r != 0)
            throw Internal(spec.purpose + ": landlock_add_rule(" + p.string() +
                           ") failed: " + std::strerror(e));
        (writable                     ? c.granted_rw_
         : kind == Kind::read_execute ? c.granted_ro_
                                      : c.granted_r_)
            .push_back(p);
    };
    for (const auto& p : spec.read_execute) add(p, Kind::read_execute);
    for (const auto& p : spec.read_only) add(p, Kind::read_only);
    for (const auto& p : spec.read_write) add(p, Kind::read_write);

    if (spec.work_dir) {
        c.work_dir_fd_ = ::open(spec.work_dir->c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (c.work_dir_fd_ < 0)
            throw Unavailable(spec.purpose + ": cannot open the working directory " +
                              spec.work_dir->string() + ": " + std::strerror(errno));
    }

    auto limit = [&](int resource, rlim_t soft, rlim_t hard) {
        c.limits_[c.limit_count_++] = Limit{resource, rlimit{soft, hard}};
    };
    limit(RLIMIT_CORE, 0, 0);
    if (auto v = spec.limits.address_space_bytes) limit(RLIMIT_AS, *v, *v);
    // SIGXCPU at the soft limit (a process may catch it), SIGKILL at the hard one.
    // Soft = hard: the kernel then sends SIGKILL at the limit, which no handler can turn into
    // some other ending (LLVM catches SIGXCPU and exits 1 with an unrelated error).
    if (auto v = spec.limits.cpu_seconds) limit(RLIMIT_CPU, *v, *v);
    if (auto v = spec.limits.file_size_bytes) limit(RLIMIT_FSIZE, *v, *v);
    if (auto v = spec.limits.open_files) limit(RLIMIT_NOFILE, *v, *v);

    if (spec.user_when_root && ::geteuid() == 0) {
        passwd pw{}, *found = nullptr;
        char buf[4096];
        int e = ::getpwnam_r(spec.user_when_root->c_str(), &pw, buf, sizeof buf, &found);
        if (e != 0 || !found)
            throw Unavailable(spec.purpose + " runs as the user '" + *spec.user_when_root +
                              "' when the server is root, and there is no such user" +
                              (e ? std::string(": ") + std::strerror(e) : std::string()));
        if (pw.pw_uid == 0)
            throw Unavailable(spec.purpose + ": the sandbox user '" + *spec.user_when_root +
                              "' is root; choose an unprivileged user (e.g. nobody)");
        c.uid_ = pw.pw_uid;
        c.gid_ = pw.pw_gid;
    }
    return c;
}

int Confinement::apply_in_child(const char** step) const noexcept {
    auto failed = [&](const char* what) {
        *step = what;
        return errno;
    };
    // As the parent's user first: the confined user may not be able to reach it by path.
    // A root without CAP_DAC_OVERRIDE (the systemd units) cannot enter a directory that
    // belongs to the confined user, though: then again once we are that user (the
    // descriptor needs no path).
    bool in_work_dir = work_dir_fd_ < 0;
    if (!in_work_dir) {
        if (::fchdir(work_dir_fd_) == 0)
            in_work_dir = true;
        else if (errno != EACCES || !uid_)
            return failed("fchdir");
    }
    for (int i = 0; i < limit_count_; ++i)
        if (::setrlimit(static_cast<__rlimit_resource>(limits_[i].resource), &limits_[i].value) !=
            0)
            return failed("setrlimit");
    // Raw syscalls: glibc's wrappers broadcast to every thread (not async-signal-safe); a
    // forked child has exactly one.
    if (uid_) {
        if (::syscall(SYS_setgroups, 0, nullptr) != 0) return failed("setgroups");
        if (::syscall(SYS_setresgid, *gid_, *gid_, *gid_) != 0) return failed("setresgid");
        if (::syscall(SYS_setresuid, *uid_, *uid_, *uid_) != 0) return failed("setresuid");
    }
    if (!in_work_dir && ::fchdir(work_dir_fd_) != 0) return failed("fchdir");
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return failed("prctl(PR_SET_NO_NEW_PRIVS)");
    if (::syscall(SYS_landlock_restrict_self, ruleset_fd_, 0U) != 0)
        return failed("landlock_restrict_self");
    return 0;
}

}  // namespace schedcp::sdk::process
