#include "quoted_text_cache.hpp"

#include <algorithm>

#include "schedcp/sdk/json.hpp"

namespace schedcp::host::mcp {

void QuotedTextCache::append_quoted(std::string& out, std::string_view text) {
    append(out, text, nullptr);
}

void QuotedTextCache::append_quoted(std::string& out,
                                    const std::shared_ptr<const std::string>& text) {
    append(out, *text, &text);
}

void QuotedTextCache::append(std::string& out, std::string_view text,
                             const std::shared_ptr<const std::string>* shared) {
    if (text.size() < limits_.min_text) {
        sdk::json::append_quoted(out, text);
        return;
    }
    ++clock_;
    Entry* hit = nullptr;
    // The same string again: its entry holds it, so no other text can have its address.
    if (shared)
        for (auto& e : entries_)
            if (e.text == *shared) hit = &e;
    if (!hit)
        for (auto& e : entries_)
            if (*e.text == text) {
                hit = &e;
                if (shared) e.text = *shared;  // found by address next time
                break;
            }
    if (hit) {
        hit->last_use = clock_;
        ++hits_;
        out += hit->quoted;
        return;
    }
    Entry fresh{.text = shared ? *shared : std::make_shared<const std::string>(text),
                .quoted = {},
                .last_use = clock_};
    sdk::json::append_quoted(fresh.quoted, text);
    out += fresh.quoted;
    const std::size_t size = fresh.text->size() + fresh.quoted.size();
    if (size > limits_.max_bytes / 2) return;  // too big to keep
    make_room(size);
    bytes_ += size;
    entries_.push_back(std::move(fresh));
}

void QuotedTextCache::make_room(std::size_t bytes) {
    while (!entries_.empty() &&
           (entries_.size() >= limits_.max_entries || bytes_ + bytes > limits_.max_bytes)) {
        auto oldest = std::min_element(
            entries_.begin(), entries_.end(),
            [](const Entry& a, const Entry& b) { return a.last_use < b.last_use; });
        bytes_ -= oldest->text->size() + oldest->quoted.size();
        entries_.erase(oldest);
    }
}

}  // namespace schedcp::host::mcp
