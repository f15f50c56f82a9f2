// One run of the workload: spawned with argv (never a shell) in its own process group,
// with a clean environment plus the additions, its output (stdout and stderr) kept up to a
// bound (the end of it), its wall time measured from spawn to exit, killed as a group at
// the timeout or on cancellation, and any process it left in its group killed after it
// exits (nothing of one run leaks into the next).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "evaluation_spec.hpp"
#include "schedcp/sdk/process.hpp"

namespace schedcp::plugins::evaluator {

struct ProcessOutcome {
    std::optional<sdk::process::ExitStatus> exit;
    bool timed_out = false;
    bool cancelled = false;
    double wall_seconds = 0;
    std::string output;              // the last max_output_bytes
    std::size_t output_dropped = 0;  // bytes before those
    pid_t pid = -1;
};

// Kills the running workload: set by run_workload_process while a run is in progress,
// called by whoever cancels the evaluation.
using Killer = std::function<void()>;

boost::asio::awaitable<ProcessOutcome> run_workload_process(const Workload& workload,
                                                            std::size_t max_output_bytes,
                                                            Killer& kill_slot);

}  // namespace schedcp::plugins::evaluator
