// The sudo password (SCHEDCP_SUDO_PASSWORD), for plugins that run helpers through sudo.
//
// The host takes it out of its environment at start-up, before any plugin is loaded and
// whatever plugins the config loads (sudo_secret::take_from_environment): copied into
// locked memory, wiped from the environment block (so it is gone from /proc/<pid>/environ
// and from every child's environment), and the process made non-dumpable. Plugins get it
// from sudo_secret::get(); it must only ever be written to sudo's stdin after sudo has
// asked for it (its -p prompt), never to argv, a log or a child's environment.
#pragma once

#include <memory>
#include <string>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk {

class SCHEDCP_SDK_API SudoSecret {
  public:
    ~SudoSecret();
    SudoSecret(const SudoSecret&) = delete;
    SudoSecret& operator=(const SudoSecret&) = delete;

    // "<password>\n", what sudo -S reads.
    const std::string& line() const { return line_; }

  private:
    friend struct SudoSecretAccess;
    SudoSecret() = default;
    std::string line_;
};

namespace sudo_secret {

// Host start-up only (single-threaded, before plugins load): moves the password out of the
// environment variable `var`, if it is set. Later calls change nothing. A password with a
// line break (sudo would read only its first line; a NUL cannot be in the environment) is
// wiped and refused: throws std::invalid_argument, whose message never contains it.
SCHEDCP_SDK_API void take_from_environment(const char* var = "SCHEDCP_SUDO_PASSWORD");

// The password the host took, or nullptr when there was none.
SCHEDCP_SDK_API std::shared_ptr<const SudoSecret> get();

}  // namespace sudo_secret

}  // namespace schedcp::sdk
