// The boot default (boot_default.hpp) through MCP and the CLI: the tool scheduler_default
// (command get|set|clear) and `schedcp-cli default set|show|clear` (the same operation, its
// arguments checked against the tool's schema by the host), plus `schedcp-cli default run`,
// which runs the stored default in the foreground with the failure policy, as `run` does
// (packaging/systemd/schedcp-default.service runs it at boot).
#pragma once

#include <memory>

#include "boot_default.hpp"
#include "launcher.hpp"
#include "schedcp/sdk/plugin_context.hpp"

namespace schedcp::plugins::runner {

void register_boot_default(sdk::PluginContext& ctx, std::shared_ptr<RunnerCore> core,
                           std::shared_ptr<const BootDefaultStore> store);

}  // namespace schedcp::plugins::runner
