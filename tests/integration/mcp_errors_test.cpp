// Bad input over MCP: every malformed message gets the right JSON-RPC error and the
// server carries on.
#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"

using namespace schedcp::test;

namespace {

struct Fixture {
    TempDir dir;
    McpClient c{write_config(dir, "  - name: catalog\n  - name: testplug\n",
                             "server: {max_message_bytes: 65536}\n")};
    Fixture() { c.initialize(); }

    // Sends a raw line; returns the error code of the reply (0 if it was a result).
    std::int64_t code_of(const std::string& line) {
        c.send_raw(line);
        auto v = c.next();
        BOOST_REQUIRE_MESSAGE(v, "no reply to " << line.substr(0, 100));
        const auto& o = v->as_object();
        return o.contains("error") ? o.at("error").at("code").as_int64() : 0;
    }
    void still_alive() { BOOST_TEST(c.request("ping").contains("result")); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(mcp_errors, Fixture)

BOOST_AUTO_TEST_CASE(parse_errors) {
    c.send_raw("{not json");
    auto v = c.next();
    BOOST_REQUIRE(v);
    BOOST_TEST(v->at("error").at("code").as_int64() == -32700);
    BOOST_TEST(v->at("id").is_null());
    BOOST_TEST(code_of(R"({"jsonrpc":"2.0","id":1,"method":"ping")") == -32700);  // truncated
    BOOST_TEST(code_of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"p\xff\"}") ==
               -32700);  // invalid UTF-8
    BOOST_TEST(code_of(R"({"jsonrpc":"2.0","id":1,"method":"ping","x":"\udc00"})") ==
               -32700);                                      // lone surrogate
    BOOST_TEST(code_of(std::string(50000, '[')) == -32700);  // too deep, not a stack overflow
    still_alive();
}

BOOST_AUTO_TEST_CASE(invalid_requests) {
    for (const char* line :
         {"[]", "1", "\"x\"", "null", R"({"id":1,"method":"ping"})",
          R"({"jsonrpc":"2.0","id":{},"method":"ping"})", R"({"jsonrpc":"2.0","id":1})",
          R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])"})
        BOOST_TEST(code_of(line) == -32600, line);
    still_alive();
}

BOOST_AUTO_TEST_CASE(unknown_methods_and_tools) {
    // The catalog registers a resource template, so resources/list exists here (the
    // resources' own tests are in mcp_resources_test.cpp).
    BOOST_TEST(code_of(R"({"jsonrpc":"2.0","id":1,"method":"resources/lists"})") == -32601);
    c.send_raw(
        R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_schedulerss"}})");
    auto v = c.next();
    BOOST_REQUIRE(v);
    BOOST_TEST(v->at("error").at("code").as_int64() == -32602);
    BOOST_TEST(v->at("error").at("message").as_string().find("did you mean list_schedulers") !=
               std::string::npos);
    BOOST_TEST(code_of(R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{}})") == -32602);
    BOOST_TEST(
        code_of(
            R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":[1]}})") ==
        -32602);
    BOOST_TEST(code_of(R"({"jsonrpc":"2.0","id":5,"method":"tools/list","params":[]})") == -32602);
    BOOST_TEST(
        code_of(R"({"jsonrpc":"2.0","id":6,"method":"tools/list","params":{"cursor":"abc"}})") ==
        -32602);
    still_alive();
}

BOOST_AUTO_TEST_CASE(wrong_argument_types_are_tool_errors) {
    auto r = c.call("list_schedulers", {{"production_ready", "yes"}});
    BOOST_TEST(r.at("result").at("isError").as_bool());
    BOOST_TEST(r.at("result").at("content").at(0).at("text").as_string() ==
               "invalid arguments for tool 'list_schedulers': arguments.production_ready must be a "
               "boolean, got string");
    r = c.call("list_schedulers", {{"nmae", "x"}});
    BOOST_TEST(r.at("result").at("content").at(0).at("text").as_string().find(
                   "arguments.nmae is not a known property; allowed: name, production_ready") !=
               std::string::npos);
    r = c.call("echo", {});
    BOOST_TEST(r.at("result").at("content").at(0).at("text").as_string().find(
                   "arguments.text is required") != std::string::npos);
    r = c.call("fail", {{"code", "unavailable"}});
    BOOST_TEST(r.at("result").at("isError").as_bool());
    BOOST_TEST(r.at("result").at("content").at(0).at("text").as_string() == "not on this kernel");
    // error.hpp's promise: the error reaches structuredContent (2025-11-25 has it).
    BOOST_TEST(r.at("result").at("structuredContent").at("error").at("code").as_string() ==
               "unavailable");
    still_alive();
}

BOOST_AUTO_TEST_CASE(error_details_reach_structured_content_where_the_revision_has_it) {
    auto expect_details = [](const bj::object& r) {
        BOOST_REQUIRE_MESSAGE(r.contains("result"), bj::serialize(r));
        const auto& res = r.at("result").as_object();
        BOOST_TEST(res.at("isError").as_bool());
        BOOST_REQUIRE_MESSAGE(res.contains("structuredContent"), bj::serialize(r));
        const auto& err = res.at("structuredContent").at("error");
        BOOST_TEST(err.at("code").as_string() == "not_found");
        BOOST_TEST(err.at("message").as_string() == "no such thing 'x'");
        BOOST_TEST(err.at("details").at("close_matches").at(0).as_string() == "y");
    };
    expect_details(c.call("fail", {{"code", "not_found"}}));  // 2025-11-25 (the fixture's)
    {
        TempDir other;
        McpClient modern(write_config(other, "  - name: testplug\n"));
        bj::object meta{
            {"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
            {"io.modelcontextprotocol/clientInfo", bj::object{{"name", "tests"}, {"version", "1"}}},
            {"io.modelcontextprotocol/clientCapabilities", bj::object{}}};
        expect_details(modern.request(
            "tools/call",
            {{"name", "fail"}, {"arguments", {{"code", "not_found"}}}, {"_meta", meta}}));
    }
    {
        TempDir other;
        McpClient old(write_config(other, "  - name: testplug\n"));
        old.initialize("2025-03-26");  // no structured output in this revision
        auto r = old.call("fail", {{"code", "not_found"}});
        BOOST_TEST(r.at("result").at("isError").as_bool());
        BOOST_TEST(!r.at("result").as_object().contains("structuredContent"));
    }
    // A tool with an outputSchema keeps its error out of structuredContent in the 2025 era
    // (the TypeScript SDK 1.x would check it against that schema); the text still says it.
    auto echo = c.call("echo", {{"text", 1}});
    BOOST_TEST(echo.at("result").at("isError").as_bool());
    BOOST_TEST(!echo.at("result").as_object().contains("structuredContent"));
}

BOOST_AUTO_TEST_CASE(null_means_absent_for_optional_arguments) {
    auto plain = c.call("list_schedulers", {});
    auto with_null = c.call("list_schedulers", {{"name", nullptr}, {"production_ready", nullptr}});
    BOOST_TEST(!with_null.at("result").at("isError").as_bool(), bj::serialize(with_null));
    BOOST_TEST(with_null.at("result").at("structuredContent") ==
               plain.at("result").at("structuredContent"));
    // The handler never sees the null: echo returns its arguments.
    auto echoed = c.call("echo", {{"text", "hi"}, {"count", nullptr}});
    BOOST_TEST(!echoed.at("result").at("structuredContent").as_object().contains("count"),
               bj::serialize(echoed));
    // A required property given null is still refused, precisely.
    auto r = c.call("echo", {{"text", nullptr}});
    BOOST_TEST(r.at("result").at("isError").as_bool());
    BOOST_TEST(r.at("result").at("content").at(0).at("text").as_string() ==
               "invalid arguments for tool 'echo': arguments.text must be a string, got null");
    // An unknown property given null is still an unknown property.
    r = c.call("list_schedulers", {{"nmae", nullptr}});
    BOOST_TEST(r.at("result").at("content").at(0).at("text").as_string().find(
                   "arguments.nmae is not a known property") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(oversized_message_is_rejected_once_and_the_stream_resyncs) {
    std::string huge =
        R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":")" +
        std::string(300000, 'a') + "\"}}}";
    c.send_raw(huge);
    auto v = c.next();
    BOOST_REQUIRE(v);
    BOOST_TEST(v->at("error").at("code").as_int64() == -32600);
    BOOST_TEST(v->at("error").at("message").as_string().find("exceeds the limit of 65536 bytes") !=
               std::string::npos);
    still_alive();
}

BOOST_AUTO_TEST_CASE(blank_lines_crlf_and_client_responses) {
    c.send_raw("");
    c.send_raw("   ");
    c.send_raw(R"({"jsonrpc":"2.0","id":99,"result":{}})");  // a response: nothing to answer
    c.send_raw(std::string(R"({"jsonrpc":"2.0","id":"crlf","method":"ping"})") + "\r");
    auto v = c.next();
    BOOST_REQUIRE(v);
    BOOST_TEST(v->at("id").as_string() == "crlf");
}

BOOST_AUTO_TEST_CASE(a_stream_of_garbage_never_kills_the_server) {
    const char* junk[] = {"{",
                          "}",
                          "[[[",
                          "nul",
                          "\x01\x02",
                          R"({"jsonrpc":"2.0"})",
                          R"({"method":null})",
                          R"({"jsonrpc":"2.0","id":true,"method":"ping"})",
                          "{\"a\":\"\\u0000\"}"};
    int sent = 0;
    for (int round = 0; round < 20; ++round)
        for (const char* j : junk) {
            c.send_raw(j);
            ++sent;
        }
    for (int i = 0; i < sent; ++i) BOOST_REQUIRE(c.next().has_value());
    still_alive();
}

BOOST_AUTO_TEST_SUITE_END()
