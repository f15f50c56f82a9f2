// The running scheduler's own statistics for get_execution_status and `schedcp-cli status`:
// scx_stats' "stats" (target "top") from its socket, read on the blocking pool (a socket that
// never answers holds a worker until the deadline, never the event loop), bounded in time and
// size by the runner's settings.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "schedcp/sdk/scx_stats.hpp"

namespace schedcp::plugins::runner {

struct StatsSource {
    std::filesystem::path socket = sdk::scx_stats::kDefaultSocket;
    int timeout_ms = 100;
    std::size_t max_bytes = 1 << 20;
};

// {"available": true, "socket", "stats": {...}} or {"available": false, "socket", "reason"}.
boost::asio::awaitable<boost::json::object> read_scheduler_stats(StatsSource source,
                                                                 boost::asio::any_io_executor pool);

// What an execution that is not running reports instead: {"available": false, "reason"}.
boost::json::object stats_not_running(std::string_view execution_id, std::string_view status);

// get_execution_status' output schema for "scheduler_stats".
boost::json::object scheduler_stats_schema();

}  // namespace schedcp::plugins::runner
