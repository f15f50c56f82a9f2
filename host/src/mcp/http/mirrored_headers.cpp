#include "mirrored_headers.hpp"

#include "base64.hpp"
#include "schedcp/sdk/json.hpp"

namespace schedcp::host::mcp::http {

namespace bj = boost::json;

namespace {

constexpr std::string_view kSentinelPrefix = "=?base64?";
constexpr std::string_view kSentinelSuffix = "?=";

// Well-formed UTF-8 sequences (lead byte and continuation bytes; no deeper checks).
bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t extra = 0;
        if (c >= 0x80) {
            if ((c >> 5) == 0x6)
                extra = 1;
            else if ((c >> 4) == 0xe)
                extra = 2;
            else if ((c >> 3) == 0x1e)
                extra = 3;
            else
                return false;
        }
        if (s.size() - i <= extra) return false;
        for (std::size_t k = 1; k <= extra; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
        i += extra + 1;
    }
    return true;
}

std::string_view trim_blanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// How an argument is written in its header: strings as they are, integers in decimal,
// booleans in lower case (SEP-2243).
std::string rendered(const bj::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    if (v.is_bool()) return v.get_bool() ? "true" : "false";
    return sdk::json::compact(v);
}

}  // namespace

std::optional<std::string> decode_header_value(std::string_view raw) {
    const std::string_view v = trim_blanks(raw);
    if (v.size() < kSentinelPrefix.size() + kSentinelSuffix.size() ||
        !v.starts_with(kSentinelPrefix) || !v.ends_with(kSentinelSuffix))
        return std::string(v);
    auto decoded = base64_decode(v.substr(
        kSentinelPrefix.size(), v.size() - kSentinelPrefix.size() - kSentinelSuffix.size()));
    if (!decoded || !valid_utf8(*decoded)) return std::nullopt;
    return decoded;
}

std::optional<std::string> check_param_headers(const bj::object& input_schema,
                                               const bj::object& arguments,
                                               const HeaderLookup& header) {
    const bj::value* properties = input_schema.if_contains("properties");
    if (!properties || !properties->is_object()) return std::nullopt;
    for (const auto& [name, property] : properties->get_object()) {
        if (!property.is_object()) continue;
        const bj::value* mirrored = property.get_object().if_contains("x-mcp-header");
        if (!mirrored || !mirrored->is_string()) continue;
        const std::string header_name = "Mcp-Param-" + std::string(mirrored->get_string());
        const auto raw = header(header_name);
        const bj::value* argument = arguments.if_contains(name);
        if (!argument || argument->is_null()) {
            if (raw) return header_name + " is set but arguments." + std::string(name) + " is not";
            continue;
        }
        if (!raw) return header_name + " is missing; it must repeat arguments." + std::string(name);
        auto value = decode_header_value(*raw);
        if (!value) return header_name + " holds invalid Base64 in its =?base64?...?= form";
        if (*value != rendered(*argument))
            return header_name + " does not equal arguments." + std::string(name);
    }
    return std::nullopt;
}

}  // namespace schedcp::host::mcp::http
