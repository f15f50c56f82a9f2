// The runner's CLI commands: `run` (foreground, streaming, Ctrl-C stops it cleanly) and
// `status` (what the kernel has loaded now).
#pragma once

#include <memory>

#include <boost/asio/awaitable.hpp>

#include "launcher.hpp"
#include "schedcp/sdk/command.hpp"

namespace schedcp::plugins::runner {

// Starts r, streams its output (following the executions its failure policy starts) until
// it ends or Ctrl-C stops it; the exit code is the scheduler's own. `run` and `default run`.
boost::asio::awaitable<sdk::CommandResult> run_in_foreground(std::shared_ptr<RunnerCore> core,
                                                             StartRequest r,
                                                             sdk::CommandContext& ctx);

sdk::CommandSpec run_command(std::shared_ptr<RunnerCore> core);
sdk::CommandSpec status_command(std::shared_ptr<RunnerCore> core);

}  // namespace schedcp::plugins::runner
