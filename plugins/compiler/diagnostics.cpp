#include "diagnostics.hpp"

#include <regex>
#include <sstream>

#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::compiler {

namespace bj = boost::json;

namespace {

constexpr std::size_t kMaxText = 32 * 1024;
constexpr std::size_t kMaxDiagnostics = 50;

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    if (from.empty()) return;
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
        s.replace(pos, from.size(), to);
}

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
    static const std::regex located(
        R"(^(.+?):(\d+):(\d+): (fatal error|error|warning|note): (.*)$)");
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::smatch m;
        if (!std::regex_match(line, m, located)) continue;
        Diagnostic d;
        d.file = m[1];
        d.line = std::stoi(m[2]);
        d.column = std::stoi(m[3]);
        d.severity = m[4];
        d.message = m[5];
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
