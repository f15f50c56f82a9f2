#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "cli/command_tree.hpp"

namespace bj = boost::json;
using namespace schedcp;
using namespace schedcp::host::cli;

namespace {

sdk::CommandSpec make_spec() {
    sdk::CommandSpec s;
    s.path = {"workload", "create"};
    s.summary = "Create a workload profile";
    s.options = {
        {"name", 'n', sdk::OptionType::string, "S", "the name"},
        {"count", 'c', sdk::OptionType::integer, "N", "how many", false, 1, 10},
        {"ratio", 0, sdk::OptionType::number, "X", "a ratio"},
        {"dry-run", 0, sdk::OptionType::flag, "", "do nothing"},
        {"mode",
         'm',
         sdk::OptionType::string,
         "M",
         "a mode",
         false,
         std::nullopt,
         std::nullopt,
         {"auto", "gaming"}},
        {"tag", 't', sdk::OptionType::string, "T", "a tag", true},
    };
    s.positionals = {{"description", "what it is", true}, {"extra", "optional", false}};
    s.passthrough = true;
    return s;
}

std::string usage_error(const std::vector<std::string>& args) {
    auto spec = make_spec();
    try {
        parse_arguments(spec, args, "schedcp-cli workload create");
    } catch (const UsageError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_parse)

BOOST_AUTO_TEST_CASE(parses_every_option_form) {
    auto spec = make_spec();
    auto p =
        parse_arguments(spec,
                        {"--name", "web", "-c3", "--ratio=0.5", "--dry-run", "-m", "gaming", "-t",
                         "a", "--tag=b", "nginx serving", "--json", "--", "--slice-us", "5"},
                        "cmd");
    const auto& v = p.invocation.values;
    BOOST_TEST(v.at("name").as_string() == "web");
    BOOST_TEST(v.at("count").as_int64() == 3);
    BOOST_TEST(v.at("ratio").as_double() == 0.5);
    BOOST_TEST(v.at("dry_run").as_bool());  // '-' becomes '_' so values look like tool arguments
    BOOST_TEST(v.at("mode").as_string() == "gaming");
    BOOST_TEST(bj::serialize(v.at("tag")) == R"(["a","b"])");
    BOOST_TEST(v.at("description").as_string() == "nginx serving");
    BOOST_TEST(!v.contains("extra"));
    BOOST_TEST(p.json);
    BOOST_TEST((p.invocation.passthrough == std::vector<std::string>{"--slice-us", "5"}));
}

BOOST_AUTO_TEST_CASE(usage_errors_say_what_is_wrong) {
    BOOST_TEST(usage_error({}) == "missing DESCRIPTION");
    BOOST_TEST(usage_error({"d", "--nme", "x"}) ==
               "unknown option '--nme'; did you mean '--name'?");
    BOOST_TEST(usage_error({"d", "-z"}) == "unknown option '-z'");
    BOOST_TEST(usage_error({"d", "--count", "x"}) == "--count needs an integer, got 'x'");
    BOOST_TEST(usage_error({"d", "--count", "11"}) == "--count must be between 1 and 10, got 11");
    BOOST_TEST(usage_error({"d", "--ratio", "1e999"}) == "--ratio needs a number, got '1e999'");
    BOOST_TEST(usage_error({"d", "--mode", "turbo"}) ==
               "--mode must be one of auto, gaming, got 'turbo'");
    BOOST_TEST(usage_error({"d", "--name"}) == "--name needs a value (S)");
    BOOST_TEST(usage_error({"d", "--dry-run=yes"}) == "--dry-run takes no value");
    BOOST_TEST(usage_error({"d", "--name", "a", "--name", "b"}) == "--name given more than once");
    BOOST_TEST(usage_error({"d", "e", "f"}) ==
               "unexpected argument 'f' (pass scheduler arguments after '--')");
}

BOOST_AUTO_TEST_CASE(help_flag_skips_required_checks) {
    auto spec = make_spec();
    auto p = parse_arguments(spec, {"--help"}, "cmd");
    BOOST_TEST(p.help);
    std::string help = leaf_help(spec, "schedcp-cli workload create");
    BOOST_TEST(
        help.find(
            "Usage: schedcp-cli workload create [OPTIONS] DESCRIPTION [EXTRA] [-- ARGS...]") == 0u);
    BOOST_TEST(help.find("-c, --count N") != std::string::npos);
    BOOST_TEST(help.find("[1..10]") != std::string::npos);
    BOOST_TEST(help.find("(auto|gaming)") != std::string::npos);
    BOOST_TEST(help.find("--json") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(global_options_and_resolution) {
    auto g = parse_global({"--config", "/x.yaml", "--json", "workload", "create", "--json"});
    BOOST_TEST(*g.config == "/x.yaml");
    BOOST_TEST(g.json);
    BOOST_TEST((g.rest == std::vector<std::string>{"workload", "create", "--json"}));
    BOOST_CHECK_THROW(parse_global({"--bogus"}), UsageError);
    BOOST_CHECK_THROW(parse_global({"--config"}), UsageError);

    auto spec = make_spec();
    sdk::CommandSpec list;
    list.path = {"list"};
    list.summary = "List";
    CommandTree tree;
    tree.add(spec);
    tree.add(list);
    auto r = resolve(tree, {"workload", "create", "x"});
    BOOST_TEST(r.node->spec == &spec);
    BOOST_TEST((r.rest == std::vector<std::string>{"x"}));
    auto group = resolve(tree, {"workload"});
    BOOST_TEST(group.node->spec == nullptr);
    BOOST_TEST(group_help(*group.node, "schedcp-cli workload").find("create") != std::string::npos);
    try {
        resolve(tree, {"lsit"});
        BOOST_FAIL("expected a usage error");
    } catch (const UsageError& e) {
        BOOST_TEST(std::string(e.what()) == "unknown command 'lsit'; did you mean 'list'?");
    }
    BOOST_TEST(top_help(tree.root()).find("workload") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
