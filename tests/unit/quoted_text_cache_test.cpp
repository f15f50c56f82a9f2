// The cache of quoted tool texts: what it appends is exactly append_quoted's, for a text
// seen before or not (a shared text found by address or by bytes), and it stays within its
// entry and byte limits.
#include <boost/test/unit_test.hpp>

#include "mcp/quoted_text_cache.hpp"
#include "schedcp/sdk/json.hpp"

using schedcp::host::mcp::QuotedTextCache;

namespace {

std::string quoted(std::string_view text) {
    std::string out;
    schedcp::sdk::json::append_quoted(out, text);
    return out;
}

std::string json_text(int n, std::size_t size) {
    std::string t = R"({"n":)" + std::to_string(n) + R"(,"s":")";
    while (t.size() < size) t += "\\\"x\"\n\t";
    return t + "\"}";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(quoted_text_cache)

BOOST_AUTO_TEST_CASE(appends_what_append_quoted_does_and_reuses_a_repeated_text) {
    QuotedTextCache cache;
    const std::string a = json_text(1, 5000), b = json_text(2, 5000), small = json_text(3, 10);
    for (int round = 0; round < 3; ++round)
        for (const auto* text : {&a, &b, &small}) {
            std::string out = "prefix";
            cache.append_quoted(out, *text);
            BOOST_TEST(out == "prefix" + quoted(*text));
        }
    BOOST_TEST(cache.entries() == 2u);  // the short text is not kept
    BOOST_TEST(cache.hits() == 4u);     // a and b, in rounds 2 and 3
}

BOOST_AUTO_TEST_CASE(keeps_within_its_entries_and_bytes) {
    QuotedTextCache cache({.max_entries = 3, .max_bytes = 40000, .min_text = 100});
    for (int i = 0; i < 10; ++i) {
        std::string out;
        const std::string text = json_text(i, 6000);
        cache.append_quoted(out, text);
        BOOST_TEST(out == quoted(text));
        BOOST_TEST(cache.entries() <= 3u);
    }
    std::string out;
    const std::string huge = json_text(99, 30000);  // more than half the bytes: not kept
    cache.append_quoted(out, huge);
    BOOST_TEST(out == quoted(huge));
    BOOST_TEST(cache.entries() <= 3u);
    // The most recent texts are the ones kept.
    out.clear();
    cache.append_quoted(out, json_text(9, 6000));
    BOOST_TEST(cache.hits() == 1u);
}

// A shared text (a tool's structured_json) is found by address, and by its bytes when
// another string holds the same ones; either way the output is append_quoted's.
BOOST_AUTO_TEST_CASE(shared_texts_are_found_by_address_or_by_bytes) {
    QuotedTextCache cache;
    const auto a = std::make_shared<const std::string>(json_text(1, 5000));
    const auto a_again = std::make_shared<const std::string>(*a);  // same bytes, elsewhere
    const auto b = std::make_shared<const std::string>(json_text(2, 5000));
    for (const auto& text : {a, a, a_again, b, a_again, a}) {
        std::string out = "prefix";
        cache.append_quoted(out, text);
        BOOST_TEST(out == "prefix" + quoted(*text));
    }
    BOOST_TEST(cache.entries() == 2u);  // a (and a_again) and b
    BOOST_TEST(cache.hits() == 4u);
    std::string out;
    cache.append_quoted(out, std::string_view(*b));  // a plain view of the same bytes
    BOOST_TEST(out == quoted(*b));
    BOOST_TEST(cache.hits() == 5u);
    const auto small = std::make_shared<const std::string>(json_text(3, 10));
    out.clear();
    cache.append_quoted(out, small);
    BOOST_TEST(out == quoted(*small));
    BOOST_TEST(cache.entries() == 2u);  // short texts are quoted each time
}

BOOST_AUTO_TEST_SUITE_END()
