// Answers the revisions' schemas require where the review of issue #18 found them invalid,
// and the ambiguities it asked to settle (host/src/mcp/era.hpp, "Settled where..."):
// -32022's data.requested is always a string; supported versions list every version
// served; a malformed notification gets no answer; a bare ping is a 2025 answer that pins
// nothing; initialize still works after a refused modern request.
#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"

using namespace schedcp::test;

namespace {

bj::object envelope(const std::string& version = "2026-07-28") {
    return bj::object{{"io.modelcontextprotocol/protocolVersion", version},
                      {"io.modelcontextprotocol/clientCapabilities", bj::object{}}};
}

bj::object with_meta(bj::object params, const std::string& version = "2026-07-28") {
    params["_meta"] = envelope(version);
    return params;
}

const std::string kServed = R"(["2026-07-28","2025-11-25","2025-06-18","2025-03-26","2024-11-05"])";

struct Fixture {
    TempDir dir;
    std::string cfg = write_config(dir, "  - name: testplug\n");
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(mcp_revision_answers, Fixture)

BOOST_AUTO_TEST_CASE(unsupported_version_data_requested_is_always_a_string) {
    McpClient c(cfg);
    BOOST_TEST(c.request("tools/list", with_meta({})).contains("result"));  // pins 2026-07-28
    auto missing = c.request("initialize", {{"capabilities", bj::object{}}});
    BOOST_TEST(missing.at("error").at("code").as_int64() == -32022);
    BOOST_TEST(missing.at("error").at("data").at("requested") == bj::value(""));
    auto number = c.request("initialize", {{"protocolVersion", 2025}});
    BOOST_TEST(number.at("error").at("data").at("requested") == bj::value("2025"));
    auto text = c.request("initialize", {{"protocolVersion", "2025-11-25"}});
    BOOST_TEST(text.at("error").at("data").at("requested") == bj::value("2025-11-25"));
}

BOOST_AUTO_TEST_CASE(supported_versions_list_every_version_served) {
    McpClient c(cfg);
    auto discover = c.request("server/discover", with_meta({}));
    BOOST_TEST(bj::serialize(discover.at("result").at("supportedVersions")) == kServed);
    auto refused = c.request("tools/list", with_meta({}, "2030-01-01"));
    BOOST_TEST(refused.at("error").at("code").as_int64() == -32022);
    BOOST_TEST(bj::serialize(refused.at("error").at("data").at("supported")) == kServed);
    // A 2025 version in the envelope: refused, and the message says where it is served.
    auto legacy = c.request("tools/list", with_meta({}, "2025-11-25"));
    BOOST_TEST(legacy.at("error").at("code").as_int64() == -32022);
    BOOST_TEST(legacy.at("error").at("message").as_string().find("initialize") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_malformed_notification_gets_no_response) {
    McpClient c(cfg);
    c.initialize();
    c.send_raw(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":[7]})");
    c.send_raw(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":"x"})");
    c.send_raw(R"({"jsonrpc":"2.0","id":"after","method":"ping"})");
    // Stdio answers in order: the first thing back is the ping's answer.
    auto first = c.next();
    BOOST_REQUIRE(first.has_value());
    BOOST_TEST(first->at("id") == bj::value("after"), bj::serialize(*first));
    BOOST_TEST(first->as_object().contains("result"));
    // A request with such params is still answered (-32602).
    c.send_raw(R"({"jsonrpc":"2.0","id":9,"method":"ping","params":[1]})");
    BOOST_TEST(c.next()->at("error").at("code").as_int64() == -32602);
}

BOOST_AUTO_TEST_CASE(a_bare_ping_on_a_fresh_connection_is_a_2025_answer_and_pins_nothing) {
    {
        McpClient c(cfg);
        auto pong = c.request("ping");
        // The 2025 EmptyResult: no resultType (2026-07-28 has no ping at all).
        BOOST_TEST(bj::serialize(pong.at("result")) == "{}");
        BOOST_TEST(c.request("tools/list", with_meta({})).at("result").at("resultType") ==
                   "complete");
    }
    McpClient c(cfg);
    BOOST_TEST(c.request("ping").contains("result"));
    BOOST_TEST(c.initialize().contains("result"));
    // An enveloped ping is a 2026-07-28 request for a method that revision does not have.
    BOOST_TEST(c.request("ping", with_meta({})).at("error").at("code").as_int64() == -32601);
}

BOOST_AUTO_TEST_CASE(initialize_after_a_refused_modern_request_opens_a_2025_session) {
    McpClient c(cfg);
    auto refused = c.request("tools/list", with_meta({}, "2030-01-01"));
    BOOST_TEST(refused.at("error").at("code").as_int64() == -32022);
    auto init = c.initialize();
    BOOST_TEST(init.at("result").at("protocolVersion").as_string() == "2025-11-25");
    BOOST_TEST(c.request("tools/list").at("result").at("tools").is_array());
}

BOOST_AUTO_TEST_SUITE_END()
