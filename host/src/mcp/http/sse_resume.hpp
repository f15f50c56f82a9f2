// SSE resumability (2025-11-25, SEP-1699): event ids, the priming event, a bounded replay
// buffer per stream, and Last-Event-ID.
//
// Every SSE stream of a 2025-11-25 session has a number, unique in its session; its events
// are numbered from 1, and an event's id is "<stream>:<seq>". A new stream starts with a
// priming event (id "<stream>:0", empty data, and `retry:`), so a client whose connection
// drops, or whose stream the server closes early (Outbound::close_stream: a long call),
// can come back with GET + Last-Event-ID and get what it missed: the events after that id
// still in the stream's replay buffer, then the rest of the stream as it comes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace schedcp::host::mcp::http {

// How long a client should wait before reconnecting (the SSE `retry:` field).
inline constexpr int kSseRetryMs = 1000;
// Events kept per stream for replay (and never more bytes than server.max_outgoing_bytes).
inline constexpr std::size_t kReplayEvents = 256;

// A Last-Event-ID we issued: "<stream>:<seq>".
struct EventId {
    std::uint64_t stream = 0;
    std::uint64_t seq = 0;
};
std::optional<EventId> parse_event_id(std::string_view text);
std::string format_event_id(EventId id);

// One SSE event on the wire, with its id; `message` is a serialised JSON-RPC message.
std::string sse_event_with_id(EventId id, const std::string& message);
// The first event of a new stream: an id, `retry:`, and empty data.
std::string sse_priming_event(std::uint64_t stream);

// The events of one stream already written, newest last, bounded by count and bytes.
class ReplayBuffer {
  public:
    explicit ReplayBuffer(std::size_t max_bytes) : max_bytes_(max_bytes) {}
    void add(std::uint64_t seq, std::string event);
    // The events after `seq`, in order, concatenated. Empty when none are kept (or the
    // client has them all).
    std::string after(std::uint64_t seq) const;

  private:
    struct Entry {
        std::uint64_t seq;
        std::string event;
    };
    std::deque<Entry> entries_;
    std::size_t bytes_ = 0;
    std::size_t max_bytes_;
};

}  // namespace schedcp::host::mcp::http
