// `schedcp-cli switch NAME [--mode M] [-- ARGS]`: from whatever schedcp runs now to NAME,
// with rollback. The semantics are in the command's help (switch_command.cpp).
#pragma once

#include <memory>

#include "launcher.hpp"
#include "schedcp/sdk/command.hpp"

namespace schedcp::plugins::runner {

sdk::CommandSpec switch_command(std::shared_ptr<RunnerCore> core);

}  // namespace schedcp::plugins::runner
