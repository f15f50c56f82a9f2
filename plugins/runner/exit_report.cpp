#include "exit_report.hpp"

#include <array>
#include <utility>

namespace schedcp::plugins::runner {

namespace {

// kernel/sched/ext.c scx_exit_reason(), and the names of enum scx_exit_kind.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kReasons{{
    {"unregistered from user space", "UNREG"},
    {"unregistered from BPF", "UNREG_BPF"},
    {"unregistered from the main kernel", "UNREG_KERN"},
    {"disabled by sysrq-S", "SYSRQ"},
    {"runtime error", "ERROR"},
    {"scx_bpf_error", "ERROR_BPF"},
    {"runnable task stall", "ERROR_STALL"},
}};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// "reason (message)" -> reason, message; the message is what the outermost parentheses at
// the end hold (a message may contain parentheses of its own).
std::pair<std::string_view, std::string_view> split_reason(std::string_view s) {
    s = trim(s);
    if (!s.ends_with(')')) return {s, {}};
    int depth = 0;
    for (std::size_t i = s.size(); i-- > 0;) {
        if (s[i] == ')') ++depth;
        if (s[i] == '(' && --depth == 0)
            return {trim(s.substr(0, i)), s.substr(i + 1, s.size() - i - 2)};
    }
    return {s, {}};
}

void set_reason(ExitReport& r, std::string_view reason) {
    r.reason = std::string(reason);
    if (auto kind = exit_kind_for_reason(reason)) r.kind = *kind;
}

// schedcp-loader: "... kind ERROR_STALL (1026), code 0, reason: R, message: M".
bool read_loader_exit(std::string_view line, ExitReport& r) {
    auto at = line.find("kind ");
    if (!line.starts_with("schedcp-loader: ") || at == std::string_view::npos) return false;
    std::string_view rest = line.substr(at + 5);
    std::string_view kind = rest.substr(0, rest.find(' '));
    if (kind.empty() || kind == "NONE") return false;
    r.kind = std::string(kind);
    if (auto p = rest.find(", reason: "); p != std::string_view::npos) {
        std::string_view reason = rest.substr(p + 10);
        auto m = reason.find(", message: ");
        if (m != std::string_view::npos) r.message = std::string(reason.substr(m + 11));
        r.reason = std::string(reason.substr(0, m));
    }
    return true;
}

}  // namespace

bool ExitReport::error() const {
    return kind && kind->starts_with("ERROR");
}

std::optional<std::string> exit_kind_for_reason(std::string_view reason) {
    for (const auto& [text, kind] : kReasons)
        if (reason == text) return std::string(kind);
    return std::nullopt;
}

bool read_exit_line(std::string_view line, ExitReport& report) {
    if (read_loader_exit(line, report)) return true;
    // scx schedulers: "EXIT: reason (message)", alone or after a log prefix ("Error: ",
    // a timestamp and level).
    auto at = line.find("EXIT: ");
    if (at == std::string_view::npos) return false;
    auto [reason, message] = split_reason(line.substr(at + 6));
    if (reason.empty()) return false;
    set_reason(report, reason);
    if (!message.empty()) report.message = std::string(message);
    return true;
}

std::optional<KernelExitLine> parse_kernel_line(std::string_view text, std::string_view ops) {
    if (ops.empty() || !text.starts_with("sched_ext: ")) return std::nullopt;
    std::string_view rest = text.substr(11);
    const std::string disabled = "BPF scheduler \"" + std::string(ops) + "\" disabled ";
    if (rest.starts_with(disabled)) {
        auto [none, reason] = split_reason(rest.substr(disabled.size() - 1));
        if (reason.empty()) return std::nullopt;
        return KernelExitLine{
            .disabled = true, .text = std::string(text), .detail = std::string(reason)};
    }
    const std::string message = std::string(ops) + ": ";
    if (rest.starts_with(message))
        return KernelExitLine{.disabled = false,
                              .text = std::string(text),
                              .detail = std::string(rest.substr(message.size()))};
    return std::nullopt;
}

void apply_kernel_line(const KernelExitLine& line, double logged_at, ExitReport& report) {
    if (!line.disabled) {
        if (!report.message) report.message = line.detail;
        return;
    }
    report.kernel_message = line.text;
    report.kernel_message_at = logged_at;
    set_reason(report, line.detail);
}

}  // namespace schedcp::plugins::runner
