// Which arguments a catalogued scheduler may be given. One checker, used twice: by the runner
// (a friendly error at run_scheduler time, from the catalog entry it has then) and by
// schedcp-guard (the final check on the root side, from a table compiled in from the same
// catalog data). A scheduler runs as root, and some of its options would turn it into
// something else (scx_chaos runs its trailing arguments as a program; scx_layered --example
// writes a file), so its arguments are an allow-list, never a pass-through.
//
// An argument list is accepted only if it is
//   (a) exactly one of the scheduler's catalogued modes (trusted catalog data), or
//   (b) a sequence of the scheduler's catalogued tuning-parameter flags (a parameter's flag or
//       its short_flag): a boolean one alone, any other with exactly one value, as
//       `FLAG VALUE` or (long flags) `--flag=VALUE`.
//       Values are checked by type: integer -?[0-9]+, float a decimal number, string
//       1..256 characters of [A-Za-z0-9_.,:+/=-], not starting with '-', without "..".
// No positional argument, no unknown flag, no "--". A parameter marked "root_safe": false in
// the catalog (it names a file to write or a program to run) is refused. A scheduler with
// neither tuning parameters nor modes takes no arguments.
//
// Header-only and free of Boost: the guard includes it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedcp::scheduler_args {

// Bounds on any scheduler's argument list, whatever its rules: the tool's input schema, the
// runner and the guard all use these.
inline constexpr std::size_t kMaxArgs = 128;
inline constexpr std::size_t kMaxArgBytes = 4096;

enum class ValueType { boolean, integer, floating, string };

struct Parameter {
    std::string_view flag;        // "--slice-us", or "-s" for a scheduler with short options only
    std::string_view short_flag;  // "-s" when the parameter also has one, else empty
    ValueType type = ValueType::boolean;
    bool root_safe = true;  // false: never passed to a scheduler (it runs as root)
};

// What one scheduler accepts. The views must outlive the check.
struct Rules {
    std::string_view scheduler;
    std::vector<Parameter> parameters;
    std::vector<std::vector<std::string_view>> modes;  // each an exact argument list
};

inline constexpr std::size_t kMaxStringValue = 256;
inline constexpr std::size_t kMaxListedOptions = 12;

namespace detail {

inline std::string printable(std::string_view text) {
    std::string out;
    for (unsigned char c : text.substr(0, 60)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
    if (text.size() > 60) out += "...";
    return out;
}

inline bool digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

inline bool valid_integer(std::string_view v) {
    if (!v.empty() && v.front() == '-') v.remove_prefix(1);
    return digits(v) && v.size() <= 20;
}

// -?D+(.D+)? or -?.D+
inline bool valid_float(std::string_view v) {
    if (!v.empty() && v.front() == '-') v.remove_prefix(1);
    if (v.size() > 64) return false;
    const auto dot = v.find('.');
    if (dot == std::string_view::npos) return digits(v);
    return (dot == 0 || digits(v.substr(0, dot))) && digits(v.substr(dot + 1));
}

inline bool valid_string(std::string_view v) {
    if (v.empty() || v.size() > kMaxStringValue || v.front() == '-') return false;
    if (v.find("..") != std::string_view::npos) return false;
    return std::all_of(v.begin(), v.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("_.,:+/=-").find(c) != std::string_view::npos;
    });
}

inline const char* placeholder(ValueType t) {
    switch (t) {
        case ValueType::integer:
            return " N";
        case ValueType::floating:
            return " X.Y";
        case ValueType::string:
            return " TEXT";
        case ValueType::boolean:
            break;
    }
    return "";
}

inline const char* value_rule(ValueType t) {
    switch (t) {
        case ValueType::integer:
            return "a whole number (-?[0-9]+)";
        case ValueType::floating:
            return "a decimal number such as 0.5";
        case ValueType::string:
            return "1 to 256 characters of [A-Za-z0-9_.,:+/=-], not starting with '-' and "
                   "without '..'";
        case ValueType::boolean:
            break;
    }
    return "no value";
}

}  // namespace detail

// "its options: --a N, --b, ...; its modes' arguments: [-m auto], ..." (truncated).
inline std::string describe_allowed(const Rules& rules) {
    std::string s;
    std::size_t listed = 0, usable = 0;
    for (const auto& p : rules.parameters) {
        if (!p.root_safe) continue;
        ++usable;
        if (listed == kMaxListedOptions) continue;
        s += (listed++ ? ", " : "") + std::string(p.flag) + detail::placeholder(p.type);
    }
    if (usable > listed) s += ", ... (" + std::to_string(usable - listed) + " more)";
    std::string modes;
    std::size_t shown = 0;
    for (const auto& m : rules.modes) {
        if (m.empty() || shown == 5) continue;
        std::string one;
        for (const auto& a : m) one += (one.empty() ? "" : " ") + std::string(a);
        modes += (shown++ ? ", " : "") + ("[" + one + "]");
    }
    std::string out = usable ? "its options: " + s : std::string("it has no options");
    if (!modes.empty()) out += "; or exactly a mode's arguments: " + modes;
    return out;
}

