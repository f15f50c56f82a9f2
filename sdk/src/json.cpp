#include "schedcp/sdk/json.hpp"

#include <boost/json/serialize.hpp>

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
                out += bj::serialize(bj::value(kv.key()));
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
            out += bj::serialize(v);
    }
}
}  // namespace

std::string pretty(const bj::value& v) {
    std::string out;
    pretty_into(out, v, 0);
    return out;
}

}  // namespace schedcp::sdk::json
