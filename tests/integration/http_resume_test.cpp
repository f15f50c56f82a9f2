// SSE resumability over the real server (host/src/mcp/http/sse_resume.hpp, SEP-1699): in a
// 2025-11-25 session every SSE stream opens with a priming event and numbers its events; a
// stream whose connection dropped is finished on a GET with Last-Event-ID; older revisions
// get no ids.
#include <chrono>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "http_client.hpp"
#include "mcp_client.hpp"

using namespace schedcp::test;

namespace {

// Opens a session of `version` on a server with the conformance fixtures; returns its id.
std::string open_session(int port, const std::string& version) {
    auto init = http_request(port, "POST", initialize_body(version));
    BOOST_REQUIRE_EQUAL(init.status, 200);
    return init.header("mcp-session-id");
}

std::string call_body(int id, const std::string& tool, const std::string& meta = "{}") {
    return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
           R"(,"method":"tools/call","params":{"name":")" + tool + R"(","arguments":{},"_meta":)" +
           meta + "}}";
}

// The value of the first `field: ` line of an SSE body.
std::string first_field(const std::string& body, const std::string& field) {
    auto at = body.find(field + ": ");
    if (at == std::string::npos) return {};
    auto end = body.find('\n', at);
    return body.substr(at + field.size() + 2, end - at - field.size() - 2);
}

struct Fixture {
    TempDir dir;
    HttpServerProcess server{write_config(dir, "  - name: conformance\n")};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(http_resume, Fixture)

// A client whose connection drops mid-answer comes back with Last-Event-ID and gets the
// events it missed, then the answer.
BOOST_AUTO_TEST_CASE(a_dropped_stream_is_resumed_with_last_event_id) {
    TempDir plug_dir;
    HttpServerProcess slow_server{write_config(plug_dir, "  - name: testplug\n")};
    const int port = slow_server.port();
    const std::string session = open_session(port, "2025-11-25");
    std::string first_id;
    {
        RawConnection dropped(port);
        const std::string body =
            R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"sleep","arguments":{"ms":3000},"_meta":{"progressToken":"p"}}})";
        dropped.send(
            "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: "
            "2025-11-25\r\nMcp-Session-Id: " +
            session + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
        const std::string seen = dropped.read_until("notifications/progress");
        first_id = first_field(seen, "id");  // the priming event's
        BOOST_REQUIRE(!first_id.empty());
    }  // the connection is gone; the server finds out on its next write
    const std::string stream = first_id.substr(0, first_id.find(':'));
    // 409 while the server still writes to the dead connection; it notices within a few
    // progress events (100 ms apart) of a 3 s call.
    HttpResponse resumed;
    for (int attempt = 0; attempt < 100; ++attempt) {
        resumed = http_request(port, "GET", "",
                               {{"Mcp-Session-Id", session},
                                {"MCP-Protocol-Version", "2025-11-25"},
                                {"Accept", "text/event-stream"},
                                {"Last-Event-ID", first_id}});
        if (resumed.status != 409) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    BOOST_TEST(resumed.status == 200);
    auto messages = resumed.messages();
    BOOST_REQUIRE(!messages.empty());
    // Replayed from event 1 (the first progress), continuing to the answer.
    BOOST_TEST(first_field(resumed.body, "id") == stream + ":1");
    BOOST_TEST(messages.front().at("method").as_string() == "notifications/progress");
    BOOST_TEST(messages.back().at("id").as_int64() == 7);
    BOOST_TEST(messages.back().at("result").at("structuredContent").at("slept_ms").as_int64() ==
               3000);
}

BOOST_AUTO_TEST_CASE(events_are_numbered_and_older_revisions_get_no_ids) {
    const std::string session = open_session(server.port(), "2025-11-25");
    auto progress = http_request(
        server.port(), "POST", call_body(2, "test_tool_with_progress", R"({"progressToken":"t"})"),
        {{"Mcp-Session-Id", session}, {"MCP-Protocol-Version", "2025-11-25"}});
    BOOST_TEST(progress.header("content-type") == "text/event-stream");
    BOOST_TEST(progress.messages().size() == 4u);  // 3 progress notifications, the result
    const std::string primed = first_field(progress.body, "id");
    const std::string stream = primed.substr(0, primed.find(':'));
    for (int seq = 1; seq <= 4; ++seq)
        BOOST_TEST(progress.body.find("id: " + stream + ":" + std::to_string(seq) + "\n") !=
                   std::string::npos);

    const std::string older = open_session(server.port(), "2025-06-18");
    auto plain = http_request(server.port(), "POST",
                              call_body(3, "test_tool_with_progress", R"({"progressToken":"t"})"),
                              {{"Mcp-Session-Id", older}, {"MCP-Protocol-Version", "2025-06-18"}});
    BOOST_TEST(plain.messages().size() == 4u);
    BOOST_TEST(plain.body.find("id: ") == std::string::npos);
}

// SSE polling (SEP-1699): test_reconnection calls CallContext::close_stream() and answers
// 100 ms later. Its POST response ends with the priming event alone; the answer comes on the
// GET that resumes the stream with the priming event's id.
BOOST_AUTO_TEST_CASE(a_stream_the_handler_closes_is_answered_on_the_resumed_get) {
    const std::string session = open_session(server.port(), "2025-11-25");
    auto post = http_request(server.port(), "POST", call_body(1, "test_reconnection"),
                             {{"Mcp-Session-Id", session}, {"MCP-Protocol-Version", "2025-11-25"}});
    BOOST_TEST(post.status == 200);
    BOOST_TEST(post.header("content-type") == "text/event-stream");
    BOOST_TEST(post.messages().empty(), post.body);  // closed before the answer
    const std::string primed = first_field(post.body, "id");
    BOOST_REQUIRE(!primed.empty());
    BOOST_TEST(first_field(post.body, "retry") == "1000");

    auto resumed = http_request(server.port(), "GET", "",
                                {{"Mcp-Session-Id", session},
                                 {"MCP-Protocol-Version", "2025-11-25"},
                                 {"Accept", "text/event-stream"},
                                 {"Last-Event-ID", primed}});
    BOOST_TEST(resumed.status == 200);
    auto messages = resumed.messages();
    BOOST_REQUIRE_EQUAL(messages.size(), 1u);
    BOOST_TEST(messages.front().at("id").as_int64() == 1);
    BOOST_TEST(messages.front().at("result").at("content").at(0).at("text").as_string() ==
               "Reconnection test completed successfully");
    // The answer carries the next event id of the same stream.
    const std::string stream = primed.substr(0, primed.find(':'));
    BOOST_TEST(first_field(resumed.body, "id") == stream + ":1");
}

// Where a stream cannot be resumed, close_stream() changes nothing: the answer comes on the
// request's own response (2025-06-18 session, 2026-07-28 stateless request).
BOOST_AUTO_TEST_CASE(close_stream_is_ignored_where_streams_do_not_resume) {
    const std::string older = open_session(server.port(), "2025-06-18");
    auto plain = http_request(server.port(), "POST", call_body(1, "test_reconnection"),
                              {{"Mcp-Session-Id", older}, {"MCP-Protocol-Version", "2025-06-18"}});
    BOOST_TEST(plain.status == 200);
    BOOST_REQUIRE_EQUAL(plain.messages().size(), 1u);
    BOOST_TEST(plain.messages().front().at("result").at("content").at(0).at("text").as_string() ==
               "Reconnection test completed successfully");

    boost::json::object args{{"name", "test_reconnection"}, {"arguments", boost::json::object{}}};
    auto modern = http_request(server.port(), "POST", modern_body(2, "tools/call", args),
                               modern_headers("tools/call", "test_reconnection"));
    BOOST_TEST(modern.status == 200);
    BOOST_REQUIRE_EQUAL(modern.messages().size(), 1u);
    BOOST_TEST(modern.messages().front().at("result").at("content").at(0).at("text").as_string() ==
               "Reconnection test completed successfully");

    McpClient stdio(write_config(dir, "  - name: conformance\n"));  // stdio: no streams at all
    stdio.initialize("2025-11-25");
    auto answer = stdio.call("test_reconnection");
    BOOST_TEST(answer.at("result").at("content").at(0).at("text").as_string() ==
               "Reconnection test completed successfully");
}

BOOST_AUTO_TEST_SUITE_END()
