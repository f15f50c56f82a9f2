// scheduler_args.hpp: the one allow-list of a scheduler's arguments, shared by the runner and
// schedcp-guard. Checked here on hand-made rules and on every entry of the shipped catalog.
#include <fstream>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include "catalog/catalog_store.hpp"
#include "catalog_data_file.hpp"
#include "runner/argument_rules.hpp"
#include "scheduler_args.hpp"

namespace sa = schedcp::scheduler_args;
using Args = std::vector<std::string>;

namespace {

const sa::Rules& rusty_like() {
    static const sa::Rules r{
        .scheduler = "scx_x",
        .parameters = {{.flag = "--slice-us", .type = sa::ValueType::integer},
                       {.flag = "--interval", .type = sa::ValueType::floating},
                       {.flag = "--domain", .type = sa::ValueType::string},
                       {.flag = "--partial", .type = sa::ValueType::boolean},
                       {.flag = "-s", .type = sa::ValueType::integer},
                       {.flag = "--example", .type = sa::ValueType::string, .root_safe = false}},
        .modes = {{"-m", "auto"}, {}},
    };
    return r;
}

std::string refusal(const sa::Rules& r, const Args& args) {
    return sa::check(r, args).value_or("");
}

std::vector<schedcp::sdk::services::SchedulerEntry> shipped() {
    return schedcp::plugins::catalog::parse_catalog(schedcp::test::catalog_data());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(scheduler_args)

BOOST_AUTO_TEST_CASE(catalogued_flags_with_valid_values_and_exact_modes_pass) {
    for (const Args& ok : std::vector<Args>{
             {},
             {"-m", "auto"},
             {"--slice-us", "500"},
             {"--slice-us=-1"},
             {"--interval", "0.5", "--interval=2", "--interval", ".25"},
             {"--domain", "0-3,8", "--domain=0xff", "--domain", "performance"},
             {"--partial", "--partial"},
             {"-s", "20000"},
             {"--domain", std::string(256, 'a')},
         })
        BOOST_TEST(refusal(rusty_like(), ok).empty(), refusal(rusty_like(), ok));
}

BOOST_AUTO_TEST_CASE(anything_else_is_refused_with_what_is_allowed) {
    const std::vector<std::pair<Args, std::string>> cases = {
        {{"/bin/sh", "-c", "id"},
         "scx_x takes no positional argument ('/bin/sh'); its options: "
         "--slice-us N, --interval X.Y, --domain TEXT, --partial, -s N; "
         "or exactly a mode's arguments: [-m auto]"},
        {{"--partial", "--", "/bin/sh"}, "'--' is not allowed"},
        {{"--foo"}, "scx_x has no option '--foo'"},
        {{"-m", "auto", "--partial"}, "scx_x has no option '-m'"},
        {{"-m"}, "scx_x has no option '-m'"},
        {{"--example", "/etc/x"}, "scx_x's option '--example' is never allowed"},
        {{"--example=/etc/x"}, "'--example' is never allowed"},
        {{"--slice-us"}, "'--slice-us' needs a value: --slice-us N"},
        {{"--slice-us", "1e3"}, "'--slice-us' takes a whole number (-?[0-9]+), not '1e3'"},
        {{"--slice-us", ""}, "takes a whole number"},
        {{"--interval", "1."}, "takes a decimal number"},
        {{"--interval", "nan"}, "takes a decimal number"},
        {{"--domain", "-v"}, "not starting with '-'"},
        {{"--domain", "a/../b"}, "without '..'"},
        {{"--domain", "$(id)"}, "[A-Za-z0-9_.,:+/=-]"},
        {{"--domain", "a b"}, "[A-Za-z0-9_.,:+/=-]"},
        {{"--domain", std::string(257, 'a')}, "1 to 256 characters"},
        {{"--domain="}, "1 to 256 characters"},
        {{"--partial=1"}, "'--partial' is a switch and takes no value"},
        {{"-s=5"}, "scx_x has no option '-s=5'"},
        {{"-"}, "takes no positional argument ('-')"},
    };
    for (const auto& [args, expect] : cases) {
        const std::string why = refusal(rusty_like(), args);
        BOOST_TEST(why.find(expect) != std::string::npos,
                   "'" << why << "' lacks '" << expect << "'");
    }
    const sa::Rules bare{.scheduler = "scx_bare"};
    BOOST_TEST(refusal(bare, {"-v"}) ==
               "scx_bare takes no arguments (it has no catalogued options or modes)");
    BOOST_TEST(refusal(bare, {}).empty());
}

BOOST_AUTO_TEST_CASE(count_and_length_are_bounded_for_every_caller) {
    // 128 known switches pass; 129 do not, whoever calls (runner service, tool, guard).
    Args many(128, "--partial");
    BOOST_TEST(refusal(rusty_like(), many).empty(), refusal(rusty_like(), many));
    many.push_back("--partial");
    BOOST_TEST(refusal(rusty_like(), many) == "too many scheduler arguments: 129 (at most 128)");
    const Args long_one{"--partial", std::string(4097, 'a')};
    BOOST_TEST(*sa::check_bounds(long_one) ==
               "scheduler argument 2 is 4097 bytes long (at most 4096)");
    BOOST_TEST(!sa::check_bounds(Args{std::string(4096, 'a')}));
}

// A parameter's short flag is the same option: same value rule, same root_safe mark; only the
// long flag takes the --flag=VALUE form.
BOOST_AUTO_TEST_CASE(a_short_flag_is_the_same_parameter) {
    const sa::Rules r{
        .scheduler = "scx_y",
        .parameters = {{.flag = "--slice-us", .short_flag = "-s", .type = sa::ValueType::integer},
                       {.flag = "--no-wake-sync", .short_flag = "-w"},
                       {.flag = "--example",
                        .short_flag = "-e",
                        .type = sa::ValueType::string,
                        .root_safe = false}},
    };
    BOOST_TEST(refusal(r, {"-s", "700", "-w", "--slice-us=5"}).empty());
    BOOST_TEST(refusal(r, {"-s", "x"}) ==
               "scx_y's option '-s' takes a whole number (-?[0-9]+), not 'x'");
    BOOST_TEST(refusal(r, {"-e", "/tmp/x"}).find("'-e' is never allowed") != std::string::npos);
    BOOST_TEST(refusal(r, {"-x"}).find("scx_y has no option '-x'; its options: --slice-us N, "
                                       "--no-wake-sync") == 0u,
               refusal(r, {"-x"}));
}

BOOST_AUTO_TEST_CASE(the_list_of_options_is_truncated) {
    sa::Rules many{.scheduler = "scx_many"};
    static const std::vector<std::string> flags = [] {
        std::vector<std::string> f;
        for (int i = 0; i < 20; ++i) f.push_back("--flag-" + std::to_string(i));
        return f;
    }();
    for (const auto& f : flags) many.parameters.push_back({.flag = f});
    const std::string why = refusal(many, {"--nope"});
    BOOST_TEST(why.find("--flag-11, ... (8 more)") != std::string::npos, why);
    BOOST_TEST(why.find("--flag-12") == std::string::npos, why);
}

// The shipped catalog through the runner's view of it: every mode passes, the known
// dangerous arguments are refused, and every parameter that writes a file or runs a program
// is marked.
BOOST_AUTO_TEST_CASE(the_shipped_catalog) {
    for (const auto& e : shipped()) {
        const auto rules = schedcp::plugins::runner::argument_rules(e);
        for (const auto& [mode, args] : e.modes)
            BOOST_TEST(refusal(rules, args).empty(), e.name << " mode " << mode);
        BOOST_TEST(!refusal(rules, {"/bin/sh", "-c", "id"}).empty(), e.name);
        BOOST_TEST(!refusal(rules, {"--", "/bin/sh"}).empty(), e.name);
        for (const auto& p : rules.parameters)
            for (const auto flag : {p.flag, p.short_flag}) {
                if (flag.empty()) continue;
                Args sample{std::string(flag)};
                if (p.type != sa::ValueType::boolean) sample.push_back("1");
                BOOST_TEST(refusal(rules, sample).empty() == p.root_safe, e.name << " " << flag);
            }
        if (e.name == "scx_layered") {
            BOOST_TEST(refusal(rules, {"--example", "/etc/cron.d/x"}).find("never allowed") !=
                       std::string::npos);
            BOOST_TEST(refusal(rules, {"-e", "/etc/cron.d/x"}).find("never allowed") !=
                       std::string::npos);
            BOOST_TEST(refusal(rules, {"--task-hint-map", "/sys/fs/bpf/x"}).find("never allowed") !=
                       std::string::npos);
        }
        if (e.name == "scx_chaos")
            BOOST_TEST(refusal(rules, {"/bin/sh", "-c", "id"}).find("no positional") !=
                       std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()
