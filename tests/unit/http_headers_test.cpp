// The HTTP transport's pure parts added for issue #18's transport remainder: SEP-2243
// mirrored headers (the =?base64?...?= form, Mcp-Param-* against the arguments) and
// SEP-1699 event ids and replay.
#include <map>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "mcp/http/base64.hpp"
#include "mcp/http/mirrored_headers.hpp"
#include "mcp/http/sse_resume.hpp"

using namespace schedcp::host::mcp::http;
namespace bj = boost::json;

namespace {

HeaderLookup headers(std::map<std::string, std::string> h) {
    return [h = std::move(h)](std::string_view name) -> std::optional<std::string_view> {
        auto it = h.find(std::string(name));
        if (it == h.end()) return std::nullopt;
        return std::string_view(it->second);
    };
}

const bj::object kSchema = bj::parse(R"({"type":"object","properties":{
    "region":{"type":"string","x-mcp-header":"Region"},
    "count":{"type":"integer","x-mcp-header":"Count"},
    "dry":{"type":"boolean","x-mcp-header":"Dry"},
    "note":{"type":"string"}}})")
                               .as_object();

}  // namespace

BOOST_AUTO_TEST_SUITE(http_headers)

BOOST_AUTO_TEST_CASE(the_base64_sentinel_form_is_decoded_and_anything_else_is_literal) {
    BOOST_TEST(decode_header_value("=?base64?SGVsbG8=?=").value() == "Hello");
    BOOST_TEST(decode_header_value("  =?base64?SGVsbG8sIOS4lueVjA==?= ").value() ==
               "Hello, \xe4\xb8\x96\xe7\x95\x8c");
    BOOST_TEST(decode_header_value("=?base64??=").value() == "");
    // Literal: no sentinel, or only part of it.
    BOOST_TEST(decode_header_value("SGVsbG8=").value() == "SGVsbG8=");
    BOOST_TEST(decode_header_value("=?base64?SGVsbG8=").value() == "=?base64?SGVsbG8=");
    BOOST_TEST(decode_header_value("us-west1").value() == "us-west1");
    // Invalid inside the sentinel: padding, alphabet, data after padding, not UTF-8.
    BOOST_TEST(!decode_header_value("=?base64?SGVsbG8?=").has_value());
    BOOST_TEST(!decode_header_value("=?base64?SGVs!!!bG8=?=").has_value());
    BOOST_TEST(!decode_header_value("=?base64?SG=sbG8=?=").has_value());
    BOOST_TEST(!decode_header_value("=?base64?/w==?=").has_value());  // 0xff
}

BOOST_AUTO_TEST_CASE(one_base64_decoder_each_form_refusing_the_other) {
    const std::string bytes = "\xfb\xff\xbf";  // 62, 63, 62, 63 in six-bit groups
    BOOST_TEST(base64url_encode(bytes) == "-_-_");
    BOOST_TEST(base64url_decode("-_-_").value() == bytes);
    BOOST_TEST(base64_decode("+/+/").value() == bytes);
    BOOST_TEST(!base64_decode("-_-_").has_value());     // url alphabet in the standard form
    BOOST_TEST(!base64url_decode("+/+/").has_value());  // and the reverse
    BOOST_TEST(base64_decode("SGk=").value() == "Hi");
    BOOST_TEST(base64url_decode("SGk").value() == "Hi");
    BOOST_TEST(!base64_decode("SGk").has_value());      // padding missing
    BOOST_TEST(!base64url_decode("SGk=").has_value());  // padding where none belongs
    BOOST_TEST(!base64_decode("SGk==").has_value());    // too much padding
    BOOST_TEST(base64_decode("SA==").value() == "H");
    BOOST_TEST(!base64_decode("SG==").has_value());  // unused bits set: not canonical
    BOOST_TEST(!base64_decode("SGl=").has_value());  // unused bits set: not canonical
    BOOST_TEST(!base64_decode("====").has_value());
    BOOST_TEST(base64_decode("").value() == "");
    // Non-canonical encodings are refused in the header form too.
    BOOST_TEST(!decode_header_value("=?base64?SGVsbG9=?=").has_value());
}

BOOST_AUTO_TEST_CASE(param_headers_must_repeat_the_mirrored_arguments) {
    const bj::object args{{"region", "eu-west"}, {"count", 3}, {"dry", false}, {"note", "x"}};
    const std::map<std::string, std::string> all{
        {"Mcp-Param-Region", "eu-west"}, {"Mcp-Param-Count", "3"}, {"Mcp-Param-Dry", "false"}};
    BOOST_TEST(!check_param_headers(kSchema, args, headers(all)).has_value());
    auto encoded = all;
    encoded["Mcp-Param-Region"] = "=?base64?ZXUtd2VzdA==?=";
    BOOST_TEST(!check_param_headers(kSchema, args, headers(encoded)).has_value());

    auto missing = all;
    missing.erase("Mcp-Param-Count");
    BOOST_TEST(check_param_headers(kSchema, args, headers(missing))
                   .value()
                   .find("Mcp-Param-Count is missing") == 0u);
    auto other = all;
    other["Mcp-Param-Dry"] = "true";
    BOOST_TEST(check_param_headers(kSchema, args, headers(other)).has_value());
    auto bad = all;
    bad["Mcp-Param-Region"] = "=?base64?ZXUtd2VzdA?=";
    BOOST_TEST(check_param_headers(kSchema, args, headers(bad)).value().find("invalid Base64") !=
               std::string::npos);
    // A header for an argument the body does not have.
    const bj::object without_region{{"count", 3}, {"dry", false}};
    BOOST_TEST(check_param_headers(kSchema, without_region, headers(all)).has_value());
    missing = all;
    missing.erase("Mcp-Param-Region");
    BOOST_TEST(!check_param_headers(kSchema, without_region, headers(missing)).has_value());
}

BOOST_AUTO_TEST_CASE(event_ids_and_replay) {
    auto id = parse_event_id(" 3:17 ");
    BOOST_REQUIRE(id.has_value());
    BOOST_TEST(id->stream == 3u);
    BOOST_TEST(id->seq == 17u);
    BOOST_TEST(format_event_id(*id) == "3:17");
    for (const char* bad : {"", "3", ":1", "3:", "0:1", "a:1", "3:1x", "-1:2"})
        BOOST_TEST(!parse_event_id(bad).has_value(), bad);
    BOOST_TEST(sse_priming_event(4) == "id: 4:0\nretry: 1000\ndata: \n\n");
    BOOST_TEST(sse_event_with_id({.stream = 4, .seq = 2}, "{}") ==
               "id: 4:2\nevent: message\ndata: {}\n\n");

    ReplayBuffer replay(1 << 20);
    for (std::uint64_t seq = 1; seq <= kReplayEvents + 10; ++seq)
        replay.add(seq, std::to_string(seq) + ";");
    BOOST_TEST(replay.after(kReplayEvents + 8) ==
               std::to_string(kReplayEvents + 9) + ";" + std::to_string(kReplayEvents + 10) + ";");
    // Bounded: the oldest events are gone.
    BOOST_TEST(replay.after(0).rfind("11;", 0) == 0u);  // 1..10 dropped
    ReplayBuffer small(8);
    small.add(1, "aaaa");
    small.add(2, "bbbb");
    small.add(3, "cccc");
    BOOST_TEST(small.after(0) == "bbbbcccc");
}

BOOST_AUTO_TEST_SUITE_END()
