// Log records to the client (notifications/message), per era:
//  - 2025 era: logging/setLevel sets the connection's level. Records of the session's own
//    tool calls travel with their request (over HTTP, on that request's stream); records
//    of no call (host, services) go to the session as a whole.
//  - 2026-07-28: a request gets records only when its _meta carries
//    io.modelcontextprotocol/logLevel, at or above that level, and only its own call's
//    records. A 2025-era logging/setLevel on the same stdio connection changes nothing
//    for such requests.
#pragma once

#include <mutex>
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
// Most calls never log: the tagged logger and the call's forwarder are made on the first
// logger() (building a Boost.Log source and registering a forwarder cost about a
// microsecond, a tenth of a whole call). Records can only carry the call's tag once the
// logger exists, so none is missed.
class CallLog {
  public:
    // `channel`: the tool's plugin (it outlives the call). `requested`: what a 2026-07-28
    // request's _meta asked for (requested_log_level), ignored in the 2025 era.
    CallLog(McpSession& session, std::string_view channel, boost::json::value request_id,
            const Revision& rev, std::optional<sdk::LogLevel> requested)
        : session_(session),
          channel_(channel),
          request_id_(std::move(request_id)),
          rev_(rev),
          requested_(requested) {}
    ~CallLog() { stop(); }
    CallLog(const CallLog&) = delete;
    CallLog& operator=(const CallLog&) = delete;

    // Thread-safe (a handler may log from the blocking pool). A logger asked for after
    // stop() still works; its records go to the log file only.
    sdk::Logger& logger();
    // No record is sent after this returns: called before the call's response is sent.
    void stop();

  private:
    void start_forwarding();  // with mutex_ held

    McpSession& session_;
    std::string_view channel_;
    boost::json::value request_id_;
    const Revision& rev_;
    std::optional<sdk::LogLevel> requested_;
    std::mutex mutex_;
    std::optional<sdk::Logger> logger_;  // set once, under mutex_, then never reset
    CallTag tag_ = 0;
    bool forwarding_ = false;
    bool stopped_ = false;
};

// The level a 2026-07-28 request's _meta asks for, if any (admit() has validated it).
std::optional<sdk::LogLevel> requested_log_level(const boost::json::object& params);

}  // namespace schedcp::host::mcp
