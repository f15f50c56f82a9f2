// bench/support/answer_scan: a benchmark that measured error answers would be worthless,
// so every answer is checked; these cases pin what the quick scan must see and ignore.
#include <stdexcept>
#include <string>

#include <boost/test/unit_test.hpp>

#include "answer_scan.hpp"

using namespace schedcp::bench;

BOOST_AUTO_TEST_SUITE(bench_answer_scan)

BOOST_AUTO_TEST_CASE(finds_the_top_level_id_wherever_it_is) {
    BOOST_TEST(*scan_answer(R"({"jsonrpc":"2.0","id":7,"result":{}})").id == 7);
    // The TypeScript SDK writes the id last, after a result that has ids of its own.
    const auto ts = scan_answer(
        R"({"result":{"profile":{"id":99},"list":[{"id":98}]},"jsonrpc":"2.0","id":8})");
    BOOST_TEST(*ts.id == 8);
    BOOST_TEST(ts.has_result);
    BOOST_TEST(!scan_answer(R"({"jsonrpc":"2.0","id":"x","result":{}})").id.has_value());
    BOOST_TEST(!scan_answer(R"({"jsonrpc":"2.0","id":1.5,"result":{}})").id.has_value());
}

BOOST_AUTO_TEST_CASE(sees_errors_and_tool_errors_but_not_nested_look_alikes) {
    BOOST_TEST(scan_answer(R"({"jsonrpc":"2.0","id":1,"error":{"code":-32601}})").has_error);
    BOOST_TEST(scan_answer(R"({"id":1,"result":{"content":[],"isError":true}})").tool_error);
    BOOST_TEST(!scan_answer(R"({"id":1,"result":{"content":[],"isError":false}})").tool_error);
    const auto nested = scan_answer(
        R"({"id":1,"result":{"structuredContent":{"isError":true,"error":{}},"content":[{"error":1}]}})");
    BOOST_TEST(!nested.tool_error);
    BOOST_TEST(!nested.has_error);
}

BOOST_AUTO_TEST_CASE(strings_with_brackets_quotes_and_backslashes_are_skipped) {
    const std::string line =
        R"({"result":{"text":"{\"id\":5,\"error\":1} [ \\","isError":false},"id":3})";
    const auto f = scan_answer(line);
    BOOST_TEST(*f.id == 3);
    BOOST_TEST(!f.has_error);
    BOOST_TEST(!f.tool_error);
}

BOOST_AUTO_TEST_CASE(malformed_answers_are_refused) {
    BOOST_CHECK_THROW(scan_answer(""), std::runtime_error);
    BOOST_CHECK_THROW(scan_answer("[1]"), std::runtime_error);
    BOOST_CHECK_THROW(scan_answer(R"({"id":1,"result":{"a":"unterminated}})"), std::runtime_error);
    BOOST_CHECK_THROW(scan_answer(R"({"id":1,"result":{})"), std::runtime_error);
    BOOST_CHECK_THROW(scan_answer(R"({"id":1,"result":{}} trailing)"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(check_answer_wants_the_right_id_and_a_clean_result) {
    BOOST_CHECK_NO_THROW(check_answer(R"({"jsonrpc":"2.0","id":4,"result":{}})", 4));
    BOOST_CHECK_THROW(check_answer(R"({"jsonrpc":"2.0","id":5,"result":{}})", 4),
                      std::runtime_error);
    BOOST_CHECK_THROW(check_answer(R"({"jsonrpc":"2.0","id":4,"error":{"code":1}})", 4),
                      std::runtime_error);
    BOOST_CHECK_THROW(check_answer(R"({"jsonrpc":"2.0","id":4,"result":{"isError":true}})", 4),
                      std::runtime_error);
    BOOST_CHECK_THROW(check_answer(R"({"jsonrpc":"2.0","id":4})", 4), std::runtime_error);
    BOOST_CHECK_THROW(check_answer(R"({"jsonrpc":"2.0","method":"notifications/x"})", 4),
                      std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
