#include "sse_resume.hpp"

#include <charconv>

namespace schedcp::host::mcp::http {

namespace {

std::optional<std::uint64_t> parse_number(std::string_view s) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

}  // namespace

std::optional<EventId> parse_event_id(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    auto stream = parse_number(text.substr(0, colon));
    auto seq = parse_number(text.substr(colon + 1));
    if (!stream || !seq || *stream == 0) return std::nullopt;
    return EventId{.stream = *stream, .seq = *seq};
}

std::string format_event_id(EventId id) {
    return std::to_string(id.stream) + ":" + std::to_string(id.seq);
}

std::string sse_event_with_id(EventId id, const std::string& message) {
    return "id: " + format_event_id(id) + "\nevent: message\ndata: " + message + "\n\n";
}

std::string sse_priming_event(std::uint64_t stream) {
    return "id: " + format_event_id({.stream = stream, .seq = 0}) +
           "\nretry: " + std::to_string(kSseRetryMs) + "\ndata: \n\n";
}

void ReplayBuffer::add(std::uint64_t seq, std::string event) {
    bytes_ += event.size();
    entries_.push_back(Entry{.seq = seq, .event = std::move(event)});
    while (!entries_.empty() && (entries_.size() > kReplayEvents || bytes_ > max_bytes_)) {
        bytes_ -= entries_.front().event.size();
        entries_.pop_front();
    }
}

std::string ReplayBuffer::after(std::uint64_t seq) const {
    std::string out;
    for (const auto& e : entries_)
        if (e.seq > seq) out += e.event;
    return out;
}

}  // namespace schedcp::host::mcp::http
