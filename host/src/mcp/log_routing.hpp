// Log records to the client (notifications/message), per era:
//  - 2025 era: logging/setLevel sets the connection's level. Records of the session's own
//    tool calls travel with their request (over HTTP, on that request's stream); records
//    of no call (host, services) go to the session as a whole.
//  - 2026-07-28: a request gets records only when its _meta carries
//    io.modelcontextprotocol/logLevel, at or above that level, and only its own call's
//    records. A 2025-era logging/setLevel on the same stdio connection changes nothing
//    for such requests.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "../logging.hpp"
#include "revision.hpp"

namespace schedcp::host::mcp {

class McpSession;

// MCP's syslog level names <-> the SDK's levels (alert and emergency map to critical).
sdk::LogLevel from_mcp_level(std::string_view level);
const char* to_mcp_level(sdk::LogLevel level);
// A notifications/message carrying one record.
boost::json::object log_notification(sdk::LogLevel level, const std::string& channel,
                                     const std::string& message);

// The logger one tool call's handler gets, and where its records go while the call runs
// (see the top of this file). Lives in the call's coroutine; the session outlives it.
class CallLog {
  public:
    // `channel`: the tool's plugin. `params`: the request's params (for _meta's log level).
    CallLog(McpSession& session, const std::string& channel, boost::json::value request_id,
            const Revision& rev, const boost::json::object& params);
    ~CallLog() { stop(); }
    CallLog(const CallLog&) = delete;
    CallLog& operator=(const CallLog&) = delete;

    sdk::Logger& logger() { return logger_; }
    // No record is sent after this returns: called before the call's response is sent.
    void stop();

  private:
    CallTag tag_;
    sdk::Logger logger_;
    bool forwarding_ = false;
};

// The level a 2026-07-28 request's _meta asks for, if any (admit() has validated it).
std::optional<sdk::LogLevel> requested_log_level(const boost::json::object& params);

}  // namespace schedcp::host::mcp
