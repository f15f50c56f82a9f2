#include "schedcp/sdk/log.hpp"

#include <array>
#include <utility>

namespace schedcp::sdk {

namespace {
constexpr std::array<std::pair<LogLevel, std::string_view>, 7> kNames{{
    {LogLevel::trace, "trace"},
    {LogLevel::debug, "debug"},
    {LogLevel::info, "info"},
    {LogLevel::notice, "notice"},
    {LogLevel::warning, "warning"},
    {LogLevel::error, "error"},
    {LogLevel::critical, "critical"},
}};
}  // namespace

std::string_view to_string(LogLevel level) noexcept {
    for (const auto& [l, name] : kNames)
        if (l == level) return name;
    return "info";
}

std::optional<LogLevel> parse_log_level(std::string_view text) noexcept {
    for (const auto& [l, name] : kNames)
        if (name == text) return l;
    return std::nullopt;
}

}  // namespace schedcp::sdk
