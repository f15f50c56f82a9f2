// One MCP session: the protocol state of one client connection (stdio), one HTTP session
// (Mcp-Session-Id) or one stateless HTTP request, serving the host's tools to clients of
// both protocol eras. Transports feed it messages and give it an Outbound to answer on;
// the protocol logic exists once, here and in era.cpp.
//
// The opening message picks the era (see era.hpp): `initialize` opens a 2025-era
// session; a request carrying the 2026-07-28 `_meta` envelope is served statelessly.
// Everything era-specific lives in LegacyEra and ModernEra; this class owns what is
// common: parsing, classification, concurrency, cancellation, progress, tool calls.
//
// Always held by a shared_ptr: a running tool call keeps its session alive, so an HTTP
// session ended (DELETE, idle) while calls run is freed when the last one finishes.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include <functional>

#include <boost/asio/cancellation_signal.hpp>
#include <boost/json/object.hpp>

#include "../host.hpp"
#include "../principal.hpp"
#include "client_requests.hpp"
#include "jsonrpc.hpp"
#include "outbound.hpp"
#include "quoted_text_cache.hpp"
#include "revision.hpp"
#include "tasks/task_store.hpp"

namespace schedcp::host::mcp {

class LegacyEra;
class McpCallContext;
class ModernEra;
class ResourcePromptMethods;

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

class McpSession : public std::enable_shared_from_this<McpSession> {
  public:
    // `quoted_texts`: the cache of quoted tool texts to use (a server's sessions share one,
    // so its memory is bounded per server); nullptr: one of its own. `tasks`: likewise the
    // server's task store (tasks outlive a 2026-07-28 request's session); nullptr: one of
    // its own, whose running tasks close() cancels.
    McpSession(Host& host, std::shared_ptr<Outbound> out,
               std::shared_ptr<QuotedTextCache> quoted_texts = nullptr,
               std::shared_ptr<TaskStore> tasks = nullptr);
    ~McpSession();
    McpSession(const McpSession&) = delete;
    McpSession& operator=(const McpSession&) = delete;

    // Input, on the event loop. A line of the stdio transport (parsed here, a parse error
    // answered), a decoded value (a message or a 2025-03-26 batch), or a message the
    // transport already classified.
    void on_line(std::string line);
    void on_value(const boost::json::value& v);
    void on_message(const Message& msg);

    // Requests (tool calls) still running.
    std::size_t running() const { return in_flight_.size(); }
    // Whether the last line given to on_line was one request answered at once that set
    // nothing else going (ping, tools/list, a ready answer, an error): the transport may
    // take the next line already read in the same turn of the event loop. A notification,
    // a response, a batch, or a call that runs on (or whose work was posted: tasks/update
    // wakes a task) is not.
    bool line_settled() const { return line_settled_; }
    // Called by what answers a request at once with nothing else set going.
    void answered_at_once() { answered_at_once_ = true; }
    // Stops every running request (their answers are not sent) and handles no more input.
    void close();
    bool closed() const { return closed_; }
    // Runs, on the event loop, whenever the last running request has finished.
    void set_on_idle(std::function<void()> f) { on_idle_ = std::move(f); }

    // Who sends this session's requests (the transport sets it before each message;
    // stdio never does: local, all scopes). tools/call checks it before running a tool.
    void set_principal(Principal p) { principal_ = std::move(p); }
    const Principal& principal() const { return principal_; }

    // Used by the eras.
    Host& host() { return host_; }
    const ServerIdentity& identity() const { return identity_; }
    EraState era() const { return era_; }
    void pin(EraState era) { era_ = era; }
    // A message that belongs to no request (a log record).
    void send(const boost::json::object& message);
    // A message that belongs to the request `related` (its progress).
    void send_related(const boost::json::object& message, const boost::json::value& related);
    // Asks the transport to end request `related`'s stream early (Outbound::close_stream).
    // For the SDK's CallContext::close_stream() (McpCallContext forwards it).
    void close_stream(const boost::json::value& related) { out_->close_stream(related); }
    // logging/setLevel: forward log records at or above `mcp_level` as notifications/message.
    void install_log_forwarding(const std::string& mcp_level);
    // The level logging/setLevel set, if any. Thread-safe (read for each log record).
    std::optional<sdk::LogLevel> legacy_log_level() const;
    // Sends a response (or adds it to the current batch). In the modern era every result
    // is finished with resultType and the server's identity.
    void reply(const boost::json::value& id, boost::json::object result, const Revision& rev);
    void reply_error(RpcError error);

