#include "yaml_json.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <regex>
#include <string>

namespace schedcp::host {

namespace {

boost::json::value scalar_to_json(const YAML::Node& node) {
    const std::string& s = node.Scalar();
    if (node.Tag() == "!") return boost::json::value(s);  // quoted: always a string
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    static const std::regex integer(R"([-+]?[0-9]+)");
    static const std::regex hex(R"(0x[0-9a-fA-F]+)");
    static const std::regex floating(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    if (std::regex_match(s, integer)) {
        std::int64_t v = 0;
        const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
        auto [p, ec] = std::from_chars(begin, s.data() + s.size(), v);
        if (ec == std::errc() && p == s.data() + s.size()) return v;
    }
    if (std::regex_match(s, hex)) {
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), v, 16);
        if (ec == std::errc() && p == s.data() + s.size()) return v;
    }
    if (std::regex_match(s, floating)) return std::stod(s);
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
