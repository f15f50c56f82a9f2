// Boost.Log set-up for the host: one file sink (never stdout), plus an optional forwarder
// that hands records to the MCP layer (notifications/message after logging/setLevel).
#pragma once

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

void flush_logging();

}  // namespace schedcp::host
