// Service: the executions the runner started (published by the runner plugin).
//
// The monitor asks which execution is live while it samples; the workloads plugin
// records an execution's scheduler and arguments in a workload's history; the evaluator
// starts and stops schedulers through it (with every check run_scheduler makes) and reads
// the kernel's sched_ext state the runner sees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "schedcp/sdk/export.hpp"
#include "schedcp/sdk/sched_ext_sysfs_core.hpp"

namespace schedcp::sdk::services {

// Where an execution is in its life. Compare these, never their names; the names are what
// JSON and the CLI show (SchedCP's words where it has them: running, exited, failed).
enum class ExecutionStatus {
    starting,  // launched; sched_ext has not reported it enabled yet
    running,   // sched_ext reports it enabled
    stopped,   // ended because it was asked to stop
    exited,    // ended by itself with exit code 0
    failed,    // ended by itself otherwise (an error exit, a signal, or it never started)
};

constexpr std::string_view execution_status_name(ExecutionStatus s) {
    switch (s) {
        case ExecutionStatus::starting:
            return "starting";
        case ExecutionStatus::running:
            return "running";
        case ExecutionStatus::stopped:
            return "stopped";
        case ExecutionStatus::exited:
            return "exited";
        case ExecutionStatus::failed:
            break;
    }
    return "failed";
}

// The status a name stands for; nullopt for any other text.
constexpr std::optional<ExecutionStatus> parse_execution_status(std::string_view name) {
    for (auto s : {ExecutionStatus::starting, ExecutionStatus::running, ExecutionStatus::stopped,
                   ExecutionStatus::exited, ExecutionStatus::failed})
        if (execution_status_name(s) == name) return s;
    return std::nullopt;
}

struct ExecutionSummary {
    std::string execution_id;
    std::string scheduler;          // catalog name, e.g. "scx_rusty"
    std::vector<std::string> args;  // as passed to the scheduler
    std::string mode;               // scx_loader mode, or "" when args were given
    ExecutionStatus status = ExecutionStatus::starting;
    std::optional<std::int64_t> pid;  // the scheduler's process id, once known
    std::int64_t started_at = 0;      // Unix seconds
    std::optional<std::int64_t> ended_at;
    std::string message;              // what happened, in words (why it failed, how it stopped)
    std::vector<std::string> output;  // its last output lines (only from start() and stop())
};

// What to start: exactly run_scheduler's name, args and mode (never both args and mode).
struct SchedulerStart {
    std::string name;
    std::optional<std::vector<std::string>> args;
    std::optional<std::string> mode;
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

    // Starts a scheduler as run_scheduler does (same checks, same errors: NotFound,
    // InvalidArgument, Conflict when anything is loaded, Unavailable) and returns once the
    // kernel reports it enabled or it failed: compare `status` with running. Call, then
    // await (see blocking.hpp).
    virtual boost::asio::awaitable<ExecutionSummary> start(SchedulerStart request) = 0;
    // Stops one of the runner's executions as stop_scheduler does (SIGINT, SIGTERM,
    // SIGKILL); returns once it ended. Throws NotFound for an unknown id.
    virtual boost::asio::awaitable<ExecutionSummary> stop(std::string execution_id) = 0;
    // What the kernel reports right now, read where the runner reads it (its
    // sched_ext_root setting).
    virtual sched_ext::Status kernel() const = 0;
};

}  // namespace schedcp::sdk::services
