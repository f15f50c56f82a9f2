// The CallContext a tool handler gets when it is called over MCP: progress becomes
// notifications/progress (when the request carried a progressToken), cancellation comes
// from notifications/cancelled.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>

#include <boost/json/value.hpp>

#include "ask_client.hpp"
#include "log_routing.hpp"
#include "revision.hpp"
#include "schedcp/sdk/call_context.hpp"
#include "tasks/task_store.hpp"

namespace schedcp::host::mcp {

class McpSession;

class McpCallContext final : public sdk::CallContext {
  public:
    // A tool call: its records carry the call (CallLog).
    McpCallContext(McpSession& server, CallLog& log, boost::json::value progress_token,
                   boost::json::value request_id, const Revision& rev, std::stop_token stop)
        : McpCallContext(server, progress_token, request_id, rev, stop) {
        call_log_ = &log;
    }
    // Any other handler (a resource read): `logger` is its plugin's.
    McpCallContext(McpSession& server, sdk::Logger& logger, boost::json::value progress_token,
                   boost::json::value request_id, const Revision& rev, std::stop_token stop)
        : McpCallContext(server, progress_token, request_id, rev, stop) {
        logger_ = &logger;
    }

    boost::asio::any_io_executor executor() override;
    boost::asio::any_io_executor blocking_executor() override;
    // A tool call's own logger is made when the handler first asks for it (CallLog).
    sdk::Logger& logger() override { return call_log_ ? call_log_->logger() : *logger_; }
    void report_progress(double progress, std::optional<double> total,
                         std::string_view message) override;
    std::stop_token stop_token() const override { return stop_; }
    // ask_client.cpp. 2025 revisions: requests to the client, awaited; 2026-07-28: answers
    // from the round, else the run stops (RunAbandoned) to answer input_required.
    boost::asio::awaitable<std::vector<sdk::ClientAnswer>> ask_client(
        std::vector<sdk::ClientRequest> questions, sdk::WhenUnsupported when) override;
    // Ends this request's response stream early where the transport can resume it
    // (Streamable HTTP, 2025-11-25); every other transport and era ignores it.
    void close_stream() override;

    // Before the handler runs: what the client declared, and (2026-07-28) the round.
    void allow_asking(SharedCapabilities client_capabilities, std::optional<InputRound> round) {
        client_capabilities_ = std::move(client_capabilities);
        round_ = std::move(round);
    }
    // After it ran: capabilities a `refuse` question needed and the client lacked; the
    // round (its requests are set when the run stopped to ask).
    const boost::json::object& missing_capabilities() const { return missing_; }
    const std::optional<InputRound>& round() const { return round_; }

    // After the response: no further progress may be sent for this request.
    void complete();

    // Tasks (tasks/task_input.hpp): `start` makes the call a task when run_as_task() is
    // called (it answers the request with the handle; null: no task, the call goes on as
    // it was). Set only where the call may become one.
    void allow_task(std::function<std::shared_ptr<Task>()> start) {
        start_task_ = std::move(start);
    }
    void run_as_task() override;
    // The task this call became, if it did.
    const std::shared_ptr<Task>& task() const { return task_; }

  private:
    McpCallContext(McpSession& server, boost::json::value& progress_token,
                   boost::json::value& request_id, const Revision& rev, std::stop_token& stop)
        : server_(server),
          token_(std::move(progress_token)),
          request_id_(std::move(request_id)),
          rev_(rev),
          stop_(std::move(stop)) {}

    McpSession& server_;
    CallLog* call_log_ = nullptr;    // a tool call's, or
    sdk::Logger* logger_ = nullptr;  // a fixed one
    boost::json::value token_;
    boost::json::value request_id_;  // progress travels with its request (HTTP)
    const Revision& rev_;
    std::stop_token stop_;
    std::mutex mutex_;
    std::optional<double> last_;
    bool done_ = false;
    SharedCapabilities client_capabilities_;  // none: the client declared nothing
    std::optional<InputRound> round_;
    boost::json::object missing_;
    std::size_t questions_ = 0;  // numbers the questions without a key: q1, q2, ...
    std::function<std::shared_ptr<Task>()> start_task_;
    std::shared_ptr<Task> task_;
};

}  // namespace schedcp::host::mcp
