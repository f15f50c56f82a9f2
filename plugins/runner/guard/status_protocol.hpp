// The guard's status channel: the records schedcp-guard writes on its stdout (and only
// there), and their strict parser, shared by the guard (which writes them) and the runner
// (which reads them).
//
// Why a channel of its own: the scheduler's output is forwarded on the guard's stderr, so
// nothing a scheduler prints can be taken for a record. One record per line, nothing else:
//   started pid=N             the scheduler runs (N: 1 .. 2^31-1)
//   stopping signal=SIGINT    a stop began / escalated (SIGINT, SIGTERM or SIGKILL)
//   exited code=N             the scheduler exited with N (0 .. 255)
//   killed signal=N           the scheduler was killed by signal N (1 .. 64)
// Numbers are plain decimal digits (no sign, no leading zeros beyond "0", no spaces).
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace schedcp::guard_protocol {

// Longest valid record, newline excluded; a longer line is a protocol error.
inline constexpr std::size_t kMaxRecordBytes = 64;

enum class RecordKind { started, stopping, exited, killed };

struct StatusRecord {
    RecordKind kind = RecordKind::started;
    std::int64_t value = 0;   // pid, exit code or signal number
    std::string_view signal;  // stopping: "SIGINT", "SIGTERM" or "SIGKILL"
};

inline std::string format_started(long long pid) {
    return "started pid=" + std::to_string(pid) + "\n";
}
inline std::string format_stopping(std::string_view signal) {
    return "stopping signal=" + std::string(signal) + "\n";
}
inline std::string format_exited(int code) {
    return "exited code=" + std::to_string(code) + "\n";
}
inline std::string format_killed(int signal) {
    return "killed signal=" + std::to_string(signal) + "\n";
}

namespace detail {

// A decimal number in [min, max], all of `digits`; nullopt otherwise (overflow included).
inline std::optional<std::int64_t> number(std::string_view digits, std::int64_t min,
                                          std::int64_t max) {
    if (digits.empty() || digits.size() > 19) return std::nullopt;
    if (digits.size() > 1 && digits.front() == '0') return std::nullopt;
    for (char c : digits)
        if (c < '0' || c > '9') return std::nullopt;
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    if (v < min || v > max) return std::nullopt;
    return v;
}

}  // namespace detail

// One line (without its newline). Never throws: anything but an exact record is nullopt.
inline std::optional<StatusRecord> parse_status_record(std::string_view line) noexcept {
    if (line.size() > kMaxRecordBytes) return std::nullopt;
    auto after = [&](std::string_view prefix) -> std::optional<std::string_view> {
        if (!line.starts_with(prefix)) return std::nullopt;
        return line.substr(prefix.size());
    };
    if (auto rest = after("started pid=")) {
        if (auto v = detail::number(*rest, 1, 2147483647))
            return StatusRecord{.kind = RecordKind::started, .value = *v};
    } else if (auto rest = after("exited code=")) {
        if (auto v = detail::number(*rest, 0, 255))
            return StatusRecord{.kind = RecordKind::exited, .value = *v};
    } else if (auto rest = after("killed signal=")) {
        if (auto v = detail::number(*rest, 1, 64))
            return StatusRecord{.kind = RecordKind::killed, .value = *v};
    } else if (auto rest = after("stopping signal=")) {
        for (std::string_view s : {"SIGINT", "SIGTERM", "SIGKILL"})
            if (*rest == s) return StatusRecord{.kind = RecordKind::stopping, .signal = s};
    }
    return std::nullopt;
}

}  // namespace schedcp::guard_protocol
