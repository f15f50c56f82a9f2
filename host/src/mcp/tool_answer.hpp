// The JSON-RPC answer to a tools/call, written straight to its wire form.
#pragma once

#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "quoted_text_cache.hpp"
#include "schedcp/sdk/tool.hpp"

namespace schedcp::host::mcp {

// What compact(make_response(id, r)) writes for the result object
//   r = {"content": [{"type": "text", "text": T}, ...result.content], "isError": B,
//        "structuredContent": S (only when with_structured), ...tail's members in order}
// where T is result.text, or compact(result.structured) when text_is_structured(result);
// result.structured_json, when set, stands for compact(result.structured) in both places.
// The text item is left out when the result has content items and neither text nor a
// structured value; audio items are left out unless `with_audio` (the revision has them).
// The structured value is serialised once: S's bytes are copied into structuredContent and,
// when T stands for them, quoted into the text field from the same bytes (a result is
// often the largest thing the server sends, and used to be written twice).
// One ContentBlock as compact() writes it: {"type":"image"|"audio","data","mimeType"} or
// {"type":"resource","resource":{"uri","mimeType","text"|"blob"}}. Prompt messages use it too.
void append_content(std::string& out, const sdk::Content& c);

// With a cache, a long text is quoted from it when it was quoted recently (same bytes).
std::string write_tool_answer(const boost::json::value& id, const sdk::ToolResult& result,
                              bool with_structured, const boost::json::object& tail,
                              bool with_audio = true, QuotedTextCache* quoted_texts = nullptr);

}  // namespace schedcp::host::mcp
