// clang's diagnostics, made for the person or model that wrote the source: paths of the
// build directory replaced by the name the user knows the file by, each diagnostic
// parsed (file:line:col: severity: message) and paired with the source line it points at
// when that line is in the source the caller gave (never read from a file).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace schedcp::plugins::compiler {

struct Diagnostic {
    std::string file;  // the user's name for their file, or a header's path
    int line = 0;
    int column = 0;
    std::string severity;  // error, warning, note, fatal error
    std::string message;
    // The line it points at, from the source we were given; "" in any other file (a
    // header's lines are never read: a diagnostic's file name is not trusted).
    std::string source_line;
    boost::json::object to_json() const;
};

struct CompilerOutput {
    std::string text;  // clang's output, verbatim but for the paths (sanitized, bounded)
    std::vector<Diagnostic> diagnostics;
    int errors = 0;
    int warnings = 0;
};

// `work_name` is the file name clang was given (in `work_dir`); `display_name` the name
// to show instead; `source` that file's text, for its lines.
CompilerOutput parse_clang_output(std::string_view raw, const std::string& work_name,
                                  const std::string& display_name,
                                  const std::filesystem::path& work_dir, std::string_view source);

// One line of clang's output as a diagnostic (`FILE:LINE:COL: SEVERITY: MESSAGE`), or
// nullopt. Linear in the line's length, which may be anything (the text is untrusted):
// the location is looked for in the line's first 4 KiB, the message kept to 2 KiB, and
// LINE/COL beyond INT_MAX are INT_MAX.
std::optional<Diagnostic> parse_diagnostic_line(std::string_view line);

// Replaces every occurrence of `from` (non-empty) in `s` by `to`: how paths of the build
// directory become the names the user knows.
void replace_all(std::string& s, const std::string& from, const std::string& to);

// Line `n` (1-based) of `text`, without its newline; "" if there is none.
std::string line_of(std::string_view text, int n);

}  // namespace schedcp::plugins::compiler