// Whatever the scheduler: at most kMaxArgs arguments of at most kMaxArgBytes each. nullopt
// when within, else what is wrong. (The tool's input schema declares the same bounds, so an
// MCP client sees them; this is where they hold for every path, the guard's too.)
template <typename Args>
std::optional<std::string> check_bounds(const Args& args) {
    if (args.size() > kMaxArgs)
        return "too many scheduler arguments: " + std::to_string(args.size()) + " (at most " +
               std::to_string(kMaxArgs) + ")";
    for (std::size_t i = 0; i < args.size(); ++i)
        if (std::string_view(args[i]).size() > kMaxArgBytes)
            return "scheduler argument " + std::to_string(i + 1) + " is " +
                   std::to_string(std::string_view(args[i]).size()) + " bytes long (at most " +
                   std::to_string(kMaxArgBytes) + ")";
    return std::nullopt;
}

// Returns nullopt when `args` are allowed, else a message saying what is wrong and what is
// allowed.
template <typename Args>
std::optional<std::string> check(const Rules& rules, const Args& args) {
    const std::string who(rules.scheduler);
    if (args.empty()) return std::nullopt;
    if (auto why = check_bounds(args)) return why;
    for (const auto& m : rules.modes)
        if (std::equal(m.begin(), m.end(), args.begin(), args.end(),
                       [](std::string_view a, std::string_view b) { return a == b; }))
            return std::nullopt;
    if (rules.parameters.empty() &&
        std::none_of(rules.modes.begin(), rules.modes.end(), [](auto& m) { return !m.empty(); }))
        return who + " takes no arguments (it has no catalogued options or modes)";
    const auto find = [&](std::string_view flag) -> const Parameter* {
        for (const auto& p : rules.parameters)
            if (p.flag == flag || (!p.short_flag.empty() && p.short_flag == flag)) return &p;
        return nullptr;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view a = args[i];
        if (a == "--")
            return "'--' is not allowed in " + who +
                   "'s arguments (nothing may follow the "
                   "options); " +
                   describe_allowed(rules);
        if (a.size() < 2 || a.front() != '-')
            return who + " takes no positional argument ('" + detail::printable(a) + "'); " +
                   describe_allowed(rules);
        std::string_view flag = a;
        std::optional<std::string_view> inline_value;
        if (a.starts_with("--")) {
            if (const auto eq = a.find('='); eq != std::string_view::npos) {
                flag = a.substr(0, eq);
                inline_value = a.substr(eq + 1);
            }
        }
        const Parameter* p = find(flag);
        if (!p)
            return who + " has no option '" + detail::printable(flag) + "'; " +
                   describe_allowed(rules);
        if (!p->root_safe)
            return who + "'s option '" + std::string(flag) +
                   "' is never allowed: it names a file to write or a program to run, and the "
                   "scheduler runs as root";
        if (p->type == ValueType::boolean) {
            if (inline_value)
                return who + "'s option '" + std::string(flag) +
                       "' is a switch and takes no value (give it alone)";
            continue;
        }
        std::string_view value;
        if (inline_value) {
            value = *inline_value;
        } else {
            if (i + 1 >= args.size())
                return who + "'s option '" + std::string(flag) +
                       "' needs a value: " + std::string(flag) + detail::placeholder(p->type);
            value = args[++i];
        }
        const bool ok = p->type == ValueType::integer    ? detail::valid_integer(value)
                        : p->type == ValueType::floating ? detail::valid_float(value)
                                                         : detail::valid_string(value);
        if (!ok)
            return who + "'s option '" + std::string(flag) + "' takes " +
                   detail::value_rule(p->type) + ", not '" + detail::printable(value) + "'";
    }
    return std::nullopt;
}

// "integer", "float", "boolean", "string" (the catalog's words).
inline std::optional<ValueType> parse_type(std::string_view word) {
    if (word == "integer") return ValueType::integer;
    if (word == "float") return ValueType::floating;
    if (word == "boolean") return ValueType::boolean;
    if (word == "string") return ValueType::string;
    return std::nullopt;
}

}  // namespace schedcp::scheduler_args
