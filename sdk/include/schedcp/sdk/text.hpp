// Text helpers shared by plugins: making system text safe for a model, tables for humans,
// and "did you mean" suggestions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk::text {

// Text that came from the system (scheduler output, compiler diagnostics, user-supplied
// descriptions) reaches a model: strip ANSI escape sequences and control characters
// (keeping \n and \t), replace invalid UTF-8 with U+FFFD, and cap the length in bytes,
// marking the cut ("... [truncated N bytes]").
SCHEDCP_SDK_API std::string sanitize(std::string_view in, std::size_t max_bytes = 64 * 1024);

// Whether `s` is a lower-case name: [a-z][a-z0-9<separator>]{0,max_length-1}, the form
// of tool, command, option, setting and plugin names. A plain check, not a std::regex:
// compiling one costs about a million instructions, paid at every start-up.
SCHEDCP_SDK_API bool is_lower_name(std::string_view s, std::size_t max_length, char separator);

// Levenshtein distance, for suggestions.
SCHEDCP_SDK_API std::size_t edit_distance(std::string_view a, std::string_view b);

// Up to `max` candidates close to `word`: substring matches first, then by edit distance
// (at most a third of the word's length plus one), ties in input order.
SCHEDCP_SDK_API std::vector<std::string> close_matches(std::string_view word,
                                                       const std::vector<std::string>& candidates,
                                                       std::size_t max = 3);

// A plain-text table with a header row, columns padded to fit. Cells are sanitized and
// newlines inside a cell become spaces.
class SCHEDCP_SDK_API Table {
  public:
    explicit Table(std::vector<std::string> headers);
    void add_row(std::vector<std::string> cells);
    // Each row on one line, however long.
    std::string render() const;
    // Lines of at most `max_width` columns: the widest column is narrowed (repeatedly, but
    // never below its header or 6 columns) and its cells wrap onto continuation lines,
    // after a space, ',' or '/' where there is one. Nothing is cut off. A table that cannot
    // fit even so is as narrow as the limits allow.
    std::string render(std::size_t max_width) const;
    bool empty() const noexcept { return rows_.empty(); }

  private:
    std::vector<std::string> headers_;
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace schedcp::sdk::text
