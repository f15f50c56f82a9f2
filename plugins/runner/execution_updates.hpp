// Tells MCP clients that listen for resource updates (2025: resources/subscribe; 2026-07-28:
// subscriptions/listen) that an execution changed, through
// PluginContext::notify_resource_updated:
//  - schedcp://executions/{id} at once when its status changes (starting, running, and its
//    end: stopped, exited, failed);
//  - schedcp://executions/{id}/output when lines arrive, at most once per kOutputInterval
//    for all executions together (a chatty scheduler prints thousands of lines a second):
//    the first line after a quiet interval is announced at once, later ones together when
//    the interval is over, so the last lines are always announced. Its end announces the
//    output too.
// Event loop only (RunnerCore's coroutines, the tools).
#pragma once

#include <chrono>
#include <set>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "schedcp/sdk/plugin_context.hpp"

namespace schedcp::plugins::runner {

class ExecutionUpdates {
  public:
    static constexpr std::chrono::seconds kOutputInterval{1};

    explicit ExecutionUpdates(sdk::PluginContext& ctx) : ctx_(ctx), flush_(ctx.executor()) {}
    ExecutionUpdates(const ExecutionUpdates&) = delete;
    ExecutionUpdates& operator=(const ExecutionUpdates&) = delete;

    void status_changed(const std::string& execution_id);
    void output_added(const std::string& execution_id);
    // Plugin stop: nothing is announced any more (the executions stopped now are not), and
    // no timer outlives it.
    void stop() noexcept;

  private:
    static std::string execution_uri(const std::string& id);
    void announce_output(const std::string& id);
    void flush_pending();

    sdk::PluginContext& ctx_;
    boost::asio::steady_timer flush_;
    bool armed_ = false;
    bool stopped_ = false;
    std::chrono::steady_clock::time_point last_output_{};
    std::set<std::string> pending_;  // executions whose output changed since the last announcement
};

}  // namespace schedcp::plugins::runner
