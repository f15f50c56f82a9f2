// Tool specs: what a plugin registers to offer an MCP tool.
//
// The host owns everything protocol-shaped: it validates arguments against input_schema
// before the handler runs, turns ToolResult into the MCP result of whichever protocol
// revision the client speaks, and turns thrown sdk::Error into `isError: true` results.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "schedcp/sdk/call_context.hpp"
#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk {

// MCP tool annotations: hints for clients, not guarantees.
struct ToolAnnotations {
    std::optional<bool> read_only;    // readOnlyHint: does not change anything
    std::optional<bool> destructive;  // destructiveHint: may undo or overwrite things
    std::optional<bool> idempotent;   // idempotentHint: repeating it has no extra effect
    std::optional<bool> open_world;   // openWorldHint: talks to things outside the host
};

struct ToolResult {
    // Structured result (normally an object); goes to MCP `structuredContent`.
    boost::json::value structured;
    // Text for the model and for humans. Empty: the host renders `structured` as JSON.
    std::string text;
    bool is_error = false;

    static ToolResult ok(boost::json::value structured, std::string text = {}) {
        return ToolResult{std::move(structured), std::move(text), false};
    }
};

using ToolHandler = std::function<boost::asio::awaitable<ToolResult>(
    const boost::json::object& args, CallContext&)>;

struct ToolSpec {
    std::string name;         // [a-z][a-z0-9_]{0,63} (<= 64 chars); unique across all plugins
    std::string title;        // short human name
    std::string description;  // required: what it does and when to use it (the model reads it)
    boost::json::object input_schema;                  // JSON Schema, root type "object" (required)
    std::optional<boost::json::object> output_schema;  // schema of `structured`, if fixed
    ToolAnnotations annotations;
    ToolHandler handler;
};

}  // namespace schedcp::sdk
