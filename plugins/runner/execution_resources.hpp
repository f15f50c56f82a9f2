// The runner's MCP resources: an execution (schedcp://executions/{id}, what
// get_execution_status shows without the live statistics) and its output
// (schedcp://executions/{id}/output, the kept lines as text).
#pragma once

#include <memory>

#include "schedcp/sdk/plugin_context.hpp"

namespace schedcp::plugins::runner {

class RunnerCore;

void register_execution_resources(sdk::PluginContext& ctx, std::shared_ptr<RunnerCore> core);

}  // namespace schedcp::plugins::runner
