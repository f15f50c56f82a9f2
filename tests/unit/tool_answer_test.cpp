// write_tool_answer writes, byte for byte, what the server wrote before it: the result built
// as a bj::object (text = compact(structured) when the tool gave none) and serialised whole by
// compact(make_response(...)); for results like the tools' own, in both protocol eras.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "mcp/jsonrpc.hpp"
#include "mcp/tool_answer.hpp"
#include "schedcp/sdk/json.hpp"
#include "tool_invoker.hpp"

namespace bj = boost::json;
using namespace schedcp;
using namespace schedcp::host;

namespace {

// The answer as main built it (server.cpp before the one-serialisation writer).
std::string answer_built_whole(const bj::value& id, sdk::ToolResult result, bool with_structured,
                               const bj::object& tail) {
    if (text_is_structured(result)) result.text = sdk::json::compact(result.structured);
    bj::object out{{"content", bj::array{bj::object{{"type", "text"}, {"text", result.text}}}},
                   {"isError", result.is_error}};
    if (with_structured) out["structuredContent"] = std::move(result.structured);
    for (const auto& member : tail) out[member.key()] = member.value();
    return sdk::json::compact(mcp::make_response(id, std::move(out)));
}

// What ModernEra::finish adds to every result (2026-07-28).
const bj::object kModernTail{
    {"resultType", "complete"},
    {"_meta",
     bj::object{
         {"io.modelcontextprotocol/serverInfo",
          bj::object{{"name", "schedcp"}, {"title", "schedcp \"MCP\""}, {"version", "0.1.0"}}}}}};

std::vector<sdk::ToolResult> tool_results() {
    bj::array schedulers;
    for (int i = 0; i < 3; ++i)
        schedulers.push_back(bj::object{
            {"name", "scx_rusty" + std::to_string(i)},
            {"description", "Multi-domain \"BPF\" + user-space\nload balancer\t\\ é ✓ \x01"},
            {"production_ready", i % 2 == 0},
            {"tuning", bj::array{1.5, 0.001, 2.0, -3, std::uint64_t(1) << 63}},
            {"nothing", nullptr}});
    return {
        sdk::ToolResult::ok(bj::object{{"schedulers", schedulers}}),  // list_schedulers
        sdk::ToolResult::ok(bj::object{{"count", 0}, {"schedulers", bj::array{}}}),
        sdk::ToolResult::ok(bj::object{{"id", "w1"}}, "workload w1 \"created\"\n"),  // own text
        sdk::ToolResult::ok(bj::array{1, "two", 3.25}),  // a non-object (modern era only)
        sdk::ToolResult::ok(bj::value("just a string")),
        sdk::ToolResult::ok(nullptr, "text only"),
        sdk::ToolResult::ok(nullptr),
        error_result(sdk::ErrorCode::not_found, "no such scheduler 'x\"y'",
                     bj::object{{"close_matches", bj::array{"scx_rusty"}}}),
        error_result(sdk::ErrorCode::internal, "failed"),
        sdk::ToolResult{bj::object{{"partial", true}}, "", true},  // an error without text
    };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tool_answer)

BOOST_AUTO_TEST_CASE(matches_the_answer_built_whole_for_every_result_and_era) {
    const std::vector<bj::value> ids{bj::value(7), bj::value("req-\"1\"")};
    const std::vector<bj::object> tails{bj::object{}, kModernTail};  // legacy, modern
    for (const auto& result : tool_results())
        for (const auto& id : ids)
            for (const auto& tail : tails)
                for (bool with_structured : {false, true}) {
                    if (with_structured && result.structured.is_null()) continue;
                    const std::string expected =
                        answer_built_whole(id, result, with_structured, tail);
                    const std::string got =
                        mcp::write_tool_answer(id, result, with_structured, tail);
                    BOOST_TEST(got == expected);
                    BOOST_TEST(bj::parse(got) == bj::parse(expected));
                }
}

BOOST_AUTO_TEST_CASE(text_of_a_structured_result_is_its_compact_json_quoted) {
    const auto result = sdk::ToolResult::ok(bj::object{{"a", "x\"y"}});
    const bj::value answer = bj::parse(mcp::write_tool_answer(1, result, true, {}));
    const auto& r = answer.at("result");
    BOOST_TEST(r.at("content").at(0).at("text").as_string() == R"({"a":"x\"y"})");
    BOOST_TEST(r.at("structuredContent") == result.structured);
}

