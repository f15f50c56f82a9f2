#include "yaml_json.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>

namespace schedcp::host {

namespace {

// YAML 1.2 core schema number forms, matched by hand (std::regex compiles cost about a
// million instructions each at start-up). `digits` skips [0-9]* and returns the count.
std::size_t digits(std::string_view s, std::size_t& i) {
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
}

bool is_sign(std::string_view s, std::size_t i) {
    return i < s.size() && (s[i] == '-' || s[i] == '+');
}

// [-+]?[0-9]+
bool is_integer(std::string_view s) {
    std::size_t i = is_sign(s, 0) ? 1 : 0;
    return digits(s, i) > 0 && i == s.size();
}

// 0x[0-9a-fA-F]+
bool is_hex(std::string_view s) {
    if (s.size() < 3 || s[0] != '0' || s[1] != 'x') return false;
    for (char c : s.substr(2))
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_floating(std::string_view s) {
    std::size_t i = is_sign(s, 0) ? 1 : 0;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (digits(s, i) == 0) return false;
    } else {
        if (digits(s, i) == 0) return false;
        if (i < s.size() && s[i] == '.') {
            ++i;
            digits(s, i);
        }
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (is_sign(s, i)) ++i;
        if (digits(s, i) == 0) return false;
    }
    return i == s.size();
}

boost::json::value scalar_to_json(const YAML::Node& node) {
    const std::string& s = node.Scalar();
    if (node.Tag() == "!") return boost::json::value(s);  // quoted: always a string
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    if (is_integer(s)) {
        std::int64_t v = 0;
        const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
        auto [p, ec] = std::from_chars(begin, s.data() + s.size(), v);
        if (ec == std::errc() && p == s.data() + s.size()) return v;
    }
    if (is_hex(s)) {
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), v, 16);
        if (ec == std::errc() && p == s.data() + s.size()) return v;
    }
    if (is_floating(s)) return std::stod(s);
    if (s == ".inf" || s == ".Inf" || s == "+.inf") return std::numeric_limits<double>::infinity();
    if (s == "-.inf" || s == "-.Inf") return -std::numeric_limits<double>::infinity();
    return boost::json::value(s);
}

}  // namespace

boost::json::value yaml_to_json(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null:
            return nullptr;
        case YAML::NodeType::Scalar:
            return scalar_to_json(node);
        case YAML::NodeType::Sequence: {
            boost::json::array a;
            for (const auto& item : node) a.push_back(yaml_to_json(item));
            return a;
        }
        case YAML::NodeType::Map: {
            boost::json::object o;
            for (const auto& kv : node) o[kv.first.as<std::string>()] = yaml_to_json(kv.second);
            return o;
        }
    }
    return nullptr;
}

}  // namespace schedcp::host
