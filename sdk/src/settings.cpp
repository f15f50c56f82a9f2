#include "schedcp/sdk/settings.hpp"

#include <set>
#include <stdexcept>

#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/schema.hpp"
#include "schedcp/sdk/system.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::sdk {

namespace bj = boost::json;

namespace {

using Holds = SettingMember::Holds;

bool is_list(SettingType t) {
    return t == SettingType::string_list || t == SettingType::path_list;
}

bool is_path(SettingType t) {
    return t == SettingType::path || t == SettingType::path_list;
}

// What a member must hold for each type.
bool member_fits(const Setting& s) {
    switch (s.type) {
        case SettingType::boolean:
            return s.member.holds() == Holds::flag;
        case SettingType::integer:
            return s.member.holds() == Holds::integer;
        case SettingType::string:
        case SettingType::path:
            return s.member.holds() == Holds::text;
        case SettingType::string_list:
        case SettingType::path_list:
            return s.member.holds() == Holds::text_list;
        case SettingType::choice:
            return s.member.holds() == Holds::enumerator ||
                   (s.member.holds() == Holds::flag && s.choices.size() == 2);
    }
    return false;
}

// The schema of one string (a string setting, or one item of a list).
bj::object text_schema(const Setting& s) {
    bj::object o{{"type", "string"}};
    if (is_path(s.type)) o["pattern"] = s.expand_home ? "^(/|~/)" : "^/";
    if (!s.pattern.empty()) o["pattern"] = s.pattern;
    if (s.min_length > 0) o["minLength"] = s.min_length;
    return o;
}

bj::object value_schema(const Setting& s) {
    switch (s.type) {
        case SettingType::boolean:
            return {{"type", "boolean"}};
        case SettingType::integer:
            return {{"type", "integer"},
                    {"minimum", s.minimum.value_or(s.member.lowest())},
                    {"maximum", s.maximum.value_or(s.member.highest())}};
        case SettingType::string:
        case SettingType::path:
            return text_schema(s);
        case SettingType::string_list:
        case SettingType::path_list: {
            bj::object o{{"type", "array"}, {"items", text_schema(s)}};
            if (s.max_items) o["maxItems"] = *s.max_items;
            return o;
        }
        case SettingType::choice: {
            bj::array names;
            for (const auto& c : s.choices) names.emplace_back(c);
            return {{"type", "string"}, {"enum", std::move(names)}};
        }
    }
    return {};
}

// A value as the member holds it -> JSON (choices by name).
bj::value to_json(const Setting& s, const SettingValue& v) {
    if (s.type == SettingType::choice) {
        auto index = std::holds_alternative<bool>(v) ? (std::get<bool>(v) ? 1 : 0)
                                                     : std::get<std::int64_t>(v);
        if (index < 0 || static_cast<std::size_t>(index) >= s.choices.size())
            throw std::logic_error("setting '" + s.key + "': the default enumerator " +
                                   std::to_string(index) + " has no choice");
        return bj::string(s.choices[static_cast<std::size_t>(index)]);
    }
    if (auto* b = std::get_if<bool>(&v)) return *b;
    if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (auto* t = std::get_if<std::string>(&v)) return bj::string(*t);
    bj::array items;
    for (const auto& item : std::get<std::vector<std::string>>(v)) items.emplace_back(item);
    return items;
}

std::string expanded(const Setting& s, std::string text) {
    return s.expand_home ? system::expand_home(text).string() : text;
}

// JSON (already valid against the setting's schema) -> a value the member stores.
SettingValue from_json(const Setting& s, const bj::value& v) {
    switch (s.type) {
        case SettingType::boolean:
            return v.as_bool();
        case SettingType::integer:
            return v.to_number<std::int64_t>();
        case SettingType::string:
        case SettingType::path:
            return expanded(s, std::string(v.as_string()));
        case SettingType::string_list:
        case SettingType::path_list: {
            std::vector<std::string> items;
            for (const auto& item : v.as_array())
                items.push_back(expanded(s, std::string(item.as_string())));
            return items;
        }
        case SettingType::choice: {
            std::int64_t index = 0;
            while (s.choices[static_cast<std::size_t>(index)] != v.as_string()) ++index;
            if (s.member.holds() == Holds::flag) return index == 1;
            return index;
        }
    }
    return false;
}

std::string type_text(const Setting& s) {
    const std::string home = s.expand_home ? " (or ~/...)" : "";
    switch (s.type) {
        case SettingType::boolean:
            return "boolean";
        case SettingType::integer:
            return "integer " + std::to_string(s.minimum.value_or(s.member.lowest())) + ".." +
                   std::to_string(s.maximum.value_or(s.member.highest()));
        case SettingType::string:
            return s.pattern.empty() ? (s.min_length > 0 ? "non-empty string" : "string")
                                     : "string matching " + s.pattern;
        case SettingType::path:
            return "absolute path" + home;
        case SettingType::string_list:
        case SettingType::path_list: {
            std::string items = s.type == SettingType::path_list ? "absolute paths" + home
                                : s.min_length > 0               ? "non-empty strings"
                                                                 : "strings";
            if (!s.pattern.empty()) items += " matching " + s.pattern;
            return "list of " + items +
                   (s.max_items ? ", at most " + std::to_string(*s.max_items) : "");
        }
        case SettingType::choice: {
            std::string out;
            for (const auto& c : s.choices) out += (out.empty() ? "" : " | ") + c;
            return out;
        }
    }
    return {};
}

// "15000", "/usr/bin/sudo", "[/usr/local/bin, /usr/bin]": YAML as one would write it.
std::string default_text(const bj::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    if (v.is_array()) {
        std::string out;
        for (const auto& item : v.get_array())
            out += (out.empty() ? "" : ", ") + default_text(item);
        return "[" + out + "]";
    }
    return json::compact(v);
}

void check_entry(const Setting& s, std::type_index owner, std::set<std::string>& keys) {
    auto fail = [&](const std::string& what) {
        throw std::logic_error("setting '" + s.key + "': " + what);
    };
    if (!text::is_lower_name(s.key, 64, '_')) fail("the key must match [a-z][a-z0-9_]{0,63}");
    if (!keys.insert(s.key).second) fail("the key is declared twice");
    if (s.help.empty()) fail("it has no help text");
    if (s.member.owner() != owner) fail("its member belongs to another struct");
    if (!member_fits(s)) fail("its member cannot hold this setting's type");
    if (s.type == SettingType::integer) {
        if (s.minimum && *s.minimum < s.member.lowest())
            fail("the minimum is below what the member can hold");
        if (s.maximum && *s.maximum > s.member.highest())
            fail("the maximum is above what the member can hold");
    } else if (s.minimum || s.maximum) {
        fail("minimum and maximum apply to integers only");
    }
    if (s.type == SettingType::choice ? s.choices.empty() : !s.choices.empty())
        fail("choices are required for a choice, and only for a choice");
    if (s.max_items && !is_list(s.type)) fail("max_items applies to lists only");
    if (!s.pattern.empty() && is_path(s.type)) fail("a path's pattern is fixed");
}

}  // namespace

