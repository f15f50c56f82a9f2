// How a scheduler gets root: directly when we are root, else through sudo.
//
// The sudo password (SCHEDCP_SUDO_PASSWORD) is taken out of the environment by the host at
// start-up (sdk/sudo_secret.hpp). It reaches sudo only on its stdin (`sudo -S`), and only
// after sudo printed the per-spawn prompt given with -p (launcher.cpp): with a NOPASSWD rule
// or cached credentials it is never written anywhere. Never argv, never a log.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "schedcp/sdk/sudo_secret.hpp"

namespace schedcp::plugins::runner {

struct Privilege {
    enum class Kind { root, sudo_no_password, sudo_password };
    Kind kind = Kind::root;
    std::string sudo_path;         // absolute path of sudo (sudo kinds)
    std::string prompt;            // sudo_password: the -p prompt the runner waits for
    std::string describe() const;  // "root", "sudo -n", "sudo -S"
};

// When to use sudo (the runner's use_sudo setting): auto = when not root; never; always =
// even as root (for a root server that should still go through sudo's policy and log).
// The enumerators are in the order of the setting's choices (runner_plugin.cpp binds them).
enum class SudoPolicy { automatic, never, always };

// Decides how to run as root. Throws sdk::PermissionDenied when we are not root and may
// not, or cannot, use sudo. `cli_without_sudo_flag`: schedcp-cli run without --sudo,
// which never escalates by itself.
Privilege choose_privilege(SudoPolicy policy, const std::string& sudo_path,
                           const sdk::SudoSecret* secret, bool cli_without_sudo_flag);

// argv to run `command` with the privilege: command itself, or sudo + options + command.
std::vector<std::string> privileged_argv(const Privilege& p,
                                         const std::vector<std::string>& command);

}  // namespace schedcp::plugins::runner
