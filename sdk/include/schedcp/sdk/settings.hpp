// Declarative settings: one table per plugin binds each key of its `settings:` section to a
// member of a settings struct (as Fluent Bit's config maps do). From the table the SDK
// generates the JSON Schema the host validates the section against, the parsing into the
// struct, and the help `schedcp-cli plugins --settings` prints. Nothing is written twice.
//
//     struct HelloSettings {
//         int greetings = 3;                     // the default: the member's initializer
//         std::filesystem::path log_dir;         // no default: see default_help
//     };
//     const sdk::Settings<HelloSettings>& settings() {
//         static const sdk::Settings<HelloSettings> table({
//             {.key = "greetings", .type = sdk::SettingType::integer,
//              .help = "how many greetings", .member = &HelloSettings::greetings,
//              .minimum = 1, .maximum = 10},
//             {.key = "log_dir", .type = sdk::SettingType::path, .help = "where to log",
//              .member = &HelloSettings::log_dir, .default_help = "the plugin's data dir"},
//         });
//         return table;
//     }
//     PluginInfo info() const override {
//         return {.name = "hello", ..., .settings_schema = settings().schema(),
//                 .settings_help = settings().help()};
//     }
//     void setup(PluginContext& ctx) override { HelloSettings s = settings().parse(ctx.settings());
//     }
//
// Defaults are the struct's member initializers: a default-constructed struct holds them,
// the schema's "default" and the help show them, and a key the section leaves out keeps
// them. A default only known at run time (derived from a directory) has no initializer
// value worth showing: say what it is in default_help and fill the member after parse().
//
// A malformed table (duplicate key, a type the member cannot hold, bounds beyond the
// member's range, a default that breaks its own rule, a member of another struct) is a
// programming error: the Settings constructor throws std::logic_error naming the key.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk {

enum class SettingType {
    boolean,      // true/false                    -> bool
    integer,      // within [minimum, maximum]     -> int, long, std::size_t, ...
    string,       // optional pattern, min_length  -> std::string (or a path)
    path,         // absolute ("/..."; "~/..." too with expand_home) -> std::filesystem::path
    string_list,  // strings (items: pattern, min_length; max_items) -> std::vector<string or path>
    path_list,    // absolute paths (as `path`; max_items)           -> std::vector<path>
    choice,       // one of `choices` -> an enum whose enumerators are 0..n-1 in the order
                  // of `choices`, or a bool with two choices (the first false, the second true)
};

// A setting's value between JSON and the member: what each SettingType converts to.
using SettingValue = std::variant<bool, std::int64_t, std::string, std::vector<std::string>>;

// Where a setting is stored: a pointer to a member of the settings struct S (or to a member
// of one of its members: {&S::sources, &Sources::proc_root}). Converts implicitly, so a
// table entry says `.member = &S::field`.
class SettingMember {
  public:
    enum class Holds { flag, integer, text, text_list, enumerator };

    template <class S, class T>
    SettingMember(T S::*member) : owner_(typeid(S)) {
        bind<T>([member](void* s) -> T& { return static_cast<S*>(s)->*member; });
    }
    template <class S, class Outer, class T>
    SettingMember(Outer S::*outer, T Outer::*inner) : owner_(typeid(S)) {
        bind<T>([outer, inner](void* s) -> T& { return (static_cast<S*>(s)->*outer).*inner; });
    }

    std::type_index owner() const { return owner_; }
    Holds holds() const { return holds_; }
    // For integers: the member type's range.
    std::int64_t lowest() const { return lowest_; }
    std::int64_t highest() const { return highest_; }
    // Stores a value of the kind holds() names (choices as their index) into `settings`.
    void store(void* settings, const SettingValue& value) const { store_(settings, value); }
    SettingValue load(const void* settings) const { return load_(const_cast<void*>(settings)); }