    // Asking the client (ask_client.hpp): what it declared at initialize (2025), and the
    // requests this session sent it that await answers.
    void set_client_capabilities(boost::json::object caps) {
        client_capabilities_ = std::make_shared<const boost::json::object>(std::move(caps));
    }
    const boost::json::object& client_capabilities() const { return *client_capabilities_; }
    PendingClientRequests& client_requests() { return client_requests_; }

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
    // A tools/call response for `result`, as `rev` shapes it.
    std::string tool_answer(const boost::json::value& id, const sdk::ToolResult& result,
                            const RegisteredTool& tool, const Revision& rev);
    // tasks/get, tasks/update, tasks/cancel (2026-07-28 tasks extension: tasks/task_methods.hpp).
    void handle_task_method(const Message& msg, const Revision& rev);
    TaskStore& tasks() { return *tasks_; }
    // resources/*, prompts/*, completion/complete (resources_methods.hpp).
    ResourcePromptMethods& resource_prompt_methods() { return *resource_prompt_methods_; }

  private:
    void deliver(const boost::json::object& message, const boost::json::value& related,
                 OutboundKind kind, const std::shared_ptr<Batch>& batch);
    void deliver(std::string serialised, const boost::json::value& related, OutboundKind kind,
                 const std::shared_ptr<Batch>& batch);
    void batch_item_done(const std::shared_ptr<Batch>& batch);

    struct InFlight {
        std::stop_source stop;
        boost::asio::cancellation_signal cancel;
        bool cancelled = false;
    };

    // Makes a running tools/call a task (McpCallContext::run_as_task): answers the request
    // with the task handle and hands the call's cancellation to the task. Null when the
    // store is full (the call goes on synchronously).
    std::shared_ptr<Task> start_task(McpCallContext& ctx, const boost::json::value& id,
                                     const std::string& key, const std::string& owner,
                                     const std::shared_ptr<InFlight>& entry);
    // The handler of a call that became a task ended: its result or error becomes the task's.
    void finish_task(Task& task, const McpCallContext& ctx,
                     const std::optional<sdk::ToolResult>& ran, const RegisteredTool& tool,
                     const Revision& rev);

    void dispatch(const Message& msg);
    bool unanswerable(const RpcError& error);
    void on_notification(const Message& msg);

    Host& host_;
    ServerIdentity identity_;
    std::shared_ptr<Outbound> out_;
    std::unique_ptr<LegacyEra> legacy_;
    std::unique_ptr<ModernEra> modern_;
    std::unique_ptr<ResourcePromptMethods> resource_prompt_methods_;
    std::map<std::string, std::shared_ptr<InFlight>> in_flight_;
    std::function<void()> on_idle_;
    std::shared_ptr<Batch> current_batch_;  // set while the elements of a batch are dispatched
    std::map<const Revision*, std::string> tools_list_json_;  // per revision, see reply_tools_list
    // Tool texts quoted recently (write_tool_answer); shared by the sessions of one server.
    std::shared_ptr<QuotedTextCache> quoted_texts_;
    std::shared_ptr<TaskStore> tasks_;
    bool owns_tasks_ = false;
    EraState era_ = EraState::undecided;
    bool closed_ = false;
    bool line_settled_ = false;              // see line_settled()
    bool answered_at_once_ = false;          // set while on_line handles a line
    std::atomic<int> legacy_log_level_{-1};  // an sdk::LogLevel once logging/setLevel came
    // Shared with running calls (SharedCapabilities, ask_client.hpp).
    std::shared_ptr<const boost::json::object> client_capabilities_ =
        std::make_shared<const boost::json::object>();
    PendingClientRequests client_requests_;
    Principal principal_ = Principal::local();

    friend class LegacyEra;
    friend class ModernEra;
    friend class ResourcePromptMethods;
};

}  // namespace schedcp::host::mcp
