// RFC 6570 level-1 URI templates (sdk/uri_template.hpp): parsing, matching, expansion.
#include <boost/test/unit_test.hpp>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/uri_template.hpp"

using schedcp::sdk::percent_encode;
using schedcp::sdk::UriTemplate;
using schedcp::sdk::UriVariables;

BOOST_AUTO_TEST_SUITE(uri_template)

BOOST_AUTO_TEST_CASE(matches_and_decodes_variables) {
    UriTemplate t("test://template/{id}/data");
    BOOST_TEST(t.variables() == std::vector<std::string>{"id"});
    auto m = t.match("test://template/123/data");
    BOOST_REQUIRE(m);
    BOOST_TEST(m->at("id") == "123");
    auto encoded = t.match("test://template/a%2Fb%20c/data");
    BOOST_REQUIRE(encoded);
    BOOST_TEST(encoded->at("id") == "a/b c");  // decoded: the handler validates it
}

BOOST_AUTO_TEST_CASE(refuses_what_is_not_an_expansion) {
    UriTemplate t("schedcp://executions/{id}");
    BOOST_TEST(!t.match("schedcp://executions/"));        // empty value
    BOOST_TEST(!t.match("schedcp://executions/a/b"));     // '/' is never part of a value
    BOOST_TEST(!t.match("schedcp://executions/../etc"));  // nor is '/' after dots
    BOOST_TEST(!t.match("schedcp://executions/a%2"));     // truncated escape
    BOOST_TEST(!t.match("schedcp://executions/a%zz"));    // not hex
    BOOST_TEST(!t.match("schedcp://execution/abc"));      // literal differs
    BOOST_TEST(!t.match("schedcp://executions/a b"));     // space is not unreserved
    BOOST_TEST(!t.match("other://executions/abc"));
    BOOST_TEST(t.match("schedcp://executions/..")->at("id") == "..");  // a value, not a path
}

BOOST_AUTO_TEST_CASE(two_variables_and_literals_made_of_value_characters) {
    UriTemplate t("x://{a}/{b}.json");
    auto m = t.match("x://one/two.part.json");
    BOOST_REQUIRE(m);
    BOOST_TEST(m->at("a") == "one");
    BOOST_TEST(m->at("b") == "two.part");
    BOOST_TEST(!t.match("x://one/.json"));
    UriTemplate output("schedcp://executions/{id}/output");
    BOOST_TEST(!output.match("schedcp://executions/abc"));
    BOOST_TEST(output.match("schedcp://executions/abc/output")->at("id") == "abc");
}

BOOST_AUTO_TEST_CASE(expansion_encodes_everything_but_unreserved) {
    UriTemplate t("x://items/{id}");
    BOOST_TEST(t.expand({{"id", "a/b?c d"}}) == "x://items/a%2Fb%3Fc%20d");
    BOOST_TEST(t.expand({{"id", "AZaz09-._~"}}) == "x://items/AZaz09-._~");
    BOOST_TEST(percent_encode("\xc3\xa9") == "%C3%A9");
    BOOST_CHECK_THROW(t.expand({}), std::invalid_argument);
    // What expand writes, match reads back.
    const std::string raw = "../x y/%";
    BOOST_TEST(t.match(t.expand({{"id", raw}}))->at("id") == raw);
}

BOOST_AUTO_TEST_CASE(refuses_templates_beyond_level_1) {
    for (const char* bad : {"", "x://{+path}", "x://{#frag}", "x://{/seg}", "x://{?q}", "x://{a,b}",
                            "x://{a*}", "x://{a:3}", "x://{}", "x://{a}{b}", "x://{a}/{a}",
                            "x://{a", "x://a}", "x://a b/{c}", "x://{a-b}"})
        BOOST_CHECK_THROW(UriTemplate{bad}, std::invalid_argument);
    BOOST_CHECK_THROW(UriTemplate(std::string(2000, 'a')), std::invalid_argument);
    try {
        UriTemplate t("x://{+path}");
    } catch (const std::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find("offset 4") != std::string::npos, e.what());
        BOOST_TEST(std::string(e.what()).find("level 1") != std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_CASE(ids_from_uris_are_checked_by_shape) {
    using schedcp::sdk::check_uri_id;
    BOOST_CHECK_NO_THROW(check_uri_id("sched_1a2b3c4d", "an execution id", "hint"));
    BOOST_CHECK_NO_THROW(check_uri_id("00000000-0000-4000-8000-000000000000", "a workload id", ""));
    for (const char* bad : {"", "..", "../etc", "a/b", "a b", "a%2F", "\x01"})
        BOOST_CHECK_THROW(check_uri_id(bad, "an id", "hint"), schedcp::sdk::InvalidArgument);
    BOOST_CHECK_THROW(check_uri_id(std::string(65, 'a'), "an id", ""),
                      schedcp::sdk::InvalidArgument);
    try {
        check_uri_id("../..", "an execution id", "(list_executions shows them)");
    } catch (const schedcp::sdk::InvalidArgument& e) {
        BOOST_TEST(std::string(e.what()) ==
                   "'../..' is not an execution id: ids are 1 to 64 of [A-Za-z0-9_-], "
                   "(list_executions shows them)");
    }
}

BOOST_AUTO_TEST_SUITE_END()
