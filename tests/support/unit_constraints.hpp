// Running a program as a shipped systemd unit would, without systemd: root with only the
// unit's CapabilityBoundingSet (read from the unit file itself, so a test and the unit cannot
// drift apart) and the unit's UMask. What this leaves out (ProtectSystem=, PrivateNetwork=,
// the system call filter, ...) needs a booting systemd.
#pragma once

#include <string>
#include <vector>

#include <sys/types.h>

namespace schedcp::test {

// setpriv's --bounding-set argument for the unit's CapabilityBoundingSet=, e.g.
// "-all,+bpf,+sys_admin". The unit file is packaging/systemd/NAME.in of the source tree.
std::string unit_bounding_set(const std::string& unit_name);

// `argv` run under that bounding set (setpriv --bounding-set ... --inh-caps=-all -- argv).
std::vector<std::string> under_unit_capabilities(const std::string& unit_name,
                                                 std::vector<std::string> argv);

// Sets the process umask for its lifetime (children started meanwhile inherit it).
class ScopedUmask {
  public:
    explicit ScopedUmask(mode_t mask);
    ~ScopedUmask();
    ScopedUmask(const ScopedUmask&) = delete;
    ScopedUmask& operator=(const ScopedUmask&) = delete;

  private:
    mode_t old_;
};

}  // namespace schedcp::test
