// The runner's CLI commands: `run` (foreground, streaming, Ctrl-C stops it cleanly) and
// `status` (what the kernel has loaded now).
#pragma once

#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "launcher.hpp"
#include "schedcp/sdk/command.hpp"

namespace schedcp::plugins::runner {

// Starts r, streams its output (following the executions its failure policy starts) until
// it ends or Ctrl-C stops it; the exit code is the scheduler's own. `run` and `default run`.
boost::asio::awaitable<sdk::CommandResult> run_in_foreground(std::shared_ptr<RunnerCore> core,
                                                             StartRequest r,
                                                             sdk::CommandContext& ctx);

// The pieces of it, for `switch`: the start banner; following e (and its policy's
// successors) until it ends or Ctrl-C, stopping it then (returns the last execution); the
// command's result (the scheduler's exit code).
void announce(const Execution& e, sdk::CommandContext& ctx);
boost::asio::awaitable<std::shared_ptr<Execution>> follow_in_foreground(
    std::shared_ptr<RunnerCore> core, std::shared_ptr<Execution> e, sdk::CommandContext& ctx);
sdk::CommandResult foreground_result(const RunnerCore& core, const Execution& e);

// The options of a command that starts a scheduler: --sudo and --mode (run, switch).
std::vector<sdk::OptionSpec> start_options();

sdk::CommandSpec run_command(std::shared_ptr<RunnerCore> core);
// `status`: the kernel's sched_ext state and, while a scheduler is loaded, its statistics.
sdk::CommandSpec status_command(std::shared_ptr<RunnerCore> core,
                                boost::asio::any_io_executor pool);

}  // namespace schedcp::plugins::runner
