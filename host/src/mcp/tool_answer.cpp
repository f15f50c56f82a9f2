#include "tool_answer.hpp"

#include "../tool_invoker.hpp"
#include "schedcp/sdk/json.hpp"

namespace schedcp::host::mcp {

void append_content(std::string& out, const sdk::Content& c) {
    using Kind = sdk::Content::Kind;
    if (c.kind == Kind::resource) {
        out += R"({"type":"resource","resource":{"uri":)";
        sdk::json::append_quoted(out, c.uri);
        out += R"(,"mimeType":)";
        sdk::json::append_quoted(out, c.mime_type);
        out += c.text.empty() && !c.data.empty() ? R"(,"blob":)" : R"(,"text":)";
        sdk::json::append_quoted(out, c.text.empty() && !c.data.empty() ? c.data : c.text);
        out += "}}";
        return;
    }
    out += c.kind == Kind::image ? R"({"type":"image","data":)" : R"({"type":"audio","data":)";
    sdk::json::append_quoted(out, c.data);
    out += R"(,"mimeType":)";
    sdk::json::append_quoted(out, c.mime_type);
    out += '}';
}

std::string write_tool_answer(const boost::json::value& id, const sdk::ToolResult& result,
                              bool with_structured, const boost::json::object& tail,
                              bool with_audio, QuotedTextCache* quoted_texts) {
    const bool text_from_structured = text_is_structured(result);
    std::string written;
    if ((text_from_structured || with_structured) && !result.json())
        sdk::json::append_compact(written, result.structured);
    // The tool's own bytes when it gave them, else this one serialisation.
    const std::string& structured = result.json() ? *result.json() : written;

    std::string out;
    const std::string& text = text_from_structured ? structured : result.text;
    // Room for the envelope, the text with a few escapes, and the structured value.
    out.reserve(128 + text.size() + text.size() / 8 + (with_structured ? structured.size() : 0));
    out += R"({"jsonrpc":"2.0","id":)";
    sdk::json::append_compact(out, id);
    out += R"(,"result":{"content":[)";
    bool first = true;
    if (!(text.empty() && !has_structured(result) && !result.content.empty())) {
        out += R"({"type":"text","text":)";
        if (quoted_texts && text_from_structured && result.json())
            quoted_texts->append_quoted(out, result.structured_json);  // by identity first
        else if (quoted_texts)
            quoted_texts->append_quoted(out, text);
        else
            sdk::json::append_quoted(out, text);
        out += '}';
        first = false;
    }
    for (const auto& item : result.content) {
        if (item.kind == sdk::Content::Kind::audio && !with_audio) continue;
        if (!first) out += ',';
        append_content(out, item);
        first = false;
    }
    out += R"(],"isError":)";
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
