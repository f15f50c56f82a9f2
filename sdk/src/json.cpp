#include "schedcp/sdk/json.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <system_error>

#include "schedcp/sdk/error.hpp"

namespace schedcp::sdk::json {

std::string_view type_name(const bj::value& v) noexcept {
    switch (v.kind()) {
        case bj::kind::null:
            return "null";
        case bj::kind::bool_:
            return "boolean";
        case bj::kind::int64:
        case bj::kind::uint64:
            return "integer";
        case bj::kind::double_:
            return "number";
        case bj::kind::string:
            return "string";
        case bj::kind::array:
            return "array";
        case bj::kind::object:
            return "object";
    }
    return "null";
}

namespace {

const bj::value* lookup(const bj::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return nullptr;
    return &it->value();
}

[[noreturn]] void wrong_type(std::string_view key, std::string_view expected, const bj::value& v) {
    throw InvalidArgument("'" + std::string(key) + "' must be " + std::string(expected) + ", got " +
                          std::string(type_name(v)));
}

}  // namespace

std::optional<std::string> optional_string(const bj::object& o, std::string_view key) {
    const bj::value* v = lookup(o, key);
    if (!v) return std::nullopt;
    if (!v->is_string()) wrong_type(key, "a string", *v);
    return std::string(v->get_string());
}

std::string required_string(const bj::object& o, std::string_view key) {
    auto s = optional_string(o, key);
    if (!s) throw InvalidArgument("'" + std::string(key) + "' is required");
    return *s;
}

std::optional<bool> optional_bool(const bj::object& o, std::string_view key) {
    const bj::value* v = lookup(o, key);
    if (!v) return std::nullopt;
    if (!v->is_bool()) wrong_type(key, "a boolean", *v);
    return v->get_bool();
}

std::optional<std::int64_t> optional_int(const bj::object& o, std::string_view key) {
    const bj::value* v = lookup(o, key);
    if (!v) return std::nullopt;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v->get_uint64());
    if (v->is_double()) {
        double d = v->get_double();
        if (d == static_cast<double>(static_cast<std::int64_t>(d)))
            return static_cast<std::int64_t>(d);
    }
    wrong_type(key, "an integer", *v);
}

std::optional<double> optional_number(const bj::object& o, std::string_view key) {
    const bj::value* v = lookup(o, key);
    if (!v) return std::nullopt;
    if (v->is_number()) return v->to_number<double>();
    wrong_type(key, "a number", *v);
}

std::optional<std::vector<std::string>> optional_string_array(const bj::object& o,
                                                              std::string_view key) {
    const bj::value* v = lookup(o, key);
    if (!v) return std::nullopt;
    if (!v->is_array()) wrong_type(key, "an array of strings", *v);
    std::vector<std::string> out;
    for (const auto& item : v->get_array()) {
        if (!item.is_string()) wrong_type(key, "an array of strings", item);
        out.emplace_back(item.get_string());
    }
    return out;
}

namespace {

// Whether a byte must be escaped inside a JSON string.
constexpr bool needs_escape(unsigned char c) {
    return c < 0x20 || c == '"' || c == '\\';
}

void write_escape(std::string& out, unsigned char c) {
    static constexpr char kHex[] = "0123456789abcdef";
    char short_form = 0;
    switch (c) {
        case '"':
            short_form = '"';
            break;
        case '\\':
            short_form = '\\';
            break;
        case '\b':
            short_form = 'b';
            break;
        case '\f':
            short_form = 'f';
            break;
        case '\n':
            short_form = 'n';
            break;
        case '\r':
            short_form = 'r';
            break;
        case '\t':
            short_form = 't';
            break;
        default: {
            const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
            out.append(u, sizeof u);
            return;
        }
    }
    out.push_back('\\');
    out.push_back(short_form);
}

// The high bit of each of the 8 bytes of `w` that needs escaping (the classic has-zero
// and has-less-than bit tricks). Bytes above the lowest flagged one may be flagged
// falsely (a borrow), the lowest is exact: on a little-endian load it is the first byte.
constexpr std::uint64_t escape_mask(std::uint64_t w) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    const std::uint64_t quote = w ^ (kOnes * '"');
    const std::uint64_t backslash = w ^ (kOnes * '\\');
    const std::uint64_t below_space = (w - kOnes * 0x20) & ~w;
    const std::uint64_t zero_quote = (quote - kOnes) & ~quote;
    const std::uint64_t zero_backslash = (backslash - kOnes) & ~backslash;
    return (below_space | zero_quote | zero_backslash) & kHighs;
}

