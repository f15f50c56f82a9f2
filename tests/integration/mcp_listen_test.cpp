// subscriptions/listen (MCP 2026-07-28) on the real binary, over stdio and Streamable HTTP
// (host/src/mcp/subscriptions_listen.hpp): the acknowledgement first with what the server
// honours, updates tagged with the subscription id, cancellation, the refusals, the bound
// per client and the graceful end of an idle listen.
#include <deque>
#include <memory>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "http_client.hpp"
#include "mcp_client.hpp"

using namespace schedcp::test;

namespace {

constexpr const char* kWatched = "test://watched-resource";
constexpr const char* kSubscriptionId = "io.modelcontextprotocol/subscriptionId";

// A server with the conformance fixtures (test://watched-resource, test_touch_watched_resource).
struct Fixture {
    TempDir dir;
    std::string cfg = write_config(dir, "  - name: conformance\n");
};

bj::object modern(bj::object params = {}) {
    params["_meta"] = bj::object{
        {"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
        {"io.modelcontextprotocol/clientInfo", bj::object{{"name", "tests"}, {"version", "1"}}},
        {"io.modelcontextprotocol/clientCapabilities", bj::object{}}};
    return params;
}

bj::object watch_filter() {
    return bj::object{{"resourceSubscriptions", bj::array{kWatched}}, {"toolsListChanged", true}};
}

// The JSON-RPC messages of the `data:` lines of a raw (possibly partial) SSE response.
std::vector<bj::object> sse_messages(const std::string& raw) {
    std::vector<bj::object> out;
    std::size_t at = 0;
    while ((at = raw.find("data: ", at)) != std::string::npos) {
        const auto end = raw.find('\n', at);
        boost::system::error_code ec;
        auto v = bj::parse(raw.substr(at + 6, end - at - 6), ec);
        if (!ec && v.is_object()) out.push_back(v.as_object());
        at = end;
    }
    return out;
}

const bj::object* find_method(const std::vector<bj::object>& messages, const std::string& method) {
    for (const auto& m : messages)
        if (m.contains("method") && m.at("method").as_string() == method) return &m;
    return nullptr;
}

const bj::object* find_method(const std::deque<bj::object>& messages, const std::string& method,
                              const bj::value& subscription) {
    for (const auto& m : messages)
        if (m.at("method").as_string() == method &&
            m.at("params").at("_meta").at(kSubscriptionId) == subscription)
            return &m;
    return nullptr;
}

// A listen POSTed on its own connection (2026-07-28, stateless), left open.
std::unique_ptr<RawConnection> open_listen(int port, int id, bj::object filter) {
    auto c = std::make_unique<RawConnection>(port);
    c->send(close_request(
        "POST", "/mcp", "127.0.0.1",
        modern_body(id, "subscriptions/listen", bj::object{{"notifications", std::move(filter)}}),
        modern_headers("subscriptions/listen")));
    return c;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(mcp_listen, Fixture)

BOOST_AUTO_TEST_CASE(a_listen_on_stdio_hears_updates_until_it_is_cancelled) {
    McpClient c(cfg);
    auto discover = c.request("server/discover", modern());
    BOOST_TEST(discover.at("result").at("capabilities").at("resources").at("subscribe").as_bool());

    c.send(bj::object{{"jsonrpc", "2.0"},
                      {"id", "L1"},
                      {"method", "subscriptions/listen"},
                      {"params", modern({{"notifications", watch_filter()}})}});
    auto first = c.next();
    BOOST_REQUIRE(first);
    const auto& ack = first->as_object();
    BOOST_TEST(ack.at("method").as_string() == "notifications/subscriptions/acknowledged");
    BOOST_TEST(ack.at("params").at("_meta").at(kSubscriptionId).as_string() == "L1");
    // Only what the server honours: its lists never change, so no toolsListChanged.
    BOOST_TEST(bj::serialize(ack.at("params").at("notifications")) ==
               R"({"resourceSubscriptions":["test://watched-resource"]})");

    // An update a handler signals reaches the listener before that handler's answer.
    auto touch = modern({{"name", "test_touch_watched_resource"}, {"arguments", bj::object{}}});
    BOOST_TEST(c.request("tools/call", touch).contains("result"));
    const auto* updated = find_method(c.notifications(), "notifications/resources/updated", "L1");
    BOOST_REQUIRE(updated);
    BOOST_TEST(updated->at("params").at("uri").as_string() == kWatched);

    // Cancelled: no more updates (and no response: the next one read is the touch's).
    c.notify("notifications/cancelled", {{"requestId", "L1"}});
    c.notifications().clear();
    auto after = c.request("tools/call", touch);
    BOOST_TEST(after.contains("result"));
    BOOST_TEST(!find_method(c.notifications(), "notifications/resources/updated", "L1"));
}

BOOST_AUTO_TEST_CASE(listen_refusals) {
    McpClient c(cfg);
    auto code_of = [&](bj::object params) {
        auto r = c.request("subscriptions/listen", modern(std::move(params)));
        BOOST_REQUIRE_MESSAGE(r.contains("error"), bj::serialize(r));
        return r.at("error").as_object();
    };
    BOOST_TEST(code_of({}).at("code").as_int64() == -32602);  // no notifications
    BOOST_TEST(code_of({{"notifications", "all"}}).at("code").as_int64() == -32602);
    BOOST_TEST(code_of({{"notifications", bj::object{{"resourceSubscriptions", kWatched}}}})
                   .at("code")
                   .as_int64() == -32602);
    BOOST_TEST(code_of({{"notifications", bj::object{{"resourceSubscriptions", bj::array{1}}}}})
                   .at("code")
                   .as_int64() == -32602);
    BOOST_TEST(code_of({{"notifications", bj::object{{"toolsListChanged", "yes"}}}})
                   .at("code")
                   .as_int64() == -32602);
    auto unknown = code_of(
        {{"notifications", bj::object{{"resourceSubscriptions", bj::array{"test://nothing"}}}}});
    BOOST_TEST(unknown.at("code").as_int64() == -32602);
    BOOST_TEST(unknown.at("data").at("uri").as_string() == "test://nothing");
    bj::array many;
    for (int i = 0; i < 257; ++i) many.emplace_back(kWatched);
    auto too_many = code_of({{"notifications", bj::object{{"resourceSubscriptions", many}}}});
    BOOST_TEST(std::string(too_many.at("message").as_string()).find("at most 256") !=
               std::string::npos);

    // The 2025 revisions have resources/subscribe instead.
    McpClient legacy(cfg);
    legacy.initialize();
    auto old = legacy.request("subscriptions/listen",
                              {{"notifications", bj::object{{"resourcesListChanged", true}}}});
    BOOST_TEST(old.at("error").at("code").as_int64() == -32601);

    // A server without resources has nothing to listen to.
    TempDir bare_dir;
    McpClient bare(write_config(bare_dir, "  - name: testplug\n"));
    auto none = bare.request("subscriptions/listen",
                             modern({{"notifications", bj::object{{"toolsListChanged", true}}}}));
    BOOST_TEST(none.at("error").at("code").as_int64() == -32601);
}

BOOST_AUTO_TEST_CASE(a_listen_over_http_is_a_stream_of_its_own) {
    HttpServerProcess server(cfg);
    auto listen = open_listen(server.port(), 5, watch_filter());
    const std::string opened = listen->read_until("subscriptions/acknowledged");
    BOOST_TEST(opened.find("text/event-stream") != std::string::npos, opened);
    auto messages = sse_messages(opened);
    BOOST_REQUIRE(!messages.empty());
    BOOST_TEST(messages.front().at("method").as_string() ==
               "notifications/subscriptions/acknowledged");
    BOOST_TEST(messages.front().at("params").at("_meta").at(kSubscriptionId).as_int64() == 5);

    bj::object touch{{"name", "test_touch_watched_resource"}, {"arguments", bj::object{}}};
    auto touched = http_request(server.port(), "POST", modern_body(6, "tools/call", touch),
                                modern_headers("tools/call", "test_touch_watched_resource"));
    BOOST_TEST(touched.status == 200);
    const auto delivered = sse_messages(listen->read_until("notifications/resources/updated"));
    const auto* updated = find_method(delivered, "notifications/resources/updated");
    BOOST_REQUIRE(updated);
    BOOST_TEST(updated->at("params").at("uri").as_string() == kWatched);
    BOOST_TEST(updated->at("params").at("_meta").at(kSubscriptionId).as_int64() == 5);
}

// 16 open listens per client (stdio and loopback HTTP without auth are one client:
// `local`); a cancelled one frees its place.
BOOST_AUTO_TEST_CASE(listens_are_bounded_per_client) {
    McpClient c(cfg);
    auto listen = [&](const std::string& id) {
        c.send(bj::object{{"jsonrpc", "2.0"},
                          {"id", id},
                          {"method", "subscriptions/listen"},
                          {"params", modern({{"notifications", watch_filter()}})}});
    };
    for (int i = 1; i <= 16; ++i) listen("L" + std::to_string(i));
    auto refused = c.request_with_id("L17", "subscriptions/listen",
                                     modern({{"notifications", watch_filter()}}));
    BOOST_REQUIRE_MESSAGE(refused.contains("error"), bj::serialize(refused));
    BOOST_TEST(refused.at("error").at("code").as_int64() == -31000);
    BOOST_TEST(
        std::string(refused.at("error").at("message").as_string()).find("16 listens are open") !=
        std::string::npos);

    c.notify("notifications/cancelled", {{"requestId", "L1"}});
    // A call the server runs after the cancellation took effect (one event loop, in order).
    auto touch = modern({{"name", "test_touch_watched_resource"}, {"arguments", bj::object{}}});
    BOOST_TEST(c.request("tools/call", touch).contains("result"));
    for (int i = 1; i <= 16; ++i)
        BOOST_TEST(find_method(c.notifications(), "notifications/subscriptions/acknowledged",
                               bj::value("L" + std::to_string(i))));
    c.notifications().clear();
    listen("L18");
    auto ack = c.next();
    BOOST_REQUIRE(ack);
    BOOST_TEST(ack->at("method").as_string() == "notifications/subscriptions/acknowledged");
    BOOST_TEST(ack->at("params").at("_meta").at(kSubscriptionId).as_string() == "L18");
}

// A listen that hears nothing for server.http.session_idle_seconds ends with the revision's
// graceful result (SubscriptionsListenResult); the client listens again.
BOOST_AUTO_TEST_CASE(an_idle_listen_ends_with_the_graceful_result) {
    TempDir idle_dir;
    HttpServerProcess server(write_config(idle_dir, "  - name: conformance\n",
                                          "server: {http: {session_idle_seconds: 1}}\n"));
    auto listen = open_listen(server.port(), 9, watch_filter());
    BOOST_REQUIRE(listen->read_to_eof());
    auto messages = sse_messages(listen->received());
    BOOST_REQUIRE_EQUAL(messages.size(), 2u);
    BOOST_TEST(messages.front().at("method").as_string() ==
               "notifications/subscriptions/acknowledged");
    const auto& last = messages.back();
    BOOST_TEST(last.at("id").as_int64() == 9);
    BOOST_TEST(last.at("result").at("resultType").as_string() == "complete");
    BOOST_TEST(last.at("result").at("_meta").at(kSubscriptionId).as_int64() == 9);
    BOOST_TEST(
        last.at("result").at("_meta").as_object().contains("io.modelcontextprotocol/serverInfo"));
}

BOOST_AUTO_TEST_SUITE_END()