BOOST_AUTO_TEST_CASE(content_items_follow_the_text_item) {
    const sdk::ToolResult result{
        .text = "see:",
        .content = {sdk::Content::image("aW1n", "image/png"),
                    sdk::Content::audio("c25k", "audio/wav"),
                    sdk::Content::text_resource("test://doc", "text/plain", "a \"doc\""),
                    sdk::Content::blob_resource("test://bin", "application/octet-stream", "AAE=")}};
    const bj::value answer = bj::parse(mcp::write_tool_answer(3, result, false, {}));
    const bj::value expected = bj::parse(R"([
        {"type": "text", "text": "see:"},
        {"type": "image", "data": "aW1n", "mimeType": "image/png"},
        {"type": "audio", "data": "c25k", "mimeType": "audio/wav"},
        {"type": "resource", "resource": {"uri": "test://doc", "mimeType": "text/plain", "text": "a \"doc\""}},
        {"type": "resource", "resource": {"uri": "test://bin", "mimeType": "application/octet-stream", "blob": "AAE="}}
    ])");
    BOOST_TEST(answer.at("result").at("content") == expected);
    BOOST_TEST(answer.at("result").at("isError") == false);
}

BOOST_AUTO_TEST_CASE(content_alone_has_no_text_item_and_audio_needs_the_revision) {
    const sdk::ToolResult result{.content = {sdk::Content::audio("c25k", "audio/wav"),
                                             sdk::Content::image("aW1n", "image/png")}};
    const bj::value with_audio = bj::parse(mcp::write_tool_answer(1, result, false, {}, true));
    BOOST_TEST(with_audio.at("result").at("content").as_array().size() == 2u);
    BOOST_TEST(with_audio.at("result").at("content").at(0).at("type") == "audio");
    // 2024-11-05 has no AudioContent: the item is left out, the image stays.
    const bj::value without = bj::parse(mcp::write_tool_answer(1, result, false, {}, false));
    BOOST_TEST(without.at("result").at("content").as_array().size() == 1u);
    BOOST_TEST(without.at("result").at("content").at(0).at("type") == "image");
}

// A tool that hands over its structured result already written (ToolResult::ok_json) gets
// the same answer as one that returns the tree, and the host's own users of the value
// (the CLI, output-schema validation) get the tree back.
BOOST_AUTO_TEST_CASE(a_result_given_as_json_bytes_answers_as_its_tree_would) {
    const std::vector<bj::object> tails{bj::object{}, kModernTail};
    for (const auto& tree : tool_results()) {
        if (tree.is_error || tree.structured.is_null()) continue;
        sdk::ToolResult bytes = sdk::ToolResult::ok_json(sdk::json::compact(tree.structured));
        bytes.text = tree.text;
        BOOST_TEST(has_structured(bytes));
        BOOST_TEST(structured_is_object(bytes) == tree.structured.is_object());
        BOOST_TEST(text_is_structured(bytes) == text_is_structured(tree));
        for (const auto& tail : tails)
            for (bool with_structured : {false, true})
                BOOST_TEST(mcp::write_tool_answer(7, bytes, with_structured, tail) ==
                           answer_built_whole(7, tree, with_structured, tail));
        materialise_structured(bytes, "testplug");
        BOOST_TEST(bytes.structured == tree.structured);
    }
    // With content items after the text item, as the tree with the same items.
    sdk::ToolResult tree = sdk::ToolResult::ok(bj::object{{"a", 1}});
    tree.content = {sdk::Content::image("aW1n", "image/png")};
    sdk::ToolResult bytes = sdk::ToolResult::ok_json(R"({"a":1})");
    bytes.content = tree.content;
    for (bool with_structured : {false, true})
        BOOST_TEST(mcp::write_tool_answer(7, bytes, with_structured, kModernTail, true) ==
                   mcp::write_tool_answer(7, tree, with_structured, kModernTail, true));
    sdk::ToolResult broken = sdk::ToolResult::ok_json("{not json");
    materialise_structured(broken, "testplug");
    BOOST_TEST(broken.is_error);
    BOOST_TEST(broken.text.find("internal error in plugin 'testplug'") != std::string::npos,
               broken.text);
}

BOOST_AUTO_TEST_SUITE_END()
