#include <boost/test/unit_test.hpp>

#include "schedcp/sdk/text.hpp"

using namespace schedcp::sdk::text;

BOOST_AUTO_TEST_SUITE(text)

BOOST_AUTO_TEST_CASE(sanitize_strips_escapes_and_controls) {
    BOOST_TEST(sanitize("\x1b[31mred\x1b[0m plain") == "red plain");
    BOOST_TEST(sanitize("a\x1b]0;title\x07"
                        "b") == "ab");
    BOOST_TEST(sanitize(std::string("nul\0byte", 8)) == "nulbyte");
    BOOST_TEST(sanitize("keep\nnew\tlines\r") == "keep\nnew\tlines");
    BOOST_TEST(sanitize("c1\xc2\x9b"
                        "x") == "c1x");
    BOOST_TEST(sanitize("bad\xff utf8") == "bad\xEF\xBF\xBD utf8");
    BOOST_TEST(sanitize("caf\xc3\xa9") == "caf\xc3\xa9");
    BOOST_TEST(sanitize("\xed\xa0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

BOOST_AUTO_TEST_CASE(sanitize_caps_length_and_says_so) {
    std::string out = sanitize(std::string(100, 'x'), 10);
    BOOST_TEST(out == "xxxxxxxxxx... [truncated 90 bytes]");
}

BOOST_AUTO_TEST_CASE(close_matches_prefers_substrings_then_distance) {
    std::vector<std::string> names = {"scx_rusty", "scx_rustland", "scx_simple", "scx_lavd"};
    BOOST_TEST(close_matches("rusty", names) == (std::vector<std::string>{"scx_rusty"}));
    BOOST_TEST(close_matches("scx_rsty", names) == (std::vector<std::string>{"scx_rusty"}));
    BOOST_TEST(close_matches("simpel", names) == (std::vector<std::string>{"scx_simple"}));
    BOOST_TEST(close_matches("zzzzzz", names).empty());
    BOOST_TEST(edit_distance("kitten", "sitting") == 3u);
}

BOOST_AUTO_TEST_CASE(table_pads_columns) {
    Table t({"A", "LONGER"});
    t.add_row({"xyz", "1"});
    t.add_row({"q", "multi\nline"});
    BOOST_TEST(t.render() == "A    LONGER\nxyz  1\nq    multi line\n");
}

BOOST_AUTO_TEST_CASE(table_wraps_its_widest_column_to_fit_a_width) {
    Table t({"NAME", "TOOLS", "FILE"});
    t.add_row({"runner", "run_scheduler,stop_scheduler,get_execution_status",
               "/usr/lib/schedcp/plugins/runner.so"});
    std::string out = t.render(60);
    BOOST_TEST(out ==
                   "NAME    TOOLS                      FILE\n"
                   "runner  run_scheduler,             /usr/lib/schedcp/plugins/\n"
                   "        stop_scheduler,            runner.so\n"
                   "        get_execution_status\n",
               out);
    // Wide enough: one line per row, as render() does.
    BOOST_TEST(t.render(200) == t.render());
    // A word longer than its column is broken, not cut off; the header never wraps.
    Table u({"ID", "V"});
    u.add_row({"1", "abcdefghijklmnop"});
    BOOST_TEST(u.render(10) == "ID  V\n1   abcdef\n    ghijkl\n    mnop\n");
}

BOOST_AUTO_TEST_SUITE_END()
