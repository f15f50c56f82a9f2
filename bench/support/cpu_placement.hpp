// Where the round-trip benchmarks run their processes, and why it matters.
//
// This machine is a KVM guest whose idle vCPUs halt at once (cpuidle driver haltpoll with
// haltpoll.guest_halt_poll_ns=0 on the kernel command line): a wake-up aimed at a halted
// vCPU goes through the hypervisor (an IPI, a VM entry) and costs tens of microseconds. A
// sequential round trip wakes the server, then the client; whether those wake-ups cross
// vCPUs depends on where the kernel happened to place the two processes in that run, so
// unpinned p50s are bimodal between runs (the floor answering 12.8 KB in 66 us and 25.8 KB
// in 9 us in the same run). Pinning the client and a server to one CPU makes every round
// trip two plain context switches, the same for every server measured; pinning them to two
// different CPUs makes every round trip cross vCPUs. Either way the floor gets exactly the
// same placement as the server it is compared with.
#pragma once

#include <sched.h>

#include <string>

namespace schedcp::bench {

// Whether this process may run on `cpu` (it is in the affinity mask it started with).
bool cpu_allowed(int cpu);
// The CPUs this process may run on, as "0-1" or "0,2,5".
std::string allowed_cpus();

// Pins the calling thread to `cpu`; threads and processes it starts afterwards inherit
// that. Throws std::runtime_error naming the CPU when the kernel refuses.
void pin_this_thread(int cpu);

// Pins the calling thread to `cpu` for its lifetime and restores the previous mask after,
// so that one process spawned meanwhile (which inherits the mask) runs on `cpu` while the
// caller goes back to where it was.
class ScopedPinning {
  public:
    explicit ScopedPinning(int cpu);
    ~ScopedPinning();
    ScopedPinning(const ScopedPinning&) = delete;
    ScopedPinning& operator=(const ScopedPinning&) = delete;

  private:
    cpu_set_t previous_;
};

}  // namespace schedcp::bench
