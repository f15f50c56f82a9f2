// The runner announces an execution's changes to MCP clients that listen for resource
// updates (plugins/runner/execution_updates.hpp): schedcp://executions/{id} when its status
// changes, .../output when lines arrive (rate-limited), in the 2025 era
// (resources/subscribe) and in 2026-07-28 (subscriptions/listen over HTTP). Fake
// schedulers as in runner_test.cpp.
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "http_client.hpp"
#include "runner_fixture.hpp"

using namespace schedcp::test;
using namespace schedcp::test::runner_fixture;

namespace {

bool updated(const std::deque<bj::object>& notifications, const std::string& uri) {
    for (const auto& n : notifications)
        if (n.at("method") == "notifications/resources/updated" &&
            n.at("params").at("uri").as_string() == uri)
            return true;
    return false;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(runner_resource_updates, RunnerFixture)

BOOST_AUTO_TEST_CASE(subscribers_hear_when_an_execution_ends_and_of_its_output) {
    scheduler("scx_simple", "lines=3\n");
    McpClient c(config());
    c.initialize();
    auto started = ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    const std::string uri =
        "schedcp://executions/" + std::string(started.at("execution_id").as_string());
    result(c.request("resources/subscribe", {{"uri", uri}}));
    result(c.request("resources/subscribe", {{"uri", uri + "/output"}}));
    c.notifications().clear();

    ok(c.call("stop_scheduler", {{"execution_id", started.at("execution_id")}}));
    // The status change is announced before the stop's answer.
    BOOST_TEST(updated(c.notifications(), uri));
    // The output's announcement comes at once or, right after others, within a second.
    while (!updated(c.notifications(), uri + "/output")) {
        auto next = c.next();
        BOOST_REQUIRE_MESSAGE(next, "no notifications/resources/updated for " + uri + "/output");
        if (next->is_object() && !next->as_object().contains("id"))
            c.notifications().push_back(next->as_object());
    }
    // What the update announced is there to read.
    auto read = result(c.request("resources/read", {{"uri", uri}}));
    auto execution = bj::parse(read.at("contents").at(0).at("text").as_string());
    BOOST_TEST(execution.at("status").as_string() == "stopped");
}

BOOST_AUTO_TEST_CASE(a_2026_listener_hears_when_an_execution_stops) {
    scheduler("scx_simple", "lines=1\n");
    HttpServerProcess server(config());
    auto call = [&](int id, const std::string& tool, bj::object args) {
        auto r =
            http_request(server.port(), "POST",
                         modern_body(id, "tools/call",
                                     bj::object{{"name", tool}, {"arguments", std::move(args)}}),
                         modern_headers("tools/call", tool));
        BOOST_REQUIRE_EQUAL(r.messages().size(), 1u);
        return ok(r.messages().front().as_object());
    };
    auto started = call(1, "run_scheduler", {{"name", "scx_simple"}});
    const std::string execution_id(started.at("execution_id").as_string());
    const std::string uri = "schedcp://executions/" + execution_id;

    RawConnection listen(server.port());
    listen.send(close_request(
        "POST", "/mcp", "127.0.0.1",
        modern_body(2, "subscriptions/listen",
                    bj::object{{"notifications", bj::object{{"resourceSubscriptions",
                                                             bj::array{bj::string(uri)}}}}}),
        modern_headers("subscriptions/listen")));
    BOOST_REQUIRE(listen.read_until("subscriptions/acknowledged").find("acknowledged") !=
                  std::string::npos);

    BOOST_TEST(
        call(3, "stop_scheduler", {{"execution_id", execution_id}}).at("status").as_string() ==
        "stopped");
    const std::string seen = listen.read_until("notifications/resources/updated");
    BOOST_TEST(seen.find(R"("uri":")" + uri + "\"") != std::string::npos, seen);
    BOOST_TEST(seen.find(R"("io.modelcontextprotocol/subscriptionId":2)") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
