// JSON-RPC 2.0 message classification and error/response construction.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace schedcp::host::mcp {

namespace rpc_error {
inline constexpr int parse_error = -32700;
inline constexpr int invalid_request = -32600;
inline constexpr int method_not_found = -32601;
inline constexpr int invalid_params = -32602;
inline constexpr int internal_error = -32603;
// "Too many requests": application-defined, so outside JSON-RPC's reserved -32768..-32000.
// MCP 2026-07-28 ("Error Codes") says new implementations SHOULD NOT use -32000..-32019
// (legacy), MUST NOT emit codes of -32020..-32099 it does not define, and SHOULD allocate
// codes for purposes it does not define outside the reserved range. The 2025 revisions
// leave codes to implementations, so one code serves both eras. Was -32000.
inline constexpr int server_busy = -31000;
inline constexpr int unsupported_protocol_version = -32022;  // MCP 2026-07-28
// A tools/call the session's principal may not make (principal.hpp); over HTTP the answer
// is a 403 with WWW-Authenticate error="insufficient_scope". Never on stdio.
inline constexpr int insufficient_scope = -32003;
}  // namespace rpc_error

struct RpcError {
    int code;
    std::string message;
    boost::json::value data = nullptr;
    boost::json::value id = nullptr;  // the request's id when it could be read, else null
    // The message was a notification (no id): no response may ever be sent for it.
    bool notification = false;
};

struct Message {
    enum class Kind { request, notification, response };
    Kind kind;
    boost::json::value id;       // request/response only: string or integer
    std::string method;          // request/notification only
    boost::json::object params;  // empty when absent
    boost::json::value result;   // response only: its result (null for an error)
    boost::json::value error;    // response only: its error object (null for a result)
};

// Classifies one decoded JSON value. Errors carry the right code (-32600 for a bad
// envelope, -32602 for params that are not an object) and the id when readable. What it
// returns is in default storage (assigned from `v`, never copy-constructed), so `v` may
// live in an arena that ends before the message does (McpSession::on_line's).
std::variant<Message, RpcError> classify(const boost::json::value& v);

boost::json::object make_response(const boost::json::value& id, boost::json::value result);
boost::json::object make_error(const RpcError& e);
boost::json::object make_notification(const std::string& method, boost::json::object params);

// A stable string key for an id (ids may be strings or integers): "s:abc" / "n:42".
std::string id_key(const boost::json::value& id);

}  // namespace schedcp::host::mcp
