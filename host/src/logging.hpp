// Boost.Log set-up for the host: one file sink (never stdout), plus an optional forwarder
// that hands records to the MCP layer (notifications/message after logging/setLevel).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "schedcp/sdk/log.hpp"

namespace schedcp::host {

// Opens (appends to) `file`, creating its directory. Throws std::runtime_error with a
// clear message when the file cannot be opened.
void init_logging(const std::filesystem::path& file, sdk::LogLevel level);

// A logger whose channel is `channel` (a plugin's name, or "host").
sdk::Logger make_logger(const std::string& channel);

using LogForwarder = std::function<void(sdk::LogLevel level, const std::string& channel,
                                        const std::string& message)>;

// Records at or above `min_level` are also passed to `forwarder`, one per `owner` (an MCP
// session: each connection or HTTP session asks for its own level; setting again replaces
// the owner's previous one). The forwarder runs on the logging thread and must not log
// itself. After clear_log_forwarder(owner) returns, the owner's forwarder never runs again.
void set_log_forwarder(const void* owner, LogForwarder forwarder, sdk::LogLevel min_level);
void clear_log_forwarder(const void* owner);

// Records of one tool call. The host hands each call a logger of its own whose records carry
// the call's tag, so a record can be routed to the request that produced it (its HTTP
// stream; in 2026-07-28 only when that request asked for logs) instead of being guessed
// from which stream is open. A tagged record goes only to its call's forwarder (when one is
// set, and at or above its level), never to the per-owner forwarders above: one client's
// tool output is not another client's log.
using CallTag = std::uint64_t;
// A fresh tag, never 0, unique for the life of the process. Thread-safe.
CallTag next_call_tag();
// A logger whose channel is `channel` and whose records carry `tag`.
sdk::Logger make_call_logger(const std::string& channel, CallTag tag);
// As set_log_forwarder, for the records tagged `tag`. After clear_call_log_forwarder(tag)
// returns, the forwarder never runs again.
void set_call_log_forwarder(CallTag tag, LogForwarder forwarder, sdk::LogLevel min_level);
void clear_call_log_forwarder(CallTag tag);

void flush_logging();

}  // namespace schedcp::host
