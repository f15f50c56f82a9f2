// Runs a tool the same way for every caller (MCP tools/call, `schedcp-cli call`):
// drop optional arguments given as null (see below), validate the arguments against the
// tool's input schema, run the handler, and turn whatever it throws into an error result
// (handler_errors.hpp).
// Never throws except for cancellation.
//
// `null` means "not given" for a top-level property that the schema does not require and
// whose own schema does not accept null: it is removed before validation, so handlers
// never see it. A required property given null is refused by validation as usual.
//
// `ctx.logger()` should be the tool's plugin's logger (its channel); `log` is the host's,
// for the host's own records about the call.
//
// With ResultCheck::output_schema a successful result that does not match the tool's
// outputSchema becomes an internal error naming the plugin (server.validate_tool_results).
#pragma once

#include <optional>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "host.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/tool.hpp"

namespace schedcp::host {

// Thrown through a handler by its own context to stop the run on purpose (an MCP
// 2026-07-28 call that must first ask its client: the handler runs again with the
// answers). Not an std::exception, so a handler's catch (std::exception&) lets it pass;
// invoke_tool rethrows it instead of making it an error result.
struct RunAbandoned {};

// Whether invoke_tool checks results against the tool's output schema.
enum class ResultCheck { none, output_schema };

// The check the config asks for (server.validate_tool_results).
ResultCheck result_check(const HostConfig& config);

// What invoke_tool does with a success whose text is empty (see text_is_structured).
enum class EmptyText {
    render,  // sets text = compact(structured), and parses structured_json into structured:
             // callers that use text or the value on their own (the CLI)
    keep,    // leaves it empty: the MCP server writes the text from its one serialisation
};

// `args` is taken by value: a caller that is done with its arguments moves them in, and
// they reach the handler without a copy.
boost::asio::awaitable<sdk::ToolResult> invoke_tool(const RegisteredTool& tool,
                                                    boost::json::object args, sdk::CallContext& ctx,
                                                    sdk::Logger& log, ResultCheck check,
                                                    EmptyText empty_text = EmptyText::render);

// The call's result from the tool's ready answer (ToolSpec::ready_answer), made and checked
// as invoke_tool makes and checks a handler's: invalid arguments give their error result
// without the tool being asked. nullopt when the tool has no ready answer or declined this
// call: then `args` holds the validated arguments for invoke_tool (which checks them
// again, harmlessly); else `args` is spent.
std::optional<sdk::ToolResult> answer_ready(const RegisteredTool& tool, boost::json::object& args,
                                            sdk::Logger& log, ResultCheck check,
                                            EmptyText empty_text = EmptyText::render);

// Whether a result's text is (or, with EmptyText::keep, stands for) compact(structured): a
// success that came back without text of its own and with a structured value.
bool text_is_structured(const sdk::ToolResult& result);

// Whether a result has a structured value, as a tree or as structured_json.
bool has_structured(const sdk::ToolResult& result);
// Whether that value is a JSON object.
bool structured_is_object(const sdk::ToolResult& result);
// Parses structured_json into `structured` when only the bytes were given (callers that
// use the value itself: output-schema validation, the CLI). Malformed bytes are a plugin
// bug: the result becomes an internal error naming `plugin`.
void materialise_structured(sdk::ToolResult& result, const std::string& plugin);

// The arguments a tool's handler gets from what a caller sent: optional nulls dropped, then
// checked against the input schema. nullopt and `args` set when they pass; else the
// invalid_argument error naming every violation. invoke_tool and CLI commands that do a
// tool's work (sdk::ToolMapping) both use it.
// `given` is taken by value: moved in, it becomes `args` without a copy unless it holds a
// null to drop.
std::optional<sdk::Error> prepare_arguments(const RegisteredTool& tool, boost::json::object given,
                                            boost::json::object& args);

// The canonical error result: text = the message (plus details as JSON, if any),
// structured = {"error": {"code", "message", "details"?}}, is_error = true.
sdk::ToolResult error_result(sdk::ErrorCode code, const std::string& message,
                             const boost::json::value& details = nullptr);

// The error an error result carries (the inverse of error_result), for callers that report
// errors as errors (the CLI's `call`); nullopt when `result` is not an error result.
std::optional<sdk::Error> error_of(const sdk::ToolResult& result);

}  // namespace schedcp::host
