// The monitor's WorkloadMonitor service: per-run observations for the evaluator, the CPU
// use from /proc/stat over exactly the run and the run-queue waits that ended during it
// from an instance of the runqlat BPF program of its own (attached once per observer,
// its histogram emptied at each run's start).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "proc_sources.hpp"
#include "runqlat.hpp"
#include "schedcp/sdk/services/workload_monitor.hpp"

namespace schedcp::plugins::monitor {

class RunObserverImpl final : public sdk::services::RunObserver {
  public:
    // `runqlat` null: run-queue latency is missing, for `runqlat_reason`.
    RunObserverImpl(std::filesystem::path proc_root, std::unique_ptr<RunqLat> runqlat,
                    std::string runqlat_reason);

    void begin() override;
    sdk::services::RunObservation end() override;

  private:
    // /proc/stat's overall CPU times now, or nullopt with the reason in `why`.
    std::optional<CpuTimes> cpu_now(std::string& why) const;

    std::filesystem::path proc_root_;
    std::unique_ptr<RunqLat> runqlat_;
    std::string runqlat_reason_;
    std::optional<CpuTimes> cpu_at_begin_;
    std::string cpu_reason_;
};

class WorkloadMonitorService final : public sdk::services::WorkloadMonitor {
  public:
    WorkloadMonitorService(std::filesystem::path proc_root, bool runqlat)
        : proc_root_(std::move(proc_root)), runqlat_(runqlat) {}

    std::unique_ptr<sdk::services::RunObserver> open() override;

  private:
    std::filesystem::path proc_root_;
    bool runqlat_;
};

}  // namespace schedcp::plugins::monitor
