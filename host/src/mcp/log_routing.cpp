#include "log_routing.hpp"

#include "jsonrpc.hpp"
#include "schedcp/sdk/text.hpp"
#include "session.hpp"

namespace schedcp::host::mcp {

namespace bj = boost::json;

sdk::LogLevel from_mcp_level(std::string_view l) {
    if (l == "debug") return sdk::LogLevel::debug;
    if (l == "info") return sdk::LogLevel::info;
    if (l == "notice") return sdk::LogLevel::notice;
    if (l == "warning") return sdk::LogLevel::warning;
    if (l == "error") return sdk::LogLevel::error;
    return sdk::LogLevel::critical;  // critical, alert, emergency
}

const char* to_mcp_level(sdk::LogLevel l) {
    switch (l) {
        case sdk::LogLevel::trace:
        case sdk::LogLevel::debug:
            return "debug";
        case sdk::LogLevel::info:
            return "info";
        case sdk::LogLevel::notice:
            return "notice";
        case sdk::LogLevel::warning:
            return "warning";
        case sdk::LogLevel::error:
            return "error";
        case sdk::LogLevel::critical:
            return "critical";
    }
    return "info";
}

bj::object log_notification(sdk::LogLevel level, const std::string& channel,
                            const std::string& message) {
    return make_notification("notifications/message",
                             bj::object{{"level", to_mcp_level(level)},
                                        {"logger", channel},
                                        {"data", sdk::text::sanitize(message, 4096)}});
}

std::optional<sdk::LogLevel> requested_log_level(const bj::object& params) {
    auto meta = params.find("_meta");
    if (meta == params.end() || !meta->value().is_object()) return std::nullopt;
    const bj::value* level = meta->value().get_object().if_contains(kMetaLogLevel);
    if (!level || !level->is_string()) return std::nullopt;
    return from_mcp_level(level->get_string());
}

sdk::Logger& CallLog::logger() {
    std::lock_guard lock(mutex_);
    if (!logger_) {
        tag_ = next_call_tag();
        logger_.emplace(make_call_logger(std::string(channel_), tag_));
        if (!stopped_) start_forwarding();
    }
    return *logger_;
}

void CallLog::start_forwarding() {
    // Both forwarders run on whichever thread logs; McpSession::send_related is thread-safe.
    auto send = [&session = session_, id = request_id_](sdk::LogLevel level, const std::string& ch,
                                                        const std::string& message) {
        session.send_related(log_notification(level, ch, message), id);
    };
    if (rev_.modern) {
        // 2026-07-28: only what this request asked for.
        if (requested_) {
            set_call_log_forwarder(tag_, std::move(send), *requested_);
            forwarding_ = true;
        }
        return;
    }
    // 2025 era: the session's level, read per record (logging/setLevel may come mid-call).
    set_call_log_forwarder(
        tag_,
        [&session = session_, send = std::move(send)](sdk::LogLevel level, const std::string& ch,
                                                      const std::string& message) {
            auto min = session.legacy_log_level();
            if (min && level >= *min) send(level, ch, message);
        },
        sdk::LogLevel::trace);
    forwarding_ = true;
}

void CallLog::stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    if (!forwarding_) return;
    clear_call_log_forwarder(tag_);
    forwarding_ = false;
}

}  // namespace schedcp::host::mcp
