// The runner's CLI commands: `run` (foreground, streaming, Ctrl-C stops it cleanly) and
// `status` (what the kernel has loaded now).
#pragma once

#include <memory>

#include "launcher.hpp"
#include "schedcp/sdk/command.hpp"

namespace schedcp::plugins::runner {

sdk::CommandSpec run_command(std::shared_ptr<RunnerCore> core);
sdk::CommandSpec status_command(std::shared_ptr<RunnerCore> core);

}  // namespace schedcp::plugins::runner
