// The CallContext a tool handler gets when it is called over MCP: progress becomes
// notifications/progress (when the request carried a progressToken), cancellation comes
// from notifications/cancelled.
#pragma once

#include <mutex>
#include <optional>
#include <stop_token>

#include <boost/json/value.hpp>

#include "revision.hpp"
#include "schedcp/sdk/call_context.hpp"

namespace schedcp::host::mcp {

class McpSession;

class McpCallContext final : public sdk::CallContext {
  public:
    McpCallContext(McpSession& server, sdk::Logger& logger, boost::json::value progress_token,
                   boost::json::value request_id, const Revision& rev, std::stop_token stop)
        : server_(server),
          logger_(logger),
          token_(std::move(progress_token)),
          request_id_(std::move(request_id)),
          rev_(rev),
          stop_(std::move(stop)) {}

    boost::asio::any_io_executor executor() override;
    boost::asio::any_io_executor blocking_executor() override;
    sdk::Logger& logger() override { return logger_; }
    void report_progress(double progress, std::optional<double> total,
                         std::string_view message) override;
    std::stop_token stop_token() const override { return stop_; }

    // After the response: no further progress may be sent for this request.
    void complete();

  private:
    McpSession& server_;
    sdk::Logger& logger_;
    boost::json::value token_;
    boost::json::value request_id_;  // progress travels with its request (HTTP)
    const Revision& rev_;
    std::stop_token stop_;
    std::mutex mutex_;
    std::optional<double> last_;
    bool done_ = false;
};

}  // namespace schedcp::host::mcp
