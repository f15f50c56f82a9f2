// The requestState of an MCP 2026-07-28 input-required result (SEP-2322): what a tool call
// has learnt from its client in earlier rounds, handed to the client and back, so that no
// server state waits between the rounds.
//
// Wire form: base64url(payload JSON) "." hex(HMAC-SHA-256(key, payload)). The key is random
// per process (so a state outlives neither a restart nor another server), the payload names
// the request it belongs to (method, tool/prompt name, a digest of the arguments) and when
// it expires, and its size is bounded: a client can neither forge, alter, replay for other
// arguments, nor keep using a state, and a state cannot grow without bound.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/object.hpp>

namespace schedcp::host::mcp {

struct RequestStateContent {
    std::string method;             // "tools/call"
    std::string name;               // the tool's name
    std::string arguments;          // hex SHA-256 of the compact arguments
    boost::json::object responses;  // input key -> the client's answer, all rounds so far
};

class RequestStateCodec {
  public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    RequestStateCodec(
        std::string key, std::chrono::seconds lifetime, std::size_t max_bytes,
        Clock clock = [] { return std::chrono::system_clock::now(); });

    // The process's codec: a 32-byte key from getrandom(2), states valid for 30 minutes and
    // at most 256 KiB.
    static const RequestStateCodec& process();

    // The wire form, or nullopt when it would exceed max_bytes.
    std::optional<std::string> seal(const RequestStateContent& content) const;
    // The content, or why the state is refused (a sentence for the -32602 message).
    std::variant<RequestStateContent, std::string> open(std::string_view state) const;

    std::size_t max_bytes() const { return max_bytes_; }

  private:
    std::string key_;
    std::chrono::seconds lifetime_;
    std::size_t max_bytes_;
    Clock clock_;
};

// hex SHA-256 of `text` (the arguments' digest in a state).
std::string sha256_hex(std::string_view text);

}  // namespace schedcp::host::mcp
