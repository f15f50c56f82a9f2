#include "scheduler_stats.hpp"

#include <chrono>
#include <string>

#include "schedcp/sdk/blocking.hpp"
#include "schedcp/sdk/schema_builder.hpp"

namespace schedcp::plugins::runner {

namespace bj = boost::json;

boost::asio::awaitable<bj::object> read_scheduler_stats(StatsSource source,
                                                        boost::asio::any_io_executor pool) {
    // Call, then await (sdk/blocking.hpp); the closure owns its copy of the source.
    auto op = sdk::run_blocking(pool, [source] {
        return sdk::scx_stats::read_stats(source.socket, "top",
                                          {.timeout = std::chrono::milliseconds(source.timeout_ms),
                                           .max_answer_bytes = source.max_bytes});
    });
    bj::object stats = co_await std::move(op);
    stats["socket"] = source.socket.string();
    co_return stats;
}

bj::object stats_not_running(std::string_view execution_id, std::string_view status) {
    return bj::object{
        {"available", false},
        {"reason", "execution " + std::string(execution_id) + " is " + std::string(status) +
                       ": a scheduler's statistics are read only while it runs"}};
}

bj::object scheduler_stats_schema() {
    using namespace sdk::schema;
    bj::object o = available_or_why(
        bj::object{
            {"socket", type("string")},
            {"stats", bj::object{{"description", "scx_stats' answer, as the scheduler sent it"}}}},
        {"socket", "stats"});
    // An unavailable read names the socket it tried; an execution that is not running, none.
    o["anyOf"].as_array()[1].as_object()["properties"].as_object()["socket"] = type("string");
    o["description"] =
        "the scheduler's own statistics (scx_stats \"stats\", target \"top\", from its socket) "
        "while it runs; available: false with the reason otherwise (C schedulers publish none)";
    return o;
}

}  // namespace schedcp::plugins::runner
