// What a server process spent on the CPU, from the kernel's scheduler accounting:
// /proc/PID/task/TID/schedstat holds, per thread, the nanoseconds it ran, the nanoseconds it
// waited to run, and how many times it was put on a CPU. Summed over the server's threads
// before and after a measured round, divided by the requests, it gives the server's own CPU
// cost per request and how many times its threads were woken for one, figures that do not
// depend on how long a sleeping vCPU took to wake up (which inflates wall-clock round trips
// on this machine; see cpu_placement.hpp). Hardware counters (instructions) would be finer
// but this KVM guest has none (`perf stat -e instructions` reports <not supported>).
// The counts are exact for threads that are asleep when read (the kernel brings a thread's
// figures up to date when it stops running), which a server waiting for its next request
// is; a thread that exits between two readings takes its figures with it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace schedcp::bench {

struct ProcessCpu {
    std::uint64_t on_cpu_ns = 0;  // time its threads ran
    std::uint64_t runs = 0;       // times one of its threads was put on a CPU
};

// One schedstat line ("RUN_NS WAIT_NS TIMESLICES"), or nullopt when it is not that.
std::optional<ProcessCpu> parse_schedstat(std::string_view line);

// The sum over every thread of process `pid`. Throws std::runtime_error when its
// /proc/PID/task cannot be read (the process is gone) or a schedstat does not parse.
ProcessCpu read_process_cpu(pid_t pid);

// Per request, between two readings.
struct CpuPerRequest {
    double on_cpu_us = 0;
    double runs = 0;
};
CpuPerRequest per_request(const ProcessCpu& before, const ProcessCpu& after, std::size_t requests);

// The best of several rounds, figure by figure (the lowest of each), as with best_of for
// latencies: a round that met other load loses. `rounds` must not be empty.
CpuPerRequest best_of(const std::vector<CpuPerRequest>& rounds);

}  // namespace schedcp::bench
