// How a scheduler gets root: directly when we are root, else through sudo.
//
// The sudo password (SCHEDCP_SUDO_PASSWORD) is taken out of the environment once, at
// start-up: copied into locked memory, wiped from the environment block (so it is gone
// from /proc/<pid>/environ and from every child's environment), and the process is made
// non-dumpable. It reaches sudo only on its stdin (`sudo -S`), never argv, never a log.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace schedcp::plugins::runner {

class SudoSecret {
  public:
    // Moves the password out of the environment variable `var`, if it is set.
    static std::shared_ptr<SudoSecret> take_from_environment(
        const char* var = "SCHEDCP_SUDO_PASSWORD");
    ~SudoSecret();
    SudoSecret(const SudoSecret&) = delete;
    SudoSecret& operator=(const SudoSecret&) = delete;

    // "<password>\n", for sudo -S.
    const std::string& line() const { return line_; }

  private:
    SudoSecret() = default;
    std::string line_;
};

struct Privilege {
    enum class Kind { root, sudo_no_password, sudo_password };
    Kind kind = Kind::root;
    std::string sudo_path;         // absolute path of sudo (sudo kinds)
    std::string describe() const;  // "root", "sudo -n", "sudo -S"
};

// When to use sudo (the runner's use_sudo setting): auto = when not root; never; always =
// even as root (for a root server that should still go through sudo's policy and log).
enum class SudoPolicy { automatic, never, always };

// Decides how to run as root. Throws sdk::PermissionDenied when we are not root and may
// not, or cannot, use sudo. `cli_without_sudo_flag`: schedcp-cli run without --sudo,
// which never escalates by itself.
Privilege choose_privilege(SudoPolicy policy, const std::string& sudo_path,
                           const SudoSecret* secret, bool cli_without_sudo_flag);

// argv to run `command` with the privilege: command itself, or sudo + options + command.
std::vector<std::string> privileged_argv(const Privilege& p,
                                         const std::vector<std::string>& command);

}  // namespace schedcp::plugins::runner
