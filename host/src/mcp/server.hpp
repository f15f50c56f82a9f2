// The MCP server: JSON-RPC over stdio, serving the host's tools to clients of both
// protocol eras on one connection.
//
// The opening message picks the era (see era.hpp): `initialize` opens a 2025-era
// session; a request carrying the 2026-07-28 `_meta` envelope is served statelessly.
// Everything era-specific lives in LegacyEra and ModernEra; this class owns what is
// common: framing, classification, concurrency, cancellation, progress, tool calls.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include "../host.hpp"
#include "jsonrpc.hpp"
#include "revision.hpp"
#include "stdio_transport.hpp"

namespace schedcp::host::mcp {

class LegacyEra;
class ModernEra;

struct ServerIdentity {
    std::string name = "schedcp";
    std::string title = "schedcp: sched_ext scheduler control";
    std::string version;
    std::string instructions;
};

// Replies to the requests of one JSON-RPC batch (2025-03-26) are sent together.
struct Batch {
    std::vector<std::string> replies;  // each already serialised
    std::size_t pending = 0;           // requests still running
    bool dispatched = false;           // every element has been handed out
};

enum class EraState { undecided, legacy, modern };

class McpServer {
  public:
    McpServer(Host& host, int in_fd, int out_fd);
    ~McpServer();

    // Starts reading; returns immediately. The host's io_context then runs the server
    // until the client goes away or a signal arrives.
    void start();

    // Used by the eras.
    Host& host() { return host_; }
    const ServerIdentity& identity() const { return identity_; }
    EraState era() const { return era_; }
    void pin(EraState era) { era_ = era; }
    void send(const boost::json::object& message);
    // logging/setLevel: forward log records at or above `mcp_level` as notifications/message.
    void install_log_forwarding(const std::string& mcp_level);
    // Sends a response (or adds it to the current batch). In the modern era every result
    // is finished with resultType and the server's identity.
    void reply(const boost::json::value& id, boost::json::object result, const Revision& rev);
    void reply_error(RpcError error);

    // Era-independent operations on tools.
    boost::json::object list_tools(const Revision& rev, const boost::json::object& params,
                                   std::optional<RpcError>& error);
    // Answers tools/list in a 2025-era session. Outside a batch the result is serialised
    // once per revision and reused: the tool set is fixed once the plugins are loaded.
    void reply_tools_list(const Message& msg, const Revision& rev);
    static void list_tools_cursor_check(const boost::json::object& params,
                                        std::optional<RpcError>& error);
    // Validates tools/call params and starts the call; the response is sent when it
    // finishes (unless cancelled). Returns an error for protocol-level problems.
    std::optional<RpcError> call_tool(const Message& msg, const Revision& rev);

  private:
    void deliver(const boost::json::object& message, const std::shared_ptr<Batch>& batch);
    void deliver(std::string serialised, const std::shared_ptr<Batch>& batch);
    void batch_item_done(const std::shared_ptr<Batch>& batch);

    struct InFlight {
        std::stop_source stop;
        boost::asio::cancellation_signal cancel;
        bool cancelled = false;
    };

    void on_line(std::string line);
    void on_value(const boost::json::value& v);
    void dispatch(const Message& msg);
    void on_notification(const Message& msg);
    void begin_shutdown(const char* why);
    void finish_shutdown();

    Host& host_;
    ServerIdentity identity_;
    std::unique_ptr<StdioTransport> transport_;
    std::unique_ptr<LegacyEra> legacy_;
    std::unique_ptr<ModernEra> modern_;
    std::map<std::string, std::shared_ptr<InFlight>> in_flight_;
    boost::asio::signal_set signals_;
    boost::asio::steady_timer grace_timer_;
    std::shared_ptr<Batch> current_batch_;
    std::map<const Revision*, std::string>
        tools_list_json_;  // per revision, see reply_tools_list  // set while the elements of a
                           // batch are dispatched
    EraState era_ = EraState::undecided;
    bool input_closed_ = false;
    bool shutting_down_ = false;

    friend class LegacyEra;
    friend class ModernEra;
};

}  // namespace schedcp::host::mcp
