// The JSON string literals of recent long tool texts. A tool result's text is usually its
// structured value as JSON (text_is_structured), which the answer carries quoted: a
// quote every dozen bytes to escape. A tool that answers the same bytes again (a listing
// on an unchanged system) gets the quoted form from here after one comparison of the
// bytes. Bounded in entries and bytes; least recently used goes first. One thread only
// (the event loop).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace schedcp::host::mcp {

class QuotedTextCache {
  public:
    struct Limits {
        std::size_t max_entries = 8;
        std::size_t max_bytes = 4 * 1024 * 1024;  // texts and their quoted forms
        std::size_t min_text = 1024;              // shorter texts are quoted each time
    };
    QuotedTextCache() : QuotedTextCache(Limits{}) {}
    explicit QuotedTextCache(Limits limits) : limits_(limits) {}

    // Appends to `out` what sdk::json::append_quoted(out, text) appends.
    void append_quoted(std::string& out, std::string_view text);
    // The same for a shared, immutable text: found by its address before its bytes are
    // compared (a tool that answers the same bytes hands out the same string), and kept
    // alive by its entry, so an address is never another text's.
    void append_quoted(std::string& out, const std::shared_ptr<const std::string>& text);

    std::size_t entries() const { return entries_.size(); }
    std::size_t hits() const { return hits_; }

  private:
    struct Entry {
        std::shared_ptr<const std::string> text;
        std::string quoted;
        std::uint64_t last_use = 0;
    };
    void make_room(std::size_t bytes);
    // Both append_quoted: `shared`, when given, holds `text` and is looked for by address
    // first, and kept by the entry (else a copy of the text is).
    void append(std::string& out, std::string_view text,
                const std::shared_ptr<const std::string>* shared);

    Limits limits_;
    std::vector<Entry> entries_;
    std::size_t bytes_ = 0;
    std::uint64_t clock_ = 0;
    std::size_t hits_ = 0;
};

}  // namespace schedcp::host::mcp
