#include "answer_scan.hpp"

#include <charconv>
#include <cstring>
#include <stdexcept>
#include <string>

namespace schedcp::bench {

namespace {

std::runtime_error bad_answer(std::string_view what, std::string_view line) {
    constexpr std::size_t kQuoted = 300;
    std::string quoted(line.substr(0, kQuoted));
    if (line.size() > kQuoted) quoted += "...";
    return std::runtime_error(std::string(what) + " (" + std::to_string(line.size()) +
                              " bytes): " + quoted);
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::size_t skip_space(std::string_view s, std::size_t i) {
    while (i < s.size() && is_space(s[i])) ++i;
    return i;
}

// The index just past the closing quote of the string opened at `open`.
std::size_t skip_string(std::string_view s, std::size_t open) {
    std::size_t i = open + 1;
    for (;;) {
        const void* hit = std::memchr(s.data() + i, '"', s.size() - i);
        if (hit == nullptr) throw bad_answer("unterminated string in the answer", s);
        const auto quote = static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
        std::size_t k = quote;
        while (k > open + 1 && s[k - 1] == '\\') --k;
        if ((quote - k) % 2 == 0) return quote + 1;  // not escaped
        i = quote + 1;
    }
}

std::optional<std::int64_t> integer_at(std::string_view s, std::size_t i) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data() + i, s.data() + s.size(), v);
    if (ec != std::errc()) return std::nullopt;
    const std::size_t after = skip_space(s, static_cast<std::size_t>(end - s.data()));
    if (after < s.size() && s[after] != ',' && s[after] != '}') return std::nullopt;  // 1.5
    return v;
}

}  // namespace

AnswerFacts scan_answer(std::string_view s) {
    AnswerFacts facts;
    std::size_t i = skip_space(s, 0);
    if (i >= s.size() || s[i] != '{') throw bad_answer("the answer is not a JSON object", s);
    int depth = 0;
    std::string_view top_key;  // the depth-1 key whose value is being scanned
    while (i < s.size()) {
        const char c = s[i];
        if (c == '"') {
            const std::size_t end = skip_string(s, i);
            const std::size_t colon = skip_space(s, end);
            if ((depth == 1 || depth == 2) && colon < s.size() && s[colon] == ':') {
                const std::string_view key = s.substr(i + 1, end - i - 2);
                const std::size_t value = skip_space(s, colon + 1);
                if (depth == 1) {
                    top_key = key;
                    if (key == "id") facts.id = integer_at(s, value);
                    if (key == "result") facts.has_result = true;
                    if (key == "error") facts.has_error = true;
                } else if (top_key == "result" && key == "isError") {
                    facts.tool_error = s.compare(value, 4, "true") == 0;
                }
                i = colon + 1;
            } else {
                i = end;
            }
            continue;
        }
        if (c == '{' || c == '[') ++depth;
        if (c == '}' || c == ']') {
            if (--depth == 0) {
                if (skip_space(s, i + 1) != s.size())
                    throw bad_answer("text after the answer's JSON object", s);
                return facts;
            }
        }
        ++i;
    }
    throw bad_answer("the answer's JSON object is not closed", s);
}

std::int64_t checked_answer_id(std::string_view line) {
    const AnswerFacts f = scan_answer(line);
    if (!f.id) throw bad_answer("an answer without an integer id", line);
    if (f.has_error) throw bad_answer("a JSON-RPC error answer", line);
    if (!f.has_result) throw bad_answer("an answer without a result", line);
    if (f.tool_error) throw bad_answer("a tool error result (isError: true)", line);
    return *f.id;
}

void check_answer(std::string_view line, std::int64_t id) {
    if (checked_answer_id(line) != id)
        throw bad_answer("an answer to another request than id " + std::to_string(id), line);
}

}  // namespace schedcp::bench