Setting sched_ext_root_setting(SettingMember member) {
    return Setting{.key = "sched_ext_root",
                   .type = SettingType::path,
                   .help = "sysfs directory of sched_ext (tests point it elsewhere)",
                   .member = std::move(member)};
}

SettingsTable::SettingsTable(std::type_index owner, const void* defaults,
                             std::vector<Setting> settings)
    : settings_(std::move(settings)) {
    std::set<std::string> keys;
    bj::object properties;
    for (const auto& s : settings_) {
        check_entry(s, owner, keys);
        bj::object property = value_schema(s);
        property["description"] = s.help;
        try {
            check_schema(property);
        } catch (const std::invalid_argument& e) {
            throw std::logic_error("setting '" + s.key + "': " + e.what());
        }
        SettingHelp help{s.key, type_text(s), s.default_help, s.help};
        if (s.default_help.empty()) {
            bj::value value = to_json(s, s.member.load(defaults));
            if (auto wrong = validate(property, value, "default"); !wrong.empty())
                throw std::logic_error("setting '" + s.key +
                                       "': its default breaks its own rule: " + describe(wrong));
            help.default_value = default_text(value);
            property["default"] = std::move(value);
        }
        properties[s.key] = std::move(property);
        help_.push_back(std::move(help));
    }
    schema_ = {
        {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
}

void SettingsTable::parse_into(const bj::object& section, void* target) const {
    if (auto wrong = validate(schema_, section, "settings"); !wrong.empty())
        throw std::invalid_argument(describe(wrong));
    for (const auto& s : settings_)
        if (auto it = section.find(s.key); it != section.end())
            s.member.store(target, from_json(s, it->value()));
}

}  // namespace schedcp::sdk
