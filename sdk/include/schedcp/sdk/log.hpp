// Logging for plugins: a Boost.Log channel per plugin, named after it.
//
// The host configures the sinks (the log file from the config; never stdout in server
// mode) and hands each plugin a Logger whose channel is the plugin's name. Use
//     SCHEDCP_LOG(ctx.logger(), info) << "started " << name;
// Never log secrets (the sudo password) or whole argument objects that could hold one.
#pragma once

// Boost.Log's headers pick the shared or the static library's symbols by this define; a
// plugin built without it fails only at link time (or gets a logging core of its own).
#if !defined(BOOST_LOG_DYN_LINK) && !defined(BOOST_ALL_DYN_LINK)
#error \
    "schedcp SDK: compile with -DBOOST_LOG_DYN_LINK (the host uses the shared Boost.Log; see schedcp/sdk/plugin.hpp)"
#endif

#include <optional>
#include <string>
#include <string_view>

#include <boost/log/sources/record_ostream.hpp>
#include <boost/log/sources/severity_channel_logger.hpp>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk {

// Ordered by severity. The names match the config's `log.level` values.
enum class LogLevel { trace, debug, info, notice, warning, error, critical };

SCHEDCP_SDK_API std::string_view to_string(LogLevel level) noexcept;
SCHEDCP_SDK_API std::optional<LogLevel> parse_log_level(std::string_view text) noexcept;

using Logger = boost::log::sources::severity_channel_logger_mt<LogLevel, std::string>;

}  // namespace schedcp::sdk

#define SCHEDCP_LOG(logger, level) BOOST_LOG_SEV((logger), ::schedcp::sdk::LogLevel::level)
