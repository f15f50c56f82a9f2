#include "tool_scope.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "tool_invoker.hpp"

namespace schedcp::host {

namespace bj = boost::json;

void check_read_only_commands(const sdk::ToolSpec& spec) {
    if (!spec.read_only_commands) return;
    const sdk::ReadOnlyCommands& rc = *spec.read_only_commands;
    auto fail = [&](const std::string& why) {
        throw std::invalid_argument("tool '" + spec.name + "': read_only_commands: " + why);
    };
    if (spec.annotations.read_only.value_or(false))
        fail(
            "the tool is annotated read-only as a whole; read-only commands are for a tool "
            "that is not");
    const bj::object* property = nullptr;
    if (const auto* props = spec.input_schema.if_contains("properties"))
        if (const auto* p =
                props->is_object() ? props->get_object().if_contains(rc.argument) : nullptr)
            property = p->if_object();
    if (!property) fail("'" + rc.argument + "' is not a property of the input schema");
    bool required = false;
    if (const auto* req = spec.input_schema.if_contains("required"))
        if (const auto* a = req->if_array())
            required = std::find(a->begin(), a->end(), bj::value(rc.argument)) != a->end();
    if (!required) fail("'" + rc.argument + "' is not a required argument");
    std::set<std::string> allowed;
    if (const auto* e = property->if_contains("enum"); e && e->is_array())
        for (const auto& v : e->get_array()) {
            if (!v.is_string()) fail("the enum of '" + rc.argument + "' holds a non-string value");
            allowed.emplace(v.get_string());
        }
    if (allowed.empty()) fail("'" + rc.argument + "' has no enum of its values");
    if (rc.values.empty()) fail("no values");
    std::set<std::string> seen;
    for (const auto& v : rc.values) {
        if (!allowed.count(v)) fail("'" + v + "' is not a value of '" + rc.argument + "'");
        if (!seen.insert(v).second) fail("'" + v + "' is listed twice");
    }
}

std::optional<std::string> scope_refusal(const Principal& principal, const RegisteredTool& tool,
                                         const bj::object& given) {
    const sdk::ToolSpec& spec = tool.spec;
    if (principal.may_call(spec)) return std::nullopt;
    if (!principal.scopes.read || !spec.read_only_commands)
        return "insufficient scope: " + spec.name +
               " is not a read-only tool; calling it needs the admin scope";
    const sdk::ReadOnlyCommands& rc = *spec.read_only_commands;
    bj::object args;
    if (prepare_arguments(tool, given, args)) return std::nullopt;  // answered by invoke_tool
    // Validated: the selector is present and a string of its enum (check_read_only_commands).
    const std::string value(args.at(rc.argument).as_string());
    if (std::find(rc.values.begin(), rc.values.end(), value) != rc.values.end())
        return std::nullopt;
    std::string allowed;
    for (const auto& v : rc.values) allowed += (allowed.empty() ? "" : ", ") + v;
    return "insufficient scope: " + spec.name + " " + rc.argument + " '" + value +
           "' is not read-only; it needs the admin scope (the read scope may use " + spec.name +
           " " + rc.argument + " " + allowed + ")";
}

}  // namespace schedcp::host
