// Checks a JSON-RPC answer line without parsing all of it: the benchmark reads answers of
// 118 KB at full speed, and a full parse per answer would measure the client, not the
// server. The scan follows the JSON structure (strings skipped with memchr) far enough to
// find the top-level "id", "result" and "error" and the result's "isError".
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace schedcp::bench {

struct AnswerFacts {
    std::optional<std::int64_t> id;  // the top-level "id", when it is an integer
    bool has_result = false;         // a top-level "result"
    bool has_error = false;          // a top-level "error": a JSON-RPC error answer
    bool tool_error = false;         // "result": {"isError": true, ...}: a failed tool call
};

// Throws std::runtime_error when `line` is not one JSON object (unbalanced brackets, an
// unterminated string, text after the object).
AnswerFacts scan_answer(std::string_view line);

// Throws std::runtime_error, quoting the start of the line, unless `line` is a successful
// answer (a result that is no tool error) to request `id`.
void check_answer(std::string_view line, std::int64_t id);

// The same check when several requests are in flight: returns the answer's id, which the
// caller matches against its own records.
std::int64_t checked_answer_id(std::string_view line);

}  // namespace schedcp::bench
