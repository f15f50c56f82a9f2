// SEP-2243 custom headers over the real server (host/src/mcp/http/mirrored_headers.hpp):
// Mcp-Param-* must repeat the arguments a tool's schema marks with x-mcp-header, in the
// =?base64?...?= form or literally; Mcp-Name may use that form too.
#include <boost/test/unit_test.hpp>

#include "http_client.hpp"
#include "mcp_client.hpp"

using namespace schedcp::test;

namespace {

struct Fixture {
    TempDir dir;
    HttpServerProcess server{write_config(dir, "  - name: conformance\n")};

    HttpResponse call(const std::string& region, std::map<std::string, std::string> extra) {
        auto headers = modern_headers("tools/call", "test_header_param");
        for (auto& [k, v] : extra) headers[k] = v;
        bj::object params{{"name", "test_header_param"},
                          {"arguments", bj::object{{"region", region}}}};
        return http_request(server.port(), "POST", modern_body(1, "tools/call", params), headers);
    }
};

int error_code(const HttpResponse& r) {
    return static_cast<int>(r.messages().at(0).at("error").at("code").as_int64());
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(http_custom_headers, Fixture)

BOOST_AUTO_TEST_CASE(the_schema_marks_the_mirrored_argument) {
    auto list = http_request(server.port(), "POST", modern_body(1, "tools/list"),
                             modern_headers("tools/list"));
    bool found = false;
    const auto messages = list.messages();
    for (const auto& t : messages.at(0).at("result").at("tools").as_array())
        if (t.at("name") == "test_header_param") {
            BOOST_TEST(t.at("inputSchema").at("properties").at("region").at("x-mcp-header") ==
                       "Region");
            found = true;
        }
    BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(param_headers_are_checked_against_the_arguments) {
    BOOST_TEST(call("Hello", {{"Mcp-Param-Region", "Hello"}}).status == 200);
    BOOST_TEST(call("Hello", {{"Mcp-Param-Region", "=?base64?SGVsbG8=?="}}).status == 200);
    BOOST_TEST(call("SGVsbG8=", {{"Mcp-Param-Region", "SGVsbG8="}}).status == 200);  // literal

    for (const std::string bad : {"=?base64?SGVsbG8?=", "=?base64?SGVs!!!bG8=?=", "Goodbye"}) {
        auto r = call("Hello", {{"Mcp-Param-Region", bad}});
        BOOST_TEST(r.status == 400, bad);
        BOOST_TEST(error_code(r) == -32020, bad);
    }
    auto missing = call("Hello", {});
    BOOST_TEST(missing.status == 400);
    BOOST_TEST(error_code(missing) == -32020);
}

BOOST_AUTO_TEST_CASE(mcp_name_may_use_the_base64_form) {
    // "test_header_param" in the sentinel form.
    auto r =
        call("x", {{"Mcp-Param-Region", "x"}, {"Mcp-Name", "=?base64?dGVzdF9oZWFkZXJfcGFyYW0=?="}});
    BOOST_TEST(r.status == 200);
    auto wrong = call("x", {{"Mcp-Param-Region", "x"}, {"Mcp-Name", "=?base64?b3RoZXI=?="}});
    BOOST_TEST(wrong.status == 400);
    BOOST_TEST(error_code(wrong) == -32020);
}

BOOST_AUTO_TEST_SUITE_END()
