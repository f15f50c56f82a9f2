// Asking the client from a running tool call (McpCallContext::ask_client) in either era,
// and what a tool call answers when it asked: the MCP 2026-07-28 input-required result
// (SEP-2322) or the -32021 of a capability the client lacks.
//
//  - 2025 revisions: each question is a JSON-RPC request to the client (PendingClientRequests),
//    sent on the tool call's stream; the handler waits for the response.
//  - 2026-07-28: nothing waits. A question whose answer is not in the request's
//    inputResponses (or its requestState) stops the handler's run (RunAbandoned); the call
//    answers resultType "input_required" with every question that run asked and a signed
//    requestState holding the answers it used. The client asks its user/model and calls
//    again with inputResponses and the state; the handler runs again from the start and
//    gets the answers this time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>

#include <boost/json/object.hpp>

#include "jsonrpc.hpp"
#include "schedcp/sdk/client_request.hpp"

namespace schedcp::host::mcp {

// MissingRequiredClientCapability (2026-07-28).
inline constexpr int kMissingClientCapability = -32021;

// What a 2026-07-28 tool call knows of its client's answers, and what its run asked.
struct InputRound {
    std::string method;            // tools/call or prompts/get (bound into the requestState)
    std::string tool;              // whose call: the tool's or the prompt's name (bound too)
    std::string arguments_digest;  // hex SHA-256 of the compact arguments
    boost::json::object known;     // answers this run may use: earlier rounds' + this request's
    boost::json::object used;      // answers this run used (carried into the next state)
    boost::json::object requests;  // questions it could not answer: key -> {method, params}
};

// What a client declared, shared read-only: a call holds the session's (2025) without
// copying it on every call; it stays what it was when the call began.
using SharedCapabilities = std::shared_ptr<const boost::json::object>;

// The capabilities the client declared: at initialize (2025) or in this request's _meta.
SharedCapabilities request_client_capabilities(const Message& msg, bool modern,
                                               const SharedCapabilities& initialized);

// Reads params.inputResponses and params.requestState of a 2026-07-28 tools/call or
// prompts/get (msg.method; `tool` names the tool or the prompt): the round, or the -32602
// for a malformed or refused one (altered, expired, another call's).
std::variant<InputRound, RpcError> read_input_round(const Message& msg, const std::string& tool,
                                                    const boost::json::object& arguments);

// The input-required result for a run that stopped to ask (resultType set by the caller's
// finish), or the -32603 when the answers so far no longer fit in a requestState.
std::variant<boost::json::object, RpcError> input_required_result(const InputRound& round,
                                                                  const boost::json::value& id);

class McpCallContext;

// What a tool call answers instead of its result because of asking: -32021 (2026-07-28)
// when a `refuse` question needed a capability the client lacks; the input-required
// result (or its -32603) when the run stopped to ask, or asked and did not stop (a handler
// that swallowed the stop). nullopt: the result stands.
std::optional<std::variant<boost::json::object, RpcError>> answer_for_asking(
    const McpCallContext& ctx, bool modern, bool ran_to_end, const boost::json::value& id);

// The answer a client's result means for a question of `kind`.
sdk::ClientAnswer interpret_client_result(sdk::ClientRequestKind kind,
                                          const boost::json::value& result);

// The request method of a kind ("elicitation/create", ...).
std::string_view method_of(sdk::ClientRequestKind kind);

}  // namespace schedcp::host::mcp
