// The create_and_verify_scheduler MCP tool: its spec (schema, description) and the
// readable rendering of its result, shared with the CLI.
#pragma once

#include <memory>
#include <string>

#include <boost/json/object.hpp>

#include "compiler_core.hpp"
#include "schedcp/sdk/tool.hpp"

namespace schedcp::plugins::compiler {

sdk::ToolSpec create_tool(std::shared_ptr<CompilerCore> core);

// The tool's arguments other than name and source_code, as CreateRequest::info.
boost::json::object info_from(const boost::json::object& args);

}  // namespace schedcp::plugins::compiler
