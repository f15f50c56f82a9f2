// The SDK's JSON writer (sdk::json::compact / pretty): shortest round-trip numbers, exact
// string escaping, nesting.
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "schedcp/sdk/json.hpp"

namespace bj = boost::json;
using schedcp::sdk::json::compact;
using schedcp::sdk::json::pretty;

BOOST_AUTO_TEST_SUITE(json_writer)

BOOST_AUTO_TEST_CASE(doubles_print_as_the_shortest_decimal) {
    BOOST_TEST(compact(bj::value(19.1)) == "19.1");
    BOOST_TEST(compact(bj::value(3.25)) == "3.25");
    BOOST_TEST(compact(bj::value(0.001)) == "0.001");
    BOOST_TEST(compact(bj::value(-0.5)) == "-0.5");
    BOOST_TEST(compact(bj::value(2.0)) == "2.0");  // stays a double when parsed again
    BOOST_TEST(compact(bj::value(1e300)) == "1e+300");
    BOOST_TEST(compact(bj::value(std::numeric_limits<double>::quiet_NaN())) == "null");
    BOOST_TEST(compact(bj::value(std::numeric_limits<double>::infinity())) == "null");
    BOOST_TEST(compact(bj::value(-std::numeric_limits<double>::infinity())) == "null");
}

BOOST_AUTO_TEST_CASE(integers_print_as_integers) {
    BOOST_TEST(compact(bj::value(1452)) == "1452");
    BOOST_TEST(compact(bj::value(std::numeric_limits<std::int64_t>::min())) ==
               "-9223372036854775808");
    BOOST_TEST(compact(bj::value(std::numeric_limits<std::uint64_t>::max())) ==
               "18446744073709551615");
    BOOST_TEST(compact(bj::parse("[1,1.5,true,false,null]")) == "[1,1.5,true,false,null]");
}

BOOST_AUTO_TEST_CASE(random_doubles_round_trip) {
    std::mt19937_64 rng(12345);
    std::uniform_int_distribution<std::uint64_t> bits;
    std::uniform_real_distribution<double> small(-1e6, 1e6);
    for (int i = 0; i < 20000; ++i) {
        double d;
        if (i % 2) {
            d = small(rng);
        } else {
            std::uint64_t b = bits(rng);
            std::memcpy(&d, &b, sizeof d);
            if (!std::isfinite(d)) continue;
        }
        std::string text = compact(bj::value(d));
        // Valid JSON that stays a double. (Boost.JSON 1.81's parser itself may be off in the
        // last bit, so the exact value is checked with from_chars, a correctly rounded parser.)
        BOOST_REQUIRE_MESSAGE(bj::parse(text).is_double(), text);
        double back = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), back);
        BOOST_REQUIRE_MESSAGE(ec == std::errc() && end == text.data() + text.size(), text);
        BOOST_REQUIRE_MESSAGE(back == d, text);
        BOOST_REQUIRE_MESSAGE(text.find('E') == std::string::npos, text);
    }
}

BOOST_AUTO_TEST_CASE(strings_are_escaped_as_json_requires) {
    BOOST_TEST(compact(bj::value("a\"b\\c/d")) == R"("a\"b\\c/d")");
    BOOST_TEST(compact(bj::value("\b\f\n\r\t")) == R"("\b\f\n\r\t")");
    BOOST_TEST(compact(bj::value(std::string("\x00\x01\x1f\x7f", 4))) ==
               "\"\\u0000\\u0001\\u001f\x7f\"");
    BOOST_TEST(compact(bj::value("caf\u00e9 \u2603 \U0001F600")) ==
               "\"caf\u00e9 \u2603 \U0001F600\"");  // UTF-8 passes through
    std::string all;
    for (int c = 1; c < 128; ++c) all += static_cast<char>(c);
    all += "\u00e9\u2028";
    BOOST_TEST(bj::parse(compact(bj::value(all))).as_string() == all);
    BOOST_TEST(compact(bj::object{{"k\n\"", 1}}) == R"({"k\n\"":1})");
}

// The writer looks at 8 bytes at a time: every byte that needs escaping is found wherever
// it falls in a word (first, last, one past a word, the short tail), next to bytes that
// look close to it (0x1f/0x20, 0x21/0x23, 0x5b/0x5d, 0x7f, UTF-8's high bytes).
BOOST_AUTO_TEST_CASE(escapes_are_found_at_every_offset_of_a_word) {
    const std::string fills[] = {"abcdefghijklmnopqrstuvwxyz", "\x20\x21\x23\x5b\x5d\x7f\xc3\xa9",
                                 "\xff\xfe\x80\x9f\xe2\x80\xa8!"};
    const std::pair<char, std::string> specials[] = {
        {'"', "\\\""}, {'\\', "\\\\"}, {'\n', "\\n"}, {'\x01', "\\u0001"}, {'\x1f', "\\u001f"}};
    for (const auto& fill : fills)
        for (std::size_t len = 0; len <= 25; ++len)
            for (std::size_t at = 0; at <= len; ++at)
                for (const auto& [special, escaped] : specials) {
                    std::string in, expected = "\"";
                    for (std::size_t i = 0; i < len; ++i) {
                        const char c = i == at ? special : fill[i % fill.size()];
                        in += c;
                        expected += i == at ? escaped : std::string(1, c);
                    }
                    expected += '"';
                    BOOST_REQUIRE_EQUAL(compact(bj::value(in)), expected);
                }
}

BOOST_AUTO_TEST_CASE(nesting_compact_and_pretty) {
    bj::value v = bj::parse(R"({"a":[1,{"b":19.1,"c":[]},{}],"d":{"e":"x"},"f":null})");
    BOOST_TEST(compact(v) == R"({"a":[1,{"b":19.1,"c":[]},{}],"d":{"e":"x"},"f":null})");
    BOOST_TEST(pretty(v) ==
               "{\n"
               "  \"a\": [\n"
               "    1,\n"
               "    {\n"
               "      \"b\": 19.1,\n"
               "      \"c\": []\n"
               "    },\n"
               "    {}\n"
               "  ],\n"
               "  \"d\": {\n"
               "    \"e\": \"x\"\n"
               "  },\n"
               "  \"f\": null\n"
               "}");
    BOOST_TEST(bj::parse(pretty(v)) == v);
    BOOST_TEST(bj::parse(compact(v)) == v);
    BOOST_TEST(pretty(bj::value(0.1)) == "0.1");
}

BOOST_AUTO_TEST_SUITE_END()
