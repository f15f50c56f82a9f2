#include "schedcp/sdk/uri_template.hpp"

#include <stdexcept>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::sdk {

namespace {

constexpr std::size_t kMaxTemplateBytes = 1024;

bool unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

bool name_char(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes a run of unreserved characters and %XX escapes; nullopt for a bad escape.
std::optional<std::string> percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size()) return std::nullopt;
        int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

// How many leading characters of `s` may belong to a variable's value.
std::size_t value_run(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && (unreserved(static_cast<unsigned char>(s[n])) || s[n] == '%')) ++n;
    return n;
}

}  // namespace

void check_uri_id(std::string_view id, std::string_view what, std::string_view hint) {
    constexpr std::size_t kMaxIdLength = 64;
    bool ok = !id.empty() && id.size() <= kMaxIdLength;
    for (unsigned char c : id) ok = ok && (name_char(c) || c == '-');
    if (!ok)
        throw InvalidArgument("'" + text::sanitize(id, 80) + "' is not " + std::string(what) +
                              ": ids are 1 to 64 of [A-Za-z0-9_-], " + std::string(hint));
}

std::string percent_encode(std::string_view value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : value) {
        if (unreserved(c)) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    return out;
}

UriTemplate::UriTemplate(std::string text) : text_(std::move(text)) {
    auto fail = [&](std::size_t at, const std::string& what) {
        throw std::invalid_argument("URI template '" + text_.substr(0, 200) + "' at offset " +
                                    std::to_string(at) + ": " + what);
    };
    if (text_.empty()) throw std::invalid_argument("URI template is empty");
    if (text_.size() > kMaxTemplateBytes)
        throw std::invalid_argument("URI template is " + std::to_string(text_.size()) +
                                    " bytes; the limit is " + std::to_string(kMaxTemplateBytes));
    std::string literal;
    for (std::size_t i = 0; i < text_.size(); ++i) {
        const char c = text_[i];
        if (c == '}') fail(i, "'}' without a '{'");
        if (c != '{') {
            if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
                fail(i, "whitespace and control characters are not allowed");
            literal += c;
            continue;
        }
        const std::size_t close = text_.find('}', i);
        if (close == std::string::npos) fail(i, "'{' without a '}'");
        const std::string name = text_.substr(i + 1, close - i - 1);
        if (name.empty()) fail(i, "an expression needs a variable name");
        if (std::string_view("+#./;?&=,!@|").find(name[0]) != std::string_view::npos)
            fail(i, "operator '" + std::string(1, name[0]) +
                        "' is beyond level 1 (only {name} is supported)");
        for (std::size_t k = 0; k < name.size(); ++k)
            if (!name_char(static_cast<unsigned char>(name[k])))
                fail(i + 1 + k, "variable names are [A-Za-z0-9_]+ (no lists, modifiers or '" +
                                    std::string(1, name[k]) + "')");
        for (const auto& v : variables_)
            if (v == name) fail(i, "variable '" + name + "' appears twice");
        if (literal.empty() && !parts_.empty() && parts_.back().variable)
            fail(i, "two expressions need literal text between them");
        if (!literal.empty()) parts_.push_back({false, std::move(literal)});
        literal.clear();
        parts_.push_back({true, name});
        variables_.push_back(name);
        i = close;
    }
    if (!literal.empty()) parts_.push_back({false, std::move(literal)});
}

bool UriTemplate::match_from(std::size_t part, std::string_view rest, UriVariables& out) const {
    if (part == parts_.size()) return rest.empty();
    const Part& p = parts_[part];
    if (!p.variable) {
        if (rest.substr(0, p.text.size()) != p.text) return false;
        return match_from(part + 1, rest.substr(p.text.size()), out);
    }
    // The value is a non-empty prefix of the run of value characters; with a literal after
    // it that starts with a value character ("{id}.json"), more than one split is possible:
    // try the longest first.
    const std::size_t run = value_run(rest);
    for (std::size_t len = run; len >= 1; --len) {
        if (part + 1 == parts_.size() && len != rest.size()) return false;
        auto decoded = percent_decode(rest.substr(0, len));
        if (!decoded) continue;
        if (match_from(part + 1, rest.substr(len), out)) {
            out[p.text] = std::move(*decoded);
            return true;
        }
    }
    return false;
}

std::optional<UriVariables> UriTemplate::match(std::string_view uri) const {
    UriVariables out;
    if (!match_from(0, uri, out)) return std::nullopt;
    return out;
}

std::string UriTemplate::expand(const UriVariables& values) const {
    std::string out;
    for (const auto& p : parts_) {
        if (!p.variable) {
            out += p.text;
            continue;
        }
        auto it = values.find(p.text);
        if (it == values.end())
            throw std::invalid_argument("URI template '" + text_ + "': no value for '" + p.text +
                                        "'");
        out += percent_encode(it->second);
    }
    return out;
}

}  // namespace schedcp::sdk