// Runs of bytes that need no escaping are found 8 bytes at a time and appended at once,
// and the next byte to escape is found from the word's mask, not by a byte loop: answers
// are mostly prose, or JSON quoted into a text field (a quote every dozen bytes), and
// looking at them byte by byte was the writer's main cost.
void write_string(std::string& out, std::string_view s) {
    if (out.capacity() - out.size() < s.size() + 2) out.reserve(out.size() + s.size() + 2);
    out += '"';
    const char* const end = s.data() + s.size();
    const char* run = s.data();  // first byte not yet appended
    const char* p = s.data();
    auto escape_at = [&](const char* at) {
        out.append(run, static_cast<std::size_t>(at - run));
        const char c = *at;
        if (c == '"' || c == '\\') {
            // The common escapes, inline: quoted JSON text is full of them.
            out.push_back('\\');
            out.push_back(c);
        } else {
            write_escape(out, static_cast<unsigned char>(c));
        }
        run = at + 1;
    };
    if constexpr (std::endian::native == std::endian::little) {
        while (end - p >= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, sizeof w);
            const std::uint64_t mask = escape_mask(w);
            if (mask == 0) {
                p += 8;
                continue;
            }
            p += std::countr_zero(mask) / 8;
            escape_at(p++);
        }
    }
    for (; p < end; ++p)
        if (needs_escape(static_cast<unsigned char>(*p))) escape_at(p);
    out.append(run, static_cast<std::size_t>(end - run));
    out += '"';
}

template <typename T>
void write_chars(std::string& out, T value) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    if (ec != std::errc()) {
        out += "null";  // cannot happen with 64 bytes; never emit a partial number
        return;
    }
    out.append(buf, end);
}

void write_double(std::string& out, double d) {
    if (!std::isfinite(d)) {
        out += "null";  // JSON has no NaN or infinity
        return;
    }
    const std::size_t start = out.size();
    write_chars(out, d);  // shortest representation that round-trips
    if (out.find_first_of(".e", start) == std::string::npos) out += ".0";
}

void write_scalar(std::string& out, const bj::value& v) {
    switch (v.kind()) {
        case bj::kind::null:
            out += "null";
            return;
        case bj::kind::bool_:
            out += v.get_bool() ? "true" : "false";
            return;
        case bj::kind::int64:
            write_chars(out, v.get_int64());
            return;
        case bj::kind::uint64:
            write_chars(out, v.get_uint64());
            return;
        case bj::kind::double_:
            write_double(out, v.get_double());
            return;
        case bj::kind::string:
            write_string(out, v.get_string());
            return;
        case bj::kind::array:
        case bj::kind::object:
            break;  // handled by the callers
    }
}

void compact_into(std::string& out, const bj::value& v) {
    if (const auto* o = v.if_object()) {
        out += '{';
        bool first = true;
        for (const auto& kv : *o) {
            if (!first) out += ',';
            first = false;
            write_string(out, kv.key());
            out += ':';
            compact_into(out, kv.value());
        }
        out += '}';
    } else if (const auto* a = v.if_array()) {
        out += '[';
        bool first = true;
        for (const auto& item : *a) {
            if (!first) out += ',';
            first = false;
            compact_into(out, item);
        }
        out += ']';
    } else {
        write_scalar(out, v);
    }
}

void pretty_into(std::string& out, const bj::value& v, int indent) {
    auto pad = [&](int n) { out.append(static_cast<std::size_t>(n) * 2, ' '); };
    switch (v.kind()) {
        case bj::kind::object: {
            const auto& o = v.get_object();
            if (o.empty()) {
                out += "{}";
                return;
            }
            out += "{\n";
            bool first = true;
            for (const auto& kv : o) {
                if (!first) out += ",\n";
                first = false;
                pad(indent + 1);
                write_string(out, kv.key());
                out += ": ";
                pretty_into(out, kv.value(), indent + 1);
            }
            out += "\n";
            pad(indent);
            out += "}";
            return;
        }
        case bj::kind::array: {
            const auto& a = v.get_array();
            if (a.empty()) {
                out += "[]";
                return;
            }
            out += "[\n";
            bool first = true;
            for (const auto& item : a) {
                if (!first) out += ",\n";
                first = false;
                pad(indent + 1);
                pretty_into(out, item, indent + 1);
            }
            out += "\n";
            pad(indent);
            out += "]";
            return;
        }
        default:
            write_scalar(out, v);
    }
}

}  // namespace

std::string compact(const bj::value& v) {
    std::string out;
    compact_into(out, v);
    return out;
}

void append_compact(std::string& out, const bj::value& v) {
    compact_into(out, v);
}

void append_quoted(std::string& out, std::string_view s) {
    write_string(out, s);
}

std::string pretty(const bj::value& v) {
    std::string out;
    pretty_into(out, v, 0);
    return out;
}

}  // namespace schedcp::sdk::json
