#include "diagnostics.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <optional>
#include <sstream>

#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::compiler {

namespace bj = boost::json;

namespace {

constexpr std::size_t kMaxText = 32 * 1024;
constexpr std::size_t kMaxDiagnostics = 50;
// A diagnostic's location and severity are searched for in the first kMaxLocatedPrefix
// bytes of a line only, and its message is kept to kMaxMessage: a source makes clang print
// lines of any length (`#error` + 100 KB), and the parse must stay linear and bounded.
constexpr std::size_t kMaxLocatedPrefix = 4096;
constexpr std::size_t kMaxMessage = 2048;
constexpr std::string_view kSeverities[] = {"fatal error", "error", "warning", "note"};

// The decimal number at the start of `s` (one digit at least), clamped to INT_MAX (clang
// prints what `#line 2147483647` and later lines make of it); its length in `*used`.
std::optional<int> leading_number(std::string_view s, std::size_t* used) {
    std::size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
    if (n == 0) return std::nullopt;
    *used = n;
    long long v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + n, v);
    if (ec == std::errc::result_out_of_range || v > INT_MAX) return INT_MAX;
    return static_cast<int>(v);
}

}  // namespace

// `FILE:LINE:COL: SEVERITY: MESSAGE`, where FILE is the shortest prefix (it may hold ':')
// followed by such a location. By hand, not std::regex: libstdc++'s regex recurses per
// character, and one long line of clang's output overflowed the server's stack.
std::optional<Diagnostic> parse_diagnostic_line(std::string_view line) {
    const std::string_view head = line.substr(0, kMaxLocatedPrefix);
    for (std::size_t colon = head.find(':', 1); colon != std::string_view::npos;
         colon = head.find(':', colon + 1)) {
        std::string_view rest = head.substr(colon + 1);
        std::size_t n = 0;
        auto line_no = leading_number(rest, &n);
        if (!line_no || n >= rest.size() || rest[n] != ':') continue;
        rest.remove_prefix(n + 1);
        auto column = leading_number(rest, &n);
        if (!column || !rest.substr(n).starts_with(": ")) continue;
        rest.remove_prefix(n + 2);
        for (std::string_view severity : kSeverities) {
            if (!rest.starts_with(severity) || !rest.substr(severity.size()).starts_with(": "))
                continue;
            const std::size_t message_at =
                static_cast<std::size_t>(rest.data() - line.data()) + severity.size() + 2;
            Diagnostic d;
            d.file = std::string(line.substr(0, colon));
            d.line = *line_no;
            d.column = *column;
            d.severity = std::string(severity);
            d.message = std::string(line.substr(message_at, kMaxMessage));
            return d;
        }
    }
    return std::nullopt;
}

namespace {

// Rewrites the main file's name where clang prints a location: at the start of a line,
// and after "In file included from ".
std::string rewrite_paths(std::string_view raw, const std::string& work_name,
                          const std::string& display_name, const std::filesystem::path& work_dir) {
    std::string text(raw);
    replace_all(text, work_dir.string() + "/", "");
    std::istringstream in(text);
    std::string line, out;
    const std::string at = work_name + ":";
    const std::string included = "In file included from " + work_name + ":";
    while (std::getline(in, line)) {
        if (line.starts_with(at))
            line = display_name + ":" + line.substr(at.size());
        else if (line.starts_with(included))
            line = "In file included from " + display_name + ":" + line.substr(included.size());
        out += line + "\n";
    }
    return out;
}

}  // namespace

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    if (from.empty()) return;
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
        s.replace(pos, from.size(), to);
}

std::string line_of(std::string_view text, int n) {
    if (n < 1) return "";
    std::size_t pos = 0;
    for (int i = 1; i < n; ++i) {
        pos = text.find('\n', pos);
        if (pos == std::string_view::npos) return "";
        ++pos;
    }
    std::size_t end = text.find('\n', pos);
    std::string line(text.substr(pos, end == std::string_view::npos ? text.npos : end - pos));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

bj::object Diagnostic::to_json() const {
    return bj::object{{"file", file},         {"line", line},       {"column", column},
                      {"severity", severity}, {"message", message}, {"source_line", source_line}};
}

CompilerOutput parse_clang_output(std::string_view raw, const std::string& work_name,
                                  const std::string& display_name,
                                  const std::filesystem::path& work_dir, std::string_view source) {
    CompilerOutput out;
    std::string text = rewrite_paths(raw, work_name, display_name, work_dir);
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        auto parsed = parse_diagnostic_line(line);
        if (!parsed) continue;
        Diagnostic& d = *parsed;
        d.message = sdk::text::sanitize(d.message, kMaxMessage);
        if (d.severity == "error" || d.severity == "fatal error") ++out.errors;
        if (d.severity == "warning") ++out.warnings;
        // Only the text we were given: never open a file a diagnostic names (#line and
        // #include can make it name any file on the host, or /dev/stdin, a FIFO, /dev/zero).
        if (d.file == display_name) d.source_line = line_of(source, d.line);
        d.source_line = sdk::text::sanitize(d.source_line, 400);
        if (out.diagnostics.size() < kMaxDiagnostics) out.diagnostics.push_back(std::move(d));
    }
    out.text = sdk::text::sanitize(text, kMaxText);
    return out;
}

}  // namespace schedcp::plugins::compiler
