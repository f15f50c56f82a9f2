// Service: what the system did while one workload run ran (published by the monitor plugin).
//
// The evaluator observes each counted run with it: the CPU use over exactly the run
// (/proc/stat) and every run-queue wait that ended during it (the monitor's BPF program,
// run-queue latency from wake-up to running). open() loads the BPF program once for a
// series of runs (it blocks for milliseconds: call it from the worker pool); begin() and
// end() around each run are cheap (one /proc/stat read, and the histogram's map entries
// reset or read) and may run on the event loop.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "schedcp/sdk/export.hpp"
#include "schedcp/sdk/latency_histogram.hpp"

namespace schedcp::sdk::services {

// CPU time over one run, in /proc/stat's clock ticks summed over every CPU.
struct CpuTicks {
    std::uint64_t busy = 0;   // user+nice+system+irq+softirq+steal
    std::uint64_t total = 0;  // busy + idle + iowait
};

// One run's observation. Each part is present, or absent with the reason why.
struct RunObservation {
    std::optional<CpuTicks> cpu;
    std::string cpu_reason;
    std::optional<LatencyHistogram> runqlat;
    std::string runqlat_reason;
};

// Observes a series of runs, one at a time. Destroying it detaches the BPF program.
class SCHEDCP_SDK_API RunObserver {
  public:
    virtual ~RunObserver();
    // A run starts now: the CPU counters are read and the latency histogram emptied.
    virtual void begin() = 0;
    // The run ended now: what happened since begin().
    virtual RunObservation end() = 0;
};

class SCHEDCP_SDK_API WorkloadMonitor {
  public:
    static constexpr std::string_view service_key = "schedcp.workload_monitor/1";
    virtual ~WorkloadMonitor();

    // A new observer, with run-queue latency when the BPF program loads (root, or CAP_BPF
    // and CAP_PERFMON) and the monitor's runqlat setting is on; otherwise its observations
    // say why it is missing. Blocks: call from the worker pool.
    virtual std::unique_ptr<RunObserver> open() = 0;
};

}  // namespace schedcp::sdk::services
