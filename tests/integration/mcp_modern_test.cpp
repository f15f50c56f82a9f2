// MCP 2026-07-28 (stateless, per-request _meta) on the same binary, and how the first
// message picks the era.
#include <thread>

#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"

using namespace schedcp::test;

namespace {

bj::object envelope(const std::string& version = "2026-07-28") {
    return bj::object{
        {"io.modelcontextprotocol/protocolVersion", version},
        {"io.modelcontextprotocol/clientInfo", bj::object{{"name", "tests"}, {"version", "1"}}},
        {"io.modelcontextprotocol/clientCapabilities", bj::object{}}};
}

bj::object with_meta(bj::object params, bj::object meta = envelope()) {
    params["_meta"] = std::move(meta);
    return params;
}

struct Fixture {
    TempDir dir;
    std::string cfg = write_config(dir, "  - name: catalog\n  - name: testplug\n");
};

void check_modern_result(const bj::object& r) {
    BOOST_REQUIRE_MESSAGE(r.contains("result"), bj::serialize(r));
    BOOST_TEST(r.at("result").at("resultType").as_string() == "complete");
    BOOST_TEST(r.at("result")
                   .at("_meta")
                   .at("io.modelcontextprotocol/serverInfo")
                   .at("name")
                   .as_string() == "schedcp");
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(mcp_modern, Fixture)

BOOST_AUTO_TEST_CASE(discover_shape) {
    McpClient c(cfg);
    auto r = c.request_with_id("server-discover-probe-1", "server/discover", with_meta({}));
    check_modern_result(r);
    const auto& res = r.at("result").as_object();
    // Every version served, the 2025 ones too (issue #18: was only 2026-07-28).
    BOOST_TEST(bj::serialize(res.at("supportedVersions")) ==
               R"(["2026-07-28","2025-11-25","2025-06-18","2025-03-26","2024-11-05"])");
    BOOST_TEST(res.at("capabilities").at("tools").is_object());
    // Records reach a request whose _meta asks, so the capability is declared (issue #18).
    BOOST_TEST(res.at("capabilities").at("logging").is_object());
    // Only loaded plugins are described: this server has the catalog but no runner.
    BOOST_TEST(res.at("instructions").as_string().find("list_schedulers") != std::string::npos);
    BOOST_TEST(res.at("instructions").as_string().find("run_scheduler") == std::string::npos);
    BOOST_TEST(res.at("ttlMs").as_int64() >= 0);
    BOOST_TEST((res.at("cacheScope") == "public" || res.at("cacheScope") == "private"));
}

BOOST_AUTO_TEST_CASE(tools_list_and_call_carry_result_type_and_identity) {
    McpClient c(cfg);
    auto list = c.request("tools/list", with_meta({}));
    check_modern_result(list);
    BOOST_TEST(list.at("result").as_object().contains("ttlMs"));
    BOOST_TEST(list.at("result").as_object().contains("cacheScope"));
    BOOST_TEST(list.at("result").at("tools").as_array().size() == 6u);
    auto call = c.request(
        "tools/call", with_meta({{"name", "list_schedulers"}, {"arguments", {{"name", "lavd"}}}}));
    check_modern_result(call);
    BOOST_TEST(call.at("result").at("structuredContent").at("count").as_int64() == 1);
    auto bad = c.request("tools/call", with_meta({{"name", "list_schedulers"},
                                                  {"arguments", {{"production_ready", 1}}}}));
    check_modern_result(bad);
    BOOST_TEST(bad.at("result").at("isError").as_bool());
}

BOOST_AUTO_TEST_CASE(unsupported_version_and_missing_envelope) {
    McpClient c(cfg);
    auto r = c.request("tools/list", with_meta({}, envelope("2030-01-01")));
    BOOST_TEST(r.at("error").at("code").as_int64() == -32022);
    BOOST_TEST(r.at("error").at("message").as_string() ==
               "Unsupported protocol version: 2030-01-01");
    BOOST_TEST(bj::serialize(r.at("error").at("data")) ==
               R"({"supported":["2026-07-28","2025-11-25","2025-06-18","2025-03-26","2024-11-05"],)"
               R"("requested":"2030-01-01"})");
    auto meta = envelope();
    meta.erase("io.modelcontextprotocol/clientCapabilities");
    r = c.request("tools/list", with_meta({}, meta));
    BOOST_TEST(r.at("error").at("code").as_int64() == -32602);
    BOOST_TEST(bj::serialize(r.at("error").at("data")) ==
               R"({"missing":["io.modelcontextprotocol/clientCapabilities"]})");
    meta = envelope();
    meta["io.modelcontextprotocol/logLevel"] = "chatty";
    r = c.request("tools/list", with_meta({}, meta));
    BOOST_TEST(r.at("error").at("code").as_int64() == -32602);
}

BOOST_AUTO_TEST_CASE(a_modern_connection_rejects_legacy_requests) {
    McpClient c(cfg);
    check_modern_result(c.request("tools/list", with_meta({})));  // pins the connection
    auto r = c.request("tools/list");
    BOOST_TEST(r.at("error").at("code").as_int64() == -32602);
    BOOST_TEST(r.at("error").at("data").at("missing").as_array().size() == 2u);
    r = c.request("initialize",
                  {{"protocolVersion", "2025-11-25"}, {"capabilities", bj::object{}}});
    BOOST_TEST(r.at("error").at("code").as_int64() == -32022);
    BOOST_TEST(r.at("error").at("data").at("requested").as_string() == "2025-11-25");
    BOOST_TEST(c.request("ping", with_meta({})).at("error").at("code").as_int64() == -32601);
    BOOST_TEST(c.request("logging/setLevel", with_meta({{"level", "info"}}))
                   .at("error")
                   .at("code")
                   .as_int64() == -32601);
    BOOST_TEST(c.request("ping").at("error").at("code").as_int64() == -32601);
}

BOOST_AUTO_TEST_CASE(a_discover_probe_does_not_pin_the_era) {
    McpClient c(cfg);
    check_modern_result(c.request("server/discover", with_meta({})));
    auto init = c.initialize("2025-11-25");
    BOOST_TEST(init.at("result").at("protocolVersion").as_string() == "2025-11-25");
    auto list = c.request("tools/list");
    BOOST_TEST(!list.at("result").as_object().contains("resultType"));
}

BOOST_AUTO_TEST_CASE(enveloped_requests_on_a_legacy_connection_are_served_statelessly) {
    McpClient c(cfg);
    c.initialize("2025-06-18");
    check_modern_result(c.request("server/discover", with_meta({})));
    auto r = c.request("server/discover");  // without the envelope
    BOOST_TEST(r.at("error").at("code").as_int64() == -32602);
    BOOST_TEST(!c.request("tools/list").at("result").as_object().contains("resultType"));
}

BOOST_AUTO_TEST_CASE(progress_and_cancellation_in_the_modern_era) {
    McpClient c(cfg);
    auto meta = envelope();
    meta["progressToken"] = 7;
    c.send(
        bj::object{{"jsonrpc", "2.0"},
                   {"id", 1},
                   {"method", "tools/call"},
                   {"params", with_meta({{"name", "sleep"}, {"arguments", {{"ms", 250}}}}, meta)}});
    auto r = c.response(1);
    BOOST_REQUIRE(r);
    check_modern_result(*r);
    int progress = 0;
    for (const auto& n : c.notifications())
        if (n.at("method") == "notifications/progress" && n.at("params").at("progressToken") == 7)
            ++progress;
    BOOST_TEST(progress == 3);

    c.send(bj::object{{"jsonrpc", "2.0"},
                      {"id", 2},
                      {"method", "tools/call"},
                      {"params", with_meta({{"name", "sleep"}, {"arguments", {{"ms", 30000}}}})}});
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    c.notify("notifications/cancelled", {{"requestId", 2}});
    BOOST_TEST(!c.response(2, std::chrono::milliseconds(600)).has_value());
    check_modern_result(c.request("tools/list", with_meta({})));
}

BOOST_AUTO_TEST_SUITE_END()
