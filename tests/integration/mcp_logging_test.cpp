// Log records to the client, per era (host/src/mcp/log_routing.hpp): a tool call's records
// follow its own request; 2026-07-28 requests get them only when their _meta asks, at or
// above the level asked for, whatever a 2025-era logging/setLevel on the same connection
// said; both eras declare the logging capability.
#include <boost/test/unit_test.hpp>

#include "http_client.hpp"
#include "mcp_client.hpp"

using namespace schedcp::test;

namespace {

bj::object envelope(std::optional<std::string> log_level = std::nullopt) {
    bj::object meta{{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                    {"io.modelcontextprotocol/clientCapabilities", bj::object{}}};
    if (log_level) meta["io.modelcontextprotocol/logLevel"] = *log_level;
    return meta;
}

// A 2026-07-28 call of testplug's `log` tool (one warning record).
bj::object modern_log_call(std::optional<std::string> log_level = std::nullopt) {
    return bj::object{{"name", "log"},
                      {"arguments", bj::object{{"message", "modern call"}}},
                      {"_meta", envelope(std::move(log_level))}};
}

std::size_t log_notifications(const std::deque<bj::object>& notifications,
                              const std::string& text) {
    std::size_t n = 0;
    for (const auto& m : notifications)
        if (m.at("method") == "notifications/message" &&
            m.at("params").at("data").as_string() == text)
            ++n;
    return n;
}

struct Fixture {
    TempDir dir;
    std::string cfg = write_config(dir, "  - name: testplug\n");
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(mcp_logging, Fixture)

BOOST_AUTO_TEST_CASE(a_modern_request_gets_records_only_when_its_meta_asks) {
    McpClient c(cfg);
    // Stdio keeps order: a record sent for a call comes before the call's response.
    BOOST_TEST(c.request("tools/call", modern_log_call()).contains("result"));
    BOOST_TEST(log_notifications(c.notifications(), "modern call") == 0u);
    BOOST_TEST(c.request("tools/call", modern_log_call("error")).contains("result"));
    BOOST_TEST(log_notifications(c.notifications(), "modern call") == 0u);  // below the level
    BOOST_TEST(c.request("tools/call", modern_log_call("warning")).contains("result"));
    BOOST_REQUIRE_EQUAL(log_notifications(c.notifications(), "modern call"), 1u);
    for (const auto& m : c.notifications())
        if (m.at("method") == "notifications/message") {
            BOOST_TEST(m.at("params").at("level").as_string() == "warning");
            BOOST_TEST(m.at("params").at("logger").as_string() == "testplug");
        }
}

BOOST_AUTO_TEST_CASE(a_legacy_set_level_sends_nothing_to_modern_requests_on_the_connection) {
    McpClient c(cfg);
    c.initialize();
    BOOST_TEST(c.request("logging/setLevel", {{"level", "debug"}}).contains("result"));
    BOOST_TEST(c.request("tools/call", modern_log_call()).contains("result"));
    BOOST_TEST(log_notifications(c.notifications(), "modern call") == 0u);
    // The 2025-era calls of the same connection still get theirs.
    c.call("log", {{"message", "legacy call"}});
    BOOST_TEST(log_notifications(c.notifications(), "legacy call") == 1u);
}

BOOST_AUTO_TEST_CASE(without_set_level_a_legacy_call_sends_no_records) {
    McpClient c(cfg);
    c.initialize();
    c.call("log", {{"message", "unasked"}});
    BOOST_TEST(log_notifications(c.notifications(), "unasked") == 0u);
}

BOOST_AUTO_TEST_CASE(both_eras_declare_the_logging_capability) {
    McpClient c(cfg);
    auto discover = c.request("server/discover", {{"_meta", envelope()}});
    BOOST_TEST(discover.at("result").at("capabilities").at("logging").is_object());
    auto init = c.initialize();
    BOOST_TEST(init.at("result").at("capabilities").at("logging").is_object(), bj::serialize(init));
}

// Over HTTP a call's records go to that call's own response stream: no other stream gets
// them, and a stateless request without a log level gets a plain JSON answer.
BOOST_AUTO_TEST_CASE(over_http_a_calls_records_travel_with_its_answer) {
    HttpServerProcess server(write_config(dir, "  - name: conformance\n"));
    bj::object params{{"name", "test_logging_tool"}, {"arguments", bj::object{}}};
    auto quiet = http_request(server.port(), "POST", modern_body(1, "tools/call", params),
                              modern_headers("tools/call", "test_logging_tool"));
    BOOST_TEST(quiet.status == 200);
    BOOST_TEST(quiet.header("content-type") == "application/json");
    BOOST_REQUIRE_EQUAL(quiet.messages().size(), 1u);

    bj::object asking = params;
    asking["_meta"] = envelope("info");
    auto loud = http_request(server.port(), "POST",
                             bj::serialize(bj::object{{"jsonrpc", "2.0"},
                                                      {"id", 2},
                                                      {"method", "tools/call"},
                                                      {"params", std::move(asking)}}),
                             modern_headers("tools/call", "test_logging_tool"));
    BOOST_TEST(loud.status == 200);
    auto messages = loud.messages();
    BOOST_REQUIRE_EQUAL(messages.size(), 3u);  // info, warning, then the result
    BOOST_TEST(messages[0].at("params").at("level").as_string() == "info");
    BOOST_TEST(messages[1].at("params").at("level").as_string() == "warning");
    BOOST_TEST(messages[2].at("id").as_int64() == 2);
    BOOST_TEST(messages[2].at("result").at("resultType").as_string() == "complete");
}

BOOST_AUTO_TEST_SUITE_END()
