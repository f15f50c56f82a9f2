// Service: the executions the runner started (published by the runner plugin).
//
// The monitor asks which execution is live while it samples; the workloads plugin
// records an execution's scheduler and arguments in a workload's history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk::services {

struct ExecutionSummary {
    std::string execution_id;
    std::string scheduler;            // catalog name, e.g. "scx_rusty"
    std::vector<std::string> args;    // as passed to the scheduler
    std::string mode;                 // scx_loader mode, or "" when args were given
    std::string status;               // starting, running, stopped, exited, failed
    std::optional<std::int64_t> pid;  // the scheduler's process id, once known
    std::int64_t started_at = 0;      // Unix seconds
    std::optional<std::int64_t> ended_at;
};

class SCHEDCP_SDK_API SchedulerRunner {
  public:
    static constexpr std::string_view service_key = "schedcp.scheduler_runner/1";
    virtual ~SchedulerRunner();

    virtual std::optional<ExecutionSummary> find(std::string_view execution_id) const = 0;
    // The execution whose scheduler is loaded right now (starting or running), if any.
    virtual std::optional<ExecutionSummary> live() const = 0;
    // Newest first.
    virtual std::vector<ExecutionSummary> list() const = 0;
};

}  // namespace schedcp::sdk::services
