// Scopes on multi-command tools (tool_scope.hpp): a `read` principal may make exactly the
// calls whose validated selector is one of the tool's read-only commands; what a tool
// declares is checked when it is registered.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "tool_scope.hpp"

namespace bj = boost::json;
using namespace schedcp;
using namespace schedcp::host;

namespace {

// A tool like `workload`: command list|get|create|delete, list and get read-only.
sdk::ToolSpec commands_tool() {
    sdk::ToolSpec spec;
    spec.name = "things";
    spec.description = "Lists and changes things.";
    spec.input_schema = bj::object{
        {"type", "object"},
        {"properties",
         bj::object{{"command", bj::object{{"enum", bj::array{"list", "get", "create", "delete"}}}},
                    {"id", bj::object{{"type", "string"}}}}},
        {"required", bj::array{"command"}},
        {"additionalProperties", false}};
    spec.annotations.read_only = false;
    spec.read_only_commands =
        sdk::ReadOnlyCommands{.argument = "command", .values = {"list", "get"}};
    return spec;
}

std::string registration_error(const sdk::ToolSpec& spec) {
    try {
        check_read_only_commands(spec);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

const Principal reader{.id = "viewer", .scopes = {.read = true}};
const Principal admin{.id = "ops", .scopes = {.admin = true}};
const Principal nobody{.id = "n", .scopes = {}};

}  // namespace

BOOST_AUTO_TEST_SUITE(tool_scope)

BOOST_AUTO_TEST_CASE(a_read_principal_makes_the_read_only_commands_only) {
    const RegisteredTool tool{.spec = commands_tool(), .plugin = "p"};
    BOOST_TEST(!scope_refusal(reader, tool, {{"command", "list"}}));
    BOOST_TEST(!scope_refusal(reader, tool, {{"command", "get"}, {"id", "a"}}));
    auto refused = scope_refusal(reader, tool, {{"command", "create"}});
    BOOST_REQUIRE(refused);
    BOOST_TEST(*refused ==
               "insufficient scope: things command 'create' is not read-only; it needs the admin "
               "scope (the read scope may use things command list, get)");
    BOOST_TEST(scope_refusal(reader, tool, {{"command", "delete"}, {"id", "a"}}).has_value());
    // admin makes every call; no scope, none.
    BOOST_TEST(!scope_refusal(admin, tool, {{"command", "delete"}, {"id", "a"}}));
    BOOST_TEST(scope_refusal(nobody, tool, {{"command", "list"}}).has_value());
    BOOST_TEST(!scope_refusal(Principal::local(), tool, {{"command", "create"}}));
}

BOOST_AUTO_TEST_CASE(the_decision_rests_on_validated_arguments) {
    const RegisteredTool tool{.spec = commands_tool(), .plugin = "p"};
    // Not a command at all, or a read command with an argument the schema refuses: nothing
    // is decided here, invoke_tool answers with the validation error and runs nothing.
    BOOST_TEST(!scope_refusal(reader, tool, {{"command", "List"}}));
    BOOST_TEST(!scope_refusal(reader, tool, {{"command", "list"}, {"extra", 1}}));
    BOOST_TEST(!scope_refusal(reader, tool, {}));
    // A null optional is dropped as invoke_tool drops it: still the read command.
    BOOST_TEST(!scope_refusal(reader, tool, {{"command", "get"}, {"id", nullptr}}));
}

BOOST_AUTO_TEST_CASE(a_tool_without_read_only_commands_is_judged_as_a_whole) {
    sdk::ToolSpec spec = commands_tool();
    spec.read_only_commands.reset();
    const RegisteredTool tool{.spec = std::move(spec), .plugin = "p"};
    auto refused = scope_refusal(reader, tool, {{"command", "list"}});
    BOOST_REQUIRE(refused);
    BOOST_TEST(*refused ==
               "insufficient scope: things is not a read-only tool; calling it needs the admin "
               "scope");
}

BOOST_AUTO_TEST_CASE(read_only_commands_are_checked_at_registration) {
    BOOST_TEST(registration_error(commands_tool()).empty());
    auto with = [](auto change) {
        sdk::ToolSpec spec = commands_tool();
        change(spec);
        return registration_error(spec);
    };
    BOOST_TEST(with([](sdk::ToolSpec& s) {
                   s.read_only_commands->values = {"list", "lst"};
               }) == "tool 'things': read_only_commands: 'lst' is not a value of 'command'");
    BOOST_TEST(with([](sdk::ToolSpec& s) {
                   s.read_only_commands->values = {"get", "get"};
               }) == "tool 'things': read_only_commands: 'get' is listed twice");
    BOOST_TEST(with([](sdk::ToolSpec& s) { s.read_only_commands->values.clear(); }) ==
               "tool 'things': read_only_commands: no values");
    BOOST_TEST(with([](sdk::ToolSpec& s) { s.read_only_commands->argument = "id"; }) ==
               "tool 'things': read_only_commands: 'id' is not a required argument");
    BOOST_TEST(with([](sdk::ToolSpec& s) { s.read_only_commands->argument = "verb"; }) ==
               "tool 'things': read_only_commands: 'verb' is not a property of the input schema");
    BOOST_TEST(with([](sdk::ToolSpec& s) {
                   s.input_schema["required"] = bj::array{"command", "id"};
                   s.read_only_commands->argument = "id";
               }) == "tool 'things': read_only_commands: 'id' has no enum of its values");
    BOOST_TEST(with([](sdk::ToolSpec& s) { s.annotations.read_only = true; }) ==
               "tool 'things': read_only_commands: the tool is annotated read-only as a whole; "
               "read-only commands are for a tool that is not");
}

BOOST_AUTO_TEST_SUITE_END()
