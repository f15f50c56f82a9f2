// `schedcp-cli evaluate`: evaluate_scheduler from the command line, e.g.
//   schedcp-cli evaluate -s default -s scx_simple -r 5 -- hackbench -g 4 -l 200
//   schedcp-cli evaluate -s default -s scx_simple --benchmark hackbench --param groups=4
// with the host's live progress line, a result table (or --json), and --plot FILE.svg.
#pragma once

#include <memory>

#include "evaluator_core.hpp"
#include "schedcp/sdk/command.hpp"

namespace schedcp::plugins::evaluator {

sdk::CommandSpec evaluate_command(std::shared_ptr<EvaluatorCore> core);

}  // namespace schedcp::plugins::evaluator
