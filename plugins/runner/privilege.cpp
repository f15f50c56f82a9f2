#include "privilege.hpp"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "schedcp/sdk/error.hpp"

extern char** environ;

namespace schedcp::plugins::runner {

std::shared_ptr<SudoSecret> SudoSecret::take_from_environment(const char* var) {
    const std::size_t n = std::strlen(var);
    for (char** e = environ; e && *e; ++e) {
        if (std::strncmp(*e, var, n) != 0 || (*e)[n] != '=') continue;
        char* value = *e + n + 1;
        std::shared_ptr<SudoSecret> s(new SudoSecret);
        s->line_.reserve(std::strlen(value) + 2);
        s->line_.assign(value);
        s->line_.push_back('\n');
        ::mlock(s->line_.data(), s->line_.capacity());
        // Wipe the bytes in the environment block itself, then drop the variable.
        ::explicit_bzero(value, std::strlen(value));
        ::unsetenv(var);
        // No core dumps or ptrace-by-same-user reads of a process that holds it.
        ::prctl(PR_SET_DUMPABLE, 0);
        return s;
    }
    return nullptr;
}

SudoSecret::~SudoSecret() {
    ::explicit_bzero(line_.data(), line_.size());
    ::munlock(line_.data(), line_.capacity());
}

std::string Privilege::describe() const {
    switch (kind) {
        case Kind::root:
            return "root";
        case Kind::sudo_no_password:
            return "sudo -n";
        case Kind::sudo_password:
            return "sudo -S";
    }
    return "root";
}

Privilege choose_privilege(SudoPolicy policy, const std::string& sudo_path,
                           const SudoSecret* secret, bool cli_without_sudo_flag) {
    Privilege p;
    if (::geteuid() == 0 && policy != SudoPolicy::always) return p;
    if (policy != SudoPolicy::always) {
        if (cli_without_sudo_flag)
            throw sdk::PermissionDenied(
                "loading a sched_ext scheduler needs root: run as root, or pass --sudo "
                "(passwordless sudo, or the "
                "password in SCHEDCP_SUDO_PASSWORD)");
        if (policy == SudoPolicy::never)
            throw sdk::PermissionDenied(
                "loading a sched_ext scheduler needs root, and this server is not root and may not "
                "use sudo "
                "(runner setting use_sudo: never)");
    }
    std::error_code ec;
    if (!std::filesystem::exists(sudo_path, ec))
        throw sdk::PermissionDenied(
            "loading a sched_ext scheduler needs root, and sudo was not found at " + sudo_path +
            " (runner setting sudo_path)");
    p.sudo_path = sudo_path;
    p.kind = secret ? Privilege::Kind::sudo_password : Privilege::Kind::sudo_no_password;
    return p;
}

std::vector<std::string> privileged_argv(const Privilege& p,
                                         const std::vector<std::string>& command) {
    std::vector<std::string> argv;
    switch (p.kind) {
        case Privilege::Kind::root:
            break;
        case Privilege::Kind::sudo_no_password:
            argv = {p.sudo_path, "-n", "--"};
            break;
        // -p '': no prompt text mixed into the output we capture.
        case Privilege::Kind::sudo_password:
            argv = {p.sudo_path, "-S", "-p", "", "--"};
            break;
    }
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

}  // namespace schedcp::plugins::runner
