// The workloads plugin's MCP resource and prompt: a profile with its history
// (schedcp://workloads/{id}) and tune_for_workload, the loop that fills that history.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "schedcp/sdk/plugin_context.hpp"
#include "workload_ops.hpp"

namespace schedcp::plugins::workloads {

// The tune_for_workload text for `description`, naming only the steps whose tools the
// loaded plugins offer (`has_catalog`, `has_runner`, `has_monitor`: their services).
std::string tune_for_workload_text(const std::string& description, bool has_catalog,
                                   bool has_runner, bool has_monitor);

void register_workload_resources(sdk::PluginContext& ctx, std::shared_ptr<WorkloadOps> ops);

}  // namespace schedcp::plugins::workloads
