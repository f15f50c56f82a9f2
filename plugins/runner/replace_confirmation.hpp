// run_scheduler with replace: true stops the scheduler this server is running. When the
// caller's client can ask its user (MCP elicitation), the user confirms that first; a
// client that cannot ask (or the CLI) replaces as before, on the caller's word alone.
#pragma once

#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "executions.hpp"
#include "schedcp/sdk/call_context.hpp"
#include "schedcp/sdk/tool.hpp"

namespace schedcp::plugins::runner {

// nullopt: go ahead (confirmed, or nobody to ask). Otherwise the answer run_scheduler
// gives instead: the user declined or dismissed the question, or the client failed to
// answer; nothing was stopped or started.
boost::asio::awaitable<std::optional<sdk::ToolResult>> confirm_replace(
    sdk::CallContext& ctx, const Execution& running, const std::string& replacement);

}  // namespace schedcp::plugins::runner
