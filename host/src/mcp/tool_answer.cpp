#include "tool_answer.hpp"

#include "../tool_invoker.hpp"
#include "schedcp/sdk/json.hpp"

namespace schedcp::host::mcp {

std::string write_tool_answer(const boost::json::value& id, const sdk::ToolResult& result,
                              bool with_structured, const boost::json::object& tail) {
    const bool text_from_structured = text_is_structured(result);
    std::string structured;
    if (text_from_structured || with_structured)
        sdk::json::append_compact(structured, result.structured);

    std::string out;
    const std::string& text = text_from_structured ? structured : result.text;
    // Room for the envelope, the text with a few escapes, and the structured value.
    out.reserve(128 + text.size() + text.size() / 8 + (with_structured ? structured.size() : 0));
    out += R"({"jsonrpc":"2.0","id":)";
    sdk::json::append_compact(out, id);
    out += R"(,"result":{"content":[{"type":"text","text":)";
    sdk::json::append_quoted(out, text);
    out += R"(}],"isError":)";
    out += result.is_error ? "true" : "false";
    if (with_structured) {
        out += R"(,"structuredContent":)";
        out += structured;
    }
    for (const auto& member : tail) {
        out += ',';
        sdk::json::append_quoted(out, member.key());
        out += ':';
        sdk::json::append_compact(out, member.value());
    }
    out += "}}";
    return out;
}

}  // namespace schedcp::host::mcp
