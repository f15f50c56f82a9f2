// The conformance suite's fixtures that ask the client (elicitation, sampling, roots):
// tools-call-sampling/-elicitation, elicitation-sep1034-defaults/-sep1330-enums (2025
// revisions), input-required-result-* and server-stateless's test_missing_capability and
// test_streaming_elicitation (2026-07-28). The same handlers serve both eras.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "schedcp/sdk/plugin_context.hpp"
#include "schedcp/sdk/tool.hpp"

namespace conformance {

void add_asking_fixtures(schedcp::sdk::PluginContext& ctx);
// The tasks extension's fixtures (conformance_tasks.cpp).
void add_task_fixtures(schedcp::sdk::PluginContext& ctx);

// A tool from its parts (both fixture files build their tools with it).
schedcp::sdk::ToolSpec tool_spec(std::string name, std::string description,
                                 boost::json::object input_schema,
                                 schedcp::sdk::ToolHandler handler);

}  // namespace conformance
