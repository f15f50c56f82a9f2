// Taking sched_ext over from another schedcp process, for `schedcp-cli switch`: what it runs
// (read from its schedcp-guard's command line, which names the scheduler and its arguments
// exactly as they were checked), whether it may be asked to end (a foreground `schedcp-cli
// run` or `default run`; never an MCP server, whose client owns its executions), and asking
// it: SIGTERM through a pidfd, as `systemctl stop` does, then waiting (bounded) until it has
// exited and sched_ext is disabled.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "failure_policy.hpp"
#include "launcher.hpp"
#include "schedcp/sdk/sched_ext_manager.hpp"

namespace schedcp::plugins::runner {

// The scheduler configuration in schedcp-guard's argv (`--scheduler NAME -- ARGS` or
// `--custom NAME`), or nullopt when it is not one the guard would have been given.
std::optional<LaunchConfig> guard_launch_config(const std::vector<std::string>& guard_argv);

// Whether a schedcp process's argv is a foreground run (`schedcp-cli [options] run ...` or
// `schedcp-cli [options] default run`): one that exists to run that scheduler.
bool is_foreground_run(const sdk::sched_ext::ProcessFacts& process);

struct Takeover {
    LaunchConfig previous;                 // what it ran: started again if the switch fails
    sdk::sched_ext::ProcessFacts process;  // the schedcp process to end
    std::optional<std::string> unit;       // its systemd unit, if any
};

// What taking over from `m` (kind schedcp) means; throws sdk::Conflict when it must not be
// taken over (an MCP server, an unknown process, a configuration that cannot be told).
Takeover plan_takeover(const sdk::sched_ext::Manager& m);

// Ends `t.process` (SIGTERM) and waits until it exited and the kernel's sched_ext is not
// busy, at most `budget`; throws sdk::Unavailable when that does not happen (nothing else
// is done then).
boost::asio::awaitable<void> end_other_run(const RunnerCore& core, const Takeover& t,
                                           std::chrono::milliseconds budget);

}  // namespace schedcp::plugins::runner
