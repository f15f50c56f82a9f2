// sdk::Settings: one table -> the settings schema, the parsing with defaults, the help.
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "schedcp/sdk/schema.hpp"
#include "schedcp/sdk/settings.hpp"

namespace bj = boost::json;
namespace fs = std::filesystem;
namespace sdk = schedcp::sdk;
using sdk::SettingType;

namespace {

enum class Mode { automatic, never, always };

struct Inner {
    fs::path root = "/sys/kernel/sched_ext";
};

struct Example {
    bool enabled = true;
    int timeout_ms = 1500;
    std::size_t lines = 200;
    std::string name = "nobody";
    fs::path program = "/usr/bin/sudo";
    fs::path computed;  // default computed at run time
    std::vector<fs::path> dirs = {"/usr/local/bin", "/usr/bin"};
    std::vector<fs::path> includes;
    Mode mode = Mode::automatic;
    bool allow = false;
    Inner inner;
};

const sdk::Settings<Example>& table() {
    static const sdk::Settings<Example> t({
        {.key = "enabled",
         .type = SettingType::boolean,
         .help = "turns it on",
         .member = &Example::enabled},
        {.key = "timeout_ms",
         .type = SettingType::integer,
         .help = "how long",
         .member = &Example::timeout_ms,
         .minimum = 100,
         .maximum = 120000},
        {.key = "lines", .type = SettingType::integer, .help = "lines", .member = &Example::lines},
        {.key = "name",
         .type = SettingType::string,
         .help = "a user",
         .member = &Example::name,
         .pattern = "^[a-z]+$"},
        {.key = "program",
         .type = SettingType::path,
         .help = "a program",
         .member = &Example::program},
        {.key = "computed",
         .type = SettingType::path,
         .help = "a file",
         .member = &Example::computed,
         .default_help = "<prefix>/etc/file"},
        {.key = "dirs",
         .type = SettingType::string_list,
         .help = "directories",
         .member = &Example::dirs,
         .min_length = 1,
         .expand_home = true},
        {.key = "includes",
         .type = SettingType::path_list,
         .help = "include dirs",
         .member = &Example::includes,
         .max_items = 2,
         .expand_home = true},
        {.key = "mode",
         .type = SettingType::choice,
         .help = "when",
         .member = &Example::mode,
         .choices = {"auto", "never", "always"}},
        {.key = "allow",
         .type = SettingType::choice,
         .help = "whether",
         .member = &Example::allow,
         .choices = {"never", "auto"}},
        sdk::sched_ext_root_setting({&Example::inner, &Inner::root}),
    });
    return t;
}

std::string parse_error(const char* section) {
    try {
        table().parse(bj::parse(section).as_object());
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(accepted)";
}

std::string table_error(std::vector<sdk::Setting> settings) {
    try {
        sdk::Settings<Example> t(std::move(settings));
    } catch (const std::logic_error& e) {
        return e.what();
    }
    return "(accepted)";
}

const sdk::SettingHelp& help_of(const std::string& key) {
    for (const auto& h : table().help())
        if (h.key == key) return h;
    throw std::runtime_error("no help for " + key);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(settings_binding)

BOOST_AUTO_TEST_CASE(generates_the_schema_from_the_table) {
    const bj::object& schema = table().schema();
    BOOST_CHECK_NO_THROW(sdk::check_schema(schema));
    BOOST_TEST(schema.at("additionalProperties") == false);
    const auto& p = schema.at("properties").as_object();
    BOOST_TEST(p.size() == 11u);
    BOOST_TEST(bj::serialize(p.at("timeout_ms")) ==
               R"({"type":"integer","minimum":100,"maximum":120000,"description":"how long",)"
               R"("default":1500})");
    BOOST_TEST(bj::serialize(p.at("program")) ==
               R"({"type":"string","pattern":"^/","description":"a program",)"
               R"("default":"/usr/bin/sudo"})");
    BOOST_TEST(bj::serialize(p.at("mode")) ==
               R"({"type":"string","enum":["auto","never","always"],"description":"when",)"
               R"("default":"auto"})");
    BOOST_TEST(bj::serialize(p.at("allow").at("default")) == R"("never")");
    BOOST_TEST(bj::serialize(p.at("dirs")) ==
               R"({"type":"array","items":{"type":"string","minLength":1},)"
               R"("description":"directories","default":["/usr/local/bin","/usr/bin"]})");
    BOOST_TEST(bj::serialize(p.at("includes").at("items")) ==
               R"x({"type":"string","pattern":"^(/|~/)"})x");
    BOOST_TEST(p.at("includes").at("maxItems") == 2);
    // Without bounds, an integer is bounded by what its member can hold.
    BOOST_TEST(p.at("lines").at("minimum") == 0);
    // A default computed at run time is not claimed in the schema.
    BOOST_TEST(!p.at("computed").as_object().contains("default"));
    BOOST_TEST(bj::serialize(p.at("sched_ext_root")) ==
               R"({"type":"string","pattern":"^/","description":)"
               R"x("sysfs directory of sched_ext (tests point it elsewhere)",)x"
               R"("default":"/sys/kernel/sched_ext"})");
}

BOOST_AUTO_TEST_CASE(applies_defaults_and_the_values_given) {
    Example d = table().parse({});
    BOOST_TEST(d.enabled);
    BOOST_TEST(d.timeout_ms == 1500);
    BOOST_TEST(d.dirs.size() == 2u);
    BOOST_TEST(d.computed.empty());
    BOOST_TEST((d.mode == Mode::automatic));
    BOOST_TEST(d.inner.root == "/sys/kernel/sched_ext");

    ::setenv("HOME", "/home/someone", 1);
    Example e = table().parse(bj::parse(R"({"enabled": false, "timeout_ms": 100,
        "name": "abc", "program": "/bin/x", "dirs": ["~/bin", "rel"], "includes": ["~/inc"],
        "mode": "always", "allow": "auto", "sched_ext_root": "/tmp/sx"})")
                                  .as_object());
    BOOST_TEST(!e.enabled);
    BOOST_TEST(e.timeout_ms == 100);
    BOOST_TEST(e.lines == 200u);
    BOOST_TEST(e.name == "abc");
    BOOST_TEST(e.program == "/bin/x");
    BOOST_TEST(e.dirs.size() == 2u);
    BOOST_TEST(e.dirs[0] == "/home/someone/bin");
    BOOST_TEST(e.dirs[1] == "rel");
    BOOST_TEST(e.includes.at(0) == "/home/someone/inc");
    BOOST_TEST((e.mode == Mode::always));
    BOOST_TEST(e.allow);
    BOOST_TEST(e.inner.root == "/tmp/sx");
}

BOOST_AUTO_TEST_CASE(refuses_bad_values_naming_the_key) {
    BOOST_TEST(parse_error(R"({"timeout_ms": "fast"})") ==
               "settings.timeout_ms must be an integer, got string");
    BOOST_TEST(parse_error(R"({"timeout_ms": 99})") ==
               "settings.timeout_ms must be >= 100, got 99");
    BOOST_TEST(parse_error(R"({"enabled": "yes"})") ==
               "settings.enabled must be a boolean, got string");
    BOOST_TEST(parse_error(R"({"program": "sudo"})") ==
               R"(settings.program must match the pattern ^/, got "sudo")");
    BOOST_TEST(parse_error(R"({"mode": "sometimes"})") ==
               R"(settings.mode must be one of "auto", "never", "always", got "sometimes")");
    BOOST_TEST(parse_error(R"({"dirs": ["/a", ""]})") == "settings.dirs[1] must not be empty");
    BOOST_TEST(parse_error(R"({"includes": ["/a", "/b", "/c"]})") ==
               "settings.includes must have at most 2 items, got 3");
    BOOST_TEST(parse_error(R"({"timeot_ms": 100})")
                   .find("settings.timeot_ms is not a known "
                         "property; allowed: ") == 0u);
}

BOOST_AUTO_TEST_CASE(generates_the_help) {
    BOOST_TEST(table().help().size() == 11u);
    BOOST_TEST(table().help().front().key == "enabled");  // in the table's order
    const auto& t = help_of("timeout_ms");
    BOOST_TEST(t.type == "integer 100..120000");
    BOOST_TEST(t.default_value == "1500");
    BOOST_TEST(t.help == "how long");
    BOOST_TEST(help_of("enabled").default_value == "true");
    BOOST_TEST(help_of("name").type == "string matching ^[a-z]+$");
    BOOST_TEST(help_of("program").type == "absolute path");
    BOOST_TEST(help_of("program").default_value == "/usr/bin/sudo");
    BOOST_TEST(help_of("computed").default_value == "<prefix>/etc/file");
    BOOST_TEST(help_of("dirs").type == "list of non-empty strings");
    BOOST_TEST(help_of("dirs").default_value == "[/usr/local/bin, /usr/bin]");
    BOOST_TEST(help_of("includes").type == "list of absolute paths (or ~/...), at most 2");
    BOOST_TEST(help_of("includes").default_value == "[]");
    BOOST_TEST(help_of("mode").type == "auto | never | always");
    BOOST_TEST(help_of("mode").default_value == "auto");
    BOOST_TEST(help_of("allow").default_value == "never");
}

BOOST_AUTO_TEST_CASE(refuses_a_malformed_table) {
    auto flag = [](std::string key) {
        return sdk::Setting{.key = std::move(key),
                            .type = SettingType::boolean,
                            .help = "h",
                            .member = &Example::enabled};
    };
    BOOST_TEST(table_error({flag("a"), flag("a")}) == "setting 'a': the key is declared twice");
    BOOST_TEST(table_error({flag("Bad-Key")}) ==
               "setting 'Bad-Key': the key must match [a-z][a-z0-9_]{0,63}");
    BOOST_TEST(table_error({{.key = "n",
                             .type = SettingType::integer,
                             .help = "h",
                             .member = &Example::enabled}}) ==
               "setting 'n': its member cannot hold this setting's type");
    BOOST_TEST(table_error({{.key = "n",
                             .type = SettingType::integer,
                             .help = "h",
                             .member = &Example::lines,
                             .minimum = -1}}) ==
               "setting 'n': the minimum is below what the member can hold");
    BOOST_TEST(table_error({{.key = "n",
                             .type = SettingType::integer,
                             .help = "h",
                             .member = &Example::timeout_ms,
                             .minimum = 2000}})
                   .find("setting 'n': its default breaks its own rule: default must be >= "
                         "2000, got 1500") == 0u);
    BOOST_TEST(
        table_error(
            {{.key = "p", .type = SettingType::path, .help = "h", .member = &Example::computed}})
            .find("setting 'p': its default breaks its own rule") == 0u);
    BOOST_TEST(
        table_error(
            {{.key = "r", .type = SettingType::path, .help = "h", .member = &Inner::root}}) ==
        "setting 'r': its member belongs to another struct");
    BOOST_TEST(table_error({{.key = "s",
                             .type = SettingType::string,
                             .help = "h",
                             .member = &Example::name,
                             .pattern = "("}})
                   .find("setting 's': schema: 'pattern' is not a valid regular expression") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
