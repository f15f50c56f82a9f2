#include "output_schema_check.hpp"

#include <boost/test/unit_test.hpp>

#include "schedcp/sdk/schema.hpp"

namespace schedcp::test {

OutputSchemaCheck::OutputSchemaCheck(McpClient& client) : client_(client) {
    auto list = client_.request("tools/list");
    BOOST_REQUIRE_MESSAGE(list.contains("result"), bj::serialize(list));
    for (const auto& t : list.at("result").at("tools").as_array()) {
        const std::string name(t.at("name").as_string());
        tools_.insert(name);
        if (const auto* s = t.as_object().if_contains("outputSchema"))
            schemas_.emplace(name, s->as_object());
    }
}

std::set<std::string> OutputSchemaCheck::without_schema() const {
    std::set<std::string> out;
    for (const auto& t : tools_)
        if (!schemas_.count(t)) out.insert(t);
    return out;
}

bj::object OutputSchemaCheck::call(const std::string& tool, const bj::object& args,
                                   std::chrono::milliseconds timeout) {
    auto response = client_.request("tools/call", {{"name", tool}, {"arguments", args}}, timeout);
    check(tool, args, response);
    return response;
}

void OutputSchemaCheck::check(const std::string& tool, const bj::object& args,
                              const bj::object& response) {
    BOOST_REQUIRE_MESSAGE(response.contains("result"), bj::serialize(response));
    const auto& result = response.at("result").as_object();
    if (result.at("isError").as_bool()) return;
    std::string what = tool;
    if (const auto* c = args.if_contains("command"); c && c->is_string())
        what += " " + std::string(c->as_string());
    BOOST_TEST_INFO(what);
    const auto schema = schemas_.find(tool);
    BOOST_REQUIRE_MESSAGE(schema != schemas_.end(), tool + " declares no outputSchema");
    const auto* structured = result.if_contains("structuredContent");
    BOOST_REQUIRE_MESSAGE(structured && structured->is_object(), bj::serialize(response));
    const auto violations = sdk::validate(schema->second, *structured, "result");
    BOOST_TEST(violations.empty(), what + ": " + sdk::describe(violations));
    // Renaming any field must break it: the schema names it (required) or the shape is
    // closed (additionalProperties: false).
    for (const auto& kv : structured->as_object()) {
        bj::object renamed = structured->as_object();
        renamed.erase(kv.key());
        renamed[std::string(kv.key()) + "_renamed"] = kv.value();
        BOOST_TEST(!sdk::validate(schema->second, renamed, "result").empty(),
                   what + ": the schema still accepts the result with '" + std::string(kv.key()) +
                       "' renamed");
    }
    checked_.insert(what);
}

}  // namespace schedcp::test
