#include "privilege.hpp"

#include <unistd.h>

#include <filesystem>

#include "guard_channels.hpp"
#include "schedcp/sdk/error.hpp"

namespace schedcp::plugins::runner {

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
                           const sdk::SudoSecret* secret, bool cli_without_sudo_flag) {
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
    if (secret) p.prompt = new_sudo_prompt();
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
        // -p: a prompt nobody else knows, so the runner answers sudo and only sudo.
        case Privilege::Kind::sudo_password:
            argv = {p.sudo_path, "-S", "-p", p.prompt, "--"};
            break;
    }
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

}  // namespace schedcp::plugins::runner
