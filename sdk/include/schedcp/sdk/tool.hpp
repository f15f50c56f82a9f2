// Tool specs: what a plugin registers to offer an MCP tool.
//
// The host owns everything protocol-shaped: it validates arguments against input_schema
// before the handler runs, turns ToolResult into the MCP result of whichever protocol
// revision the client speaks, and turns thrown sdk::Error into `isError: true` results.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

// A content item of a tool result besides its text (MCP ContentBlock): what a model should
// see as an image, hear, or read as a document. Binary data is base64-encoded here already.
struct Content {
    enum class Kind { image, audio, resource };
    Kind kind = Kind::image;
    std::string mime_type;  // required: "image/png", "audio/wav", "text/plain", ...
    std::string data;       // image, audio, binary resource: base64
    std::string text;       // text resource
    std::string uri;        // resource: what it is ("schedcp://executions/42/output")

    static Content image(std::string base64, std::string mime_type) {
        return Content{
            .kind = Kind::image, .mime_type = std::move(mime_type), .data = std::move(base64)};
    }
    static Content audio(std::string base64, std::string mime_type) {
        return Content{
            .kind = Kind::audio, .mime_type = std::move(mime_type), .data = std::move(base64)};
    }
    // An embedded resource with text content.
    static Content text_resource(std::string uri, std::string mime_type, std::string text) {
        return Content{.kind = Kind::resource,
                       .mime_type = std::move(mime_type),
                       .text = std::move(text),
                       .uri = std::move(uri)};
    }
    // An embedded resource with binary content (base64).
    static Content blob_resource(std::string uri, std::string mime_type, std::string base64) {
        return Content{.kind = Kind::resource,
                       .mime_type = std::move(mime_type),
                       .data = std::move(base64),
                       .uri = std::move(uri)};
    }
};

struct ToolResult {
    // Structured result (normally an object); goes to MCP `structuredContent`.
    boost::json::value structured;
    // Text for the model and for humans. Empty: the host renders `structured` as JSON.
    std::string text;
    bool is_error = false;
    // Items after the text item, in order. With `content` set, an empty text and a null
    // `structured` mean: no text item at all (the content says everything).
    std::vector<Content> content;
    // The structured result already written as compact JSON (exactly what
    // sdk::json::compact writes), for a tool that assembles a large, often-served answer
    // from cached pieces. When it is set `structured` stays null: the MCP server (stdio and
    // HTTP) sends these bytes as they are, and the host parses them only where it needs the
    // value (output-schema validation, schedcp-cli). Shared and immutable (ABI 4): a tool
    // that answers the same bytes again (an unchanged listing) hands out the same string,
    // and the server reuses what it made of it last time (the text item's quoted copy)
    // without comparing the bytes.
    std::shared_ptr<const std::string> structured_json;

    static ToolResult ok(boost::json::value structured, std::string text = {}) {
        return ToolResult{.structured = std::move(structured), .text = std::move(text)};
    }
    static ToolResult ok_json(std::string structured_json) {
        return ok_json(std::make_shared<const std::string>(std::move(structured_json)));
    }
    static ToolResult ok_json(std::shared_ptr<const std::string> structured_json) {
        return ToolResult{.structured_json = std::move(structured_json)};
    }
    // The bytes of structured_json, or nullptr when it is unset or empty.
    const std::string* json() const {
        return structured_json && !structured_json->empty() ? structured_json.get() : nullptr;
    }
};

// The calls of a multi-command tool that only read, although the tool as a whole does not
// (its annotations stay truthful: read_only is false). The host lets a principal with only
// the `read` scope (HTTP authorization) make exactly these calls: those whose `argument`,
// after the arguments were validated against input_schema, is one of `values`. `argument`
// must be a required top-level string property of input_schema with an `enum` holding every
// value (checked when the tool is registered), so the decision rests on what the handler
// will see and never on raw text.
struct ReadOnlyCommands {
    std::string argument;             // the selector argument, e.g. "command"
    std::vector<std::string> values;  // its values whose calls change nothing, e.g. {"list"}
};

// Whether a tool may run as a task (the MCP tasks extension, io.modelcontextprotocol/tasks):
// the caller gets a task handle at once and polls for the result, which suits work that
// takes long (a benchmark run, a compile-and-verify) or waits for a human. The handler stays
// an ordinary coroutine: it calls CallContext::run_as_task() where the rest of its work may
// run in the background, and the host decides there whether it does (the client supports
// tasks, the server has room for one). Clients without tasks get the result as before.
enum class TaskSupport {
    forbidden,  // never a task (run_as_task() does nothing)
    optional,   // a task when the client supports tasks, else synchronous
    required,   // only as a task: a client without tasks support is refused before the
                // handler runs (MCP 2026-07-28: -32021 naming the extension)
};

using ToolHandler = std::function<boost::asio::awaitable<ToolResult>(
    const boost::json::object& args, CallContext&)>;

// An answer from memory, for a tool whose common call needs no waiting (a listing of data
// the plugin keeps up to date). The MCP server calls it on the event loop with the
// validated arguments before it sets up anything else of a call (no coroutine, no
// CallContext, no entry among the running requests), so a call it answers costs little
// more than its bytes. A result is the call's answer exactly as if `handler` had returned
// it (the same error mapping and output checks); std::nullopt means "not from memory this
// time" (a cache not yet filled, a command that does work) and the call goes to `handler`
// as usual. It must not block, wait, ask the client or report progress, and it may run
// while the tool's coroutines are suspended on the same thread. schedcp-cli always uses
// `handler`.
using ReadyAnswer = std::function<std::optional<ToolResult>(const boost::json::object& args)>;

struct ToolSpec {
    std::string name;         // [a-z][a-z0-9_]{0,63} (<= 64 chars); unique across all plugins
    std::string title;        // short human name
    std::string description;  // required: what it does and when to use it (the model reads it)
    boost::json::object input_schema;                  // JSON Schema, root type "object" (required)
    std::optional<boost::json::object> output_schema;  // schema of `structured`, if fixed
    ToolAnnotations annotations;
    ToolHandler handler;
    // ABI 3: the read-only commands of a tool that is not read-only as a whole (see
    // ReadOnlyCommands); unset when every call needs the tool's own scope.
    std::optional<ReadOnlyCommands> read_only_commands;
    TaskSupport task_support = TaskSupport::forbidden;  // see TaskSupport (ABI 3)
    // ABI 4: see ReadyAnswer; unset, every call runs `handler`.
    ReadyAnswer ready_answer;
};

}  // namespace schedcp::sdk
