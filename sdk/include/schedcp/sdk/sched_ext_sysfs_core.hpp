// What the kernel says about sched_ext, read from sysfs (/sys/kernel/sched_ext): the one
// reader every part of schedcp uses. Header-only and free of Boost on purpose: the
// compiler plugin's schedcp-loader links neither the SDK library nor Boost and includes
// this file directly; everything else includes schedcp/sdk/sched_ext.hpp, which adds JSON.
//
// The files (Documentation/scheduler/sched-ext.rst, kernel/sched/ext.c):
//   <root>/state        enabling | enabled | disabling | disabled
//   <root>/root/ops     the loaded scheduler's ops name (root/ exists only while loaded)
//   <root>/enable_seq   how many times a scheduler has been enabled since boot
//   <root>/nr_rejected  tasks the scheduler refused (SCX_OPS_ENQ_... rejections)
//   <root>/switch_all   1 when every task is on sched_ext, 0 in partial mode
//   <root>/hotplug_seq  CPU hotplug events seen (not on every kernel)
//   <root>/root/events  the loaded scheduler's event counters, one "SCX_EV_NAME VALUE" per
//                       line (Linux >= 6.15; reset when a scheduler is loaded)
#pragma once

#include <sys/utsname.h>

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace schedcp::sdk::sched_ext {

// Where the kernel puts it; every reader takes the root as a parameter so tests can point
// it at a fake tree.
inline const std::filesystem::path kDefaultRoot = "/sys/kernel/sched_ext";

enum class State {
    disabled,
    enabling,
    enabled,
    disabling,
    unknown,  // the file is missing or says something else; Status::raw_state has the text
};

constexpr std::string_view state_name(State s) {
    switch (s) {
        case State::disabled:
            return "disabled";
        case State::enabling:
            return "enabling";
        case State::enabled:
            return "enabled";
        case State::disabling:
            return "disabling";
        case State::unknown:
            break;
    }
    return "unknown";
}

constexpr State parse_state(std::string_view text) {
    for (State s : {State::disabled, State::enabling, State::enabled, State::disabling})
        if (text == state_name(s)) return s;
    return State::unknown;
}

// One of the loaded scheduler's event counters (<root>/root/events), as the kernel names it
// (e.g. SCX_EV_SELECT_CPU_FALLBACK).
struct EventCounter {
    std::string name;
    std::uint64_t value = 0;
};

struct Status {
    bool present = false;  // <root> exists: the kernel has sched_ext
    State state = State::unknown;
    std::string raw_state;           // <root>/state as read ("" when it could not be read)
    std::optional<std::string> ops;  // the loaded scheduler's ops name, while one is loaded
    std::optional<std::uint64_t> enable_seq;
    std::optional<std::uint64_t> nr_rejected;
    std::optional<std::uint64_t> hotplug_seq;
    std::optional<bool> switch_all;
    // <root>/root/events: nullopt when the file is missing or unreadable (no scheduler loaded,
    // or a kernel before 6.15); events_unavailable_reason() says which.
    std::optional<std::vector<EventCounter>> events;

    // A scheduler is loaded, or being loaded or unloaded: another cannot be loaded now.
    bool busy() const { return present && state != State::disabled; }
    bool enabled_with(std::string_view ops_name) const {
        return state == State::enabled && ops && *ops == ops_name;
    }
    // The state's name, or the unknown text as the kernel wrote it.
    std::string state_text() const {
        if (state != State::unknown || raw_state.empty()) return std::string(state_name(state));
        return raw_state;
    }
    // "enabled (ops 'simple')", "disabled", "absent".
    std::string describe() const {
        if (!present) return "absent";
        return state_text() + (ops ? " (ops '" + *ops + "')" : std::string());
    }
};

namespace detail {

// The file's first line without trailing blanks; nullopt when it cannot be read.
inline std::optional<std::string> first_line(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::string s;
    if (!in || !std::getline(in, s)) return std::nullopt;
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.pop_back();
    return s;
}

inline std::optional<std::uint64_t> number(const std::filesystem::path& p) {
    auto s = first_line(p);
    if (!s || s->empty()) return std::nullopt;
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
    if (ec != std::errc() || end != s->data() + s->size()) return std::nullopt;
    return v;
}

}  // namespace detail

// "NAME VALUE" lines; lines that are not of that form are skipped (a newer kernel may add
// other text), so an empty vector is a file with no counters.
inline std::vector<EventCounter> parse_events(std::string_view text) {
    std::vector<EventCounter> out;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        auto sp = line.find(' ');
        if (sp == std::string_view::npos || sp == 0) continue;
        std::string_view value = line.substr(sp + 1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\r'))
            value.remove_suffix(1);
        std::uint64_t v = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
        if (ec != std::errc() || end != value.data() + value.size()) continue;
        out.push_back({std::string(line.substr(0, sp)), v});
    }
    return out;
}

inline std::optional<std::vector<EventCounter>> read_events(const std::filesystem::path& root) {
    std::ifstream in(root / "root" / "events");
    if (!in) return std::nullopt;
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return std::nullopt;
    return parse_events(text);
}

// Reads <root> now. Files that are missing leave their field empty; a missing <root>
// means the kernel has no sched_ext (present = false). Never throws.
inline Status read_status(const std::filesystem::path& root = kDefaultRoot) {
    Status s;
    std::error_code ec;
    s.present = std::filesystem::is_directory(root, ec);
    if (!s.present) return s;
    if (auto text = detail::first_line(root / "state")) {
        s.raw_state = *text;
        s.state = parse_state(*text);
    }
    if (auto ops = detail::first_line(root / "root" / "ops"); ops && !ops->empty()) s.ops = *ops;
    s.enable_seq = detail::number(root / "enable_seq");
    s.nr_rejected = detail::number(root / "nr_rejected");
    s.hotplug_seq = detail::number(root / "hotplug_seq");
    if (auto sw = detail::number(root / "switch_all")) s.switch_all = *sw != 0;
    s.events = read_events(root);
    return s;
}

// uname -r, for messages ("unknown" if uname fails).
inline std::string kernel_release() {
    utsname u{};
    if (::uname(&u) != 0) return "unknown";
    return u.release;
}

// The one message for a kernel without sched_ext (<root> does not exist).
inline std::string no_sched_ext_message(const std::filesystem::path& root = kDefaultRoot) {
    return "this kernel (" + kernel_release() + ") has no sched_ext: " + root.string() +
           " does not exist (sched_ext needs Linux >= 6.12 built with CONFIG_SCHED_CLASS_EXT=y)";
}

// Why `status.events` is empty: no sched_ext, no scheduler loaded (the counters belong to
// the loaded one), or a kernel without them. "" when they are there.
inline std::string events_unavailable_reason(const Status& status,
                                             const std::filesystem::path& root = kDefaultRoot) {
    if (status.events) return "";
    if (!status.present) return no_sched_ext_message(root);
    std::error_code ec;
    if (!std::filesystem::is_directory(root / "root", ec))
        return "no sched_ext scheduler is loaded (" + (root / "root").string() +
               " exists only while one is)";
    return (root / "root" / "events").string() + " does not exist: this kernel (" +
           kernel_release() + ") has no sched_ext event counters (they need Linux >= 6.15)";
}

}  // namespace schedcp::sdk::sched_ext