  private:
    template <class T, class Access>
    void bind(Access access) {
        if constexpr (std::is_same_v<T, bool>) {
            holds_ = Holds::flag;
            store_ = [access](void* s, const SettingValue& v) {
                access(s) = std::holds_alternative<bool>(v) ? std::get<bool>(v)
                                                            : std::get<std::int64_t>(v) != 0;
            };
            load_ = [access](void* s) -> SettingValue { return access(s); };
        } else if constexpr (std::is_integral_v<T>) {
            holds_ = Holds::integer;
            lowest_ = static_cast<std::int64_t>(std::numeric_limits<T>::lowest());
            highest_ = std::numeric_limits<T>::max() > std::numeric_limits<std::int64_t>::max()
                           ? std::numeric_limits<std::int64_t>::max()
                           : static_cast<std::int64_t>(std::numeric_limits<T>::max());
            store_ = [access](void* s, const SettingValue& v) {
                access(s) = static_cast<T>(std::get<std::int64_t>(v));
            };
            load_ = [access](void* s) -> SettingValue {
                return static_cast<std::int64_t>(access(s));
            };
        } else if constexpr (std::is_enum_v<T>) {
            holds_ = Holds::enumerator;
            store_ = [access](void* s, const SettingValue& v) {
                access(s) = static_cast<T>(std::get<std::int64_t>(v));
            };
            load_ = [access](void* s) -> SettingValue {
                return static_cast<std::int64_t>(access(s));
            };
        } else if constexpr (std::is_same_v<T, std::string> ||
                             std::is_same_v<T, std::filesystem::path>) {
            holds_ = Holds::text;
            store_ = [access](void* s, const SettingValue& v) {
                access(s) = T(std::get<std::string>(v));
            };
            load_ = [access](void* s) -> SettingValue { return std::string(access(s)); };
        } else if constexpr (std::is_same_v<T, std::vector<std::string>> ||
                             std::is_same_v<T, std::vector<std::filesystem::path>>) {
            holds_ = Holds::text_list;
            store_ = [access](void* s, const SettingValue& v) {
                const auto& items = std::get<std::vector<std::string>>(v);
                access(s) = T(items.begin(), items.end());
            };
            load_ = [access](void* s) -> SettingValue {
                std::vector<std::string> items;
                for (const auto& item : access(s)) items.emplace_back(item);
                return items;
            };
        } else {
            static_assert(sizeof(T) == 0,
                          "a setting member must be bool, an integer, an enum, std::string, "
                          "std::filesystem::path, or a std::vector of strings or paths");
        }
    }

    std::type_index owner_;
    Holds holds_ = Holds::flag;
    std::int64_t lowest_ = 0;
    std::int64_t highest_ = 0;
    std::function<void(void*, const SettingValue&)> store_;
    std::function<SettingValue(void*)> load_;
};

// One table entry. Fields in declaration order, for designated initializers.
struct Setting {
    std::string key;  // the YAML key: [a-z][a-z0-9_]{0,63}
    SettingType type = SettingType::string;
    std::string help;  // one line: what it does (schema "description", CLI help)
    SettingMember member;
    // integer: inclusive bounds; each defaults to the member type's limit.
    std::optional<std::int64_t> minimum = std::nullopt;
    std::optional<std::int64_t> maximum = std::nullopt;
    // string, string_list items: an ECMAScript pattern ("" = any) and a minimum length.
    std::string pattern = {};
    std::size_t min_length = 0;
    std::optional<std::size_t> max_items = std::nullopt;  // string_list, path_list
    std::vector<std::string> choices = {};                // choice
    // path, path_list, string, string_list: a leading "~/" is replaced with $HOME (for
    // path and path_list it is then accepted besides "/").
    bool expand_home = false;
    // The default in words, when it is computed at run time rather than the member's
    // initializer (the schema then has no "default"; parse() leaves the member as is).
    std::string default_help = {};
};

// A setting as `schedcp-cli plugins --settings` shows it.
struct SettingHelp {
    std::string key;
    std::string type;           // e.g. "integer 100..120000", "absolute path", "auto | never"
    std::string default_value;  // e.g. "15000", "/usr/bin/sudo", "[/usr/local/bin, /usr/bin]"
    std::string help;
};

// sched_ext's sysfs directory (/sys/kernel/sched_ext unless the member's initializer says
// otherwise; tests point it elsewhere): the entry every plugin that reads sched_ext shares.
SCHEDCP_SDK_API Setting sched_ext_root_setting(SettingMember member);

// The type-independent part of Settings<S>; use Settings<S>.
class SCHEDCP_SDK_API SettingsTable {
  public:
    // `defaults`: a default-constructed struct of type `owner`. Throws std::logic_error for
    // a malformed table.
    SettingsTable(std::type_index owner, const void* defaults, std::vector<Setting> settings);

    const boost::json::object& schema() const { return schema_; }
    const std::vector<SettingHelp>& help() const { return help_; }
    // Validates `section` against schema() (std::invalid_argument, naming each key and what
    // is wrong, e.g. "settings.start_timeout_ms must be an integer, got string") and stores
    // every key it has into `target` (a struct of type `owner`).
    void parse_into(const boost::json::object& section, void* target) const;

  private:
    std::vector<Setting> settings_;
    boost::json::object schema_;
    std::vector<SettingHelp> help_;
};

template <class S>
class Settings {
  public:
    explicit Settings(std::vector<Setting> settings)
        : table_(typeid(S), &defaults_instance(), std::move(settings)) {}

    const boost::json::object& schema() const { return table_.schema(); }
    const std::vector<SettingHelp>& help() const { return table_.help(); }
    // The struct with its defaults, overridden by what `section` sets.
    S parse(const boost::json::object& section) const {
        S settings{};
        table_.parse_into(section, &settings);
        return settings;
    }

  private:
    static const S& defaults_instance() {
        static const S defaults{};
        return defaults;
    }
    SettingsTable table_;
};

}  // namespace schedcp::sdk
