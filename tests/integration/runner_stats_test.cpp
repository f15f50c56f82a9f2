// get_execution_status' scheduler_stats: a running execution's statistics from an scx_stats
// socket served by the test in scx_stats' framing (tests/support/scx_stats_server.hpp), or
// available: false with why (no socket, a socket that never answers, not running), and the
// read happens off the event loop: other requests are answered while it waits.
#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"
#include "runner_fixture.hpp"
#include "scx_stats_server.hpp"

using namespace schedcp::test;
using namespace schedcp::test::runner_fixture;
using namespace std::chrono_literals;

namespace {
std::string stats_settings(const std::string& socket, int timeout_ms = 1000) {
    return "      scx_stats_socket: " + socket +
           "\n      scx_stats_timeout_ms: " + std::to_string(timeout_ms) + "\n";
}
}  // namespace

BOOST_FIXTURE_TEST_SUITE(runner_stats, RunnerFixture)

BOOST_AUTO_TEST_CASE(a_running_scheduler_reports_its_statistics_until_it_stops) {
    StatsServer server(dir, [](const bj::object&) {
        return std::optional<std::string>(
            R"({"errno":0,"args":{"resp":{"busy":41.5,"nr_migrations":7}}})"
            "\n");
    });
    scheduler("scx_simple");
    McpClient c(config("", stats_settings(server.path())));
    c.initialize();
    const std::string id(
        ok(c.call("run_scheduler", {{"name", "scx_simple"}})).at("execution_id").as_string());
    auto st = ok(c.call("get_execution_status", {{"execution_id", id}}));
    BOOST_TEST(bj::serialize(st.at("scheduler_stats")) ==
               bj::serialize(bj::object{{"available", true},
                                        {"stats", bj::object{{"busy", 41.5}, {"nr_migrations", 7}}},
                                        {"socket", server.path()}}));
    // Asked as scx_stats' own client asks.
    BOOST_TEST(server.requests().at(0) == R"({"req":"stats","args":{"target":"top"}})");

    ok(c.call("stop_scheduler", {{"execution_id", id}}));
    st = ok(c.call("get_execution_status", {{"execution_id", id}}));
    BOOST_TEST(bj::serialize(st.at("scheduler_stats")) ==
               bj::serialize(bj::object{
                   {"available", false},
                   {"reason", "execution " + id +
                                  " is stopped: a scheduler's statistics are read only while "
                                  "it runs"}}));
}

BOOST_AUTO_TEST_CASE(a_scheduler_without_a_socket_says_why) {
    scheduler("scx_simple");
    McpClient c(config("", stats_settings(dir.file("absent"))));
    c.initialize();
    const std::string id(
        ok(c.call("run_scheduler", {{"name", "scx_simple"}})).at("execution_id").as_string());
    auto stats = ok(c.call("get_execution_status", {{"execution_id", id}})).at("scheduler_stats");
    BOOST_TEST(!stats.at("available").as_bool());
    BOOST_TEST(stats.at("reason").as_string() ==
               "no scx_stats socket at " + dir.file("absent") +
                   " (no scheduler publishes statistics there: scx's Rust schedulers do while "
                   "they run, the C ones never)");
}

BOOST_AUTO_TEST_CASE(a_socket_that_never_answers_holds_no_other_request) {
    StatsServer silent(dir, [](const bj::object&) { return std::optional<std::string>(); });
    scheduler("scx_simple");
    McpClient c(config("", stats_settings(silent.path(), 3000)));
    c.initialize();
    const std::string id(
        ok(c.call("run_scheduler", {{"name", "scx_simple"}})).at("execution_id").as_string());
    c.send(bj::object{{"jsonrpc", "2.0"},
                      {"id", "slow"},
                      {"method", "tools/call"},
                      {"params", bj::object{{"name", "get_execution_status"},
                                            {"arguments", bj::object{{"execution_id", id}}}}}});
    // While the stats read waits for an answer that never comes, the server answers others:
    // list_executions comes back first, and the status has not arrived before it.
    BOOST_TEST(ok(c.call("list_executions")).at("executions").as_array().size() == 1u);
    BOOST_TEST(!c.next(0ms).has_value());
    auto slow = c.response("slow", 20s);
    BOOST_REQUIRE(slow);
    BOOST_TEST(ok(*slow).at("scheduler_stats").at("reason").as_string() ==
               "no answer from " + silent.path() + " within 3000 ms");
}

BOOST_AUTO_TEST_SUITE_END()
