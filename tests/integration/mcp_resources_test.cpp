// Resources, resource templates, prompts and completions over stdio, in both eras, on the
// real binary: the conformance plugin's fixtures (tests/plugins/conformance.cpp) and
// schedcp's own (catalog, workloads). Errors: unknown URIs and prompts, bad arguments,
// hostile ids.
#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"
#include "runner_fixture.hpp"

using namespace schedcp::test;

namespace {

bj::object envelope() {
    return bj::object{
        {"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
        {"io.modelcontextprotocol/clientInfo", bj::object{{"name", "tests"}, {"version", "1"}}},
        {"io.modelcontextprotocol/clientCapabilities", bj::object{}}};
}

bj::object modern(bj::object params = {}) {
    params["_meta"] = envelope();
    return params;
}

const bj::object& result_of(const bj::object& r) {
    BOOST_REQUIRE_MESSAGE(r.contains("result"), bj::serialize(r));
    return r.at("result").as_object();
}

const bj::object& error_of(const bj::object& r) {
    BOOST_REQUIRE_MESSAGE(r.contains("error"), bj::serialize(r));
    return r.at("error").as_object();
}

std::string message_of(const bj::object& r) {
    return std::string(error_of(r).at("message").as_string());
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

struct Fixture {
    TempDir dir;
    std::string cfg = write_config(dir,
                                   "  - name: catalog\n  - name: workloads\n"
                                   "  - name: conformance\n");
};

// A server whose plugins register no resources and no prompts.
struct BareFixture {
    TempDir dir;
    std::string cfg = write_config(dir, "  - name: testplug\n");
};

const bj::object* find_by(const bj::array& list, const char* key, const std::string& value) {
    for (const auto& v : list)
        if (v.at(key).as_string() == value) return &v.as_object();
    return nullptr;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(mcp_resources, Fixture)

BOOST_AUTO_TEST_CASE(capabilities_follow_the_era) {
    McpClient legacy(cfg);
    auto init = legacy.initialize();
    const auto& caps = init.at("result").at("capabilities").as_object();
    BOOST_TEST(caps.at("resources").at("subscribe").as_bool());
    BOOST_TEST(caps.at("prompts").is_object());
    BOOST_TEST(caps.at("completions").is_object());

    McpClient m(cfg);
    auto discover = m.request("server/discover", modern());
    const auto& mcaps = result_of(discover).at("capabilities").as_object();
    BOOST_TEST(mcaps.at("resources").is_object());
    // 2026-07-28 subscribes through subscriptions/listen (tests/integration/mcp_listen_test.cpp).
    BOOST_TEST(mcaps.at("resources").at("subscribe").as_bool());
    BOOST_TEST(mcaps.at("prompts").is_object());
    BOOST_TEST(mcaps.at("completions").is_object());
}

BOOST_AUTO_TEST_CASE(lists_and_reads_in_the_2025_era) {
    McpClient c(cfg);
    c.initialize();
    auto list = result_of(c.request("resources/list"));
    const auto* text = find_by(list.at("resources").as_array(), "uri", "test://static-text");
    BOOST_REQUIRE(text);
    BOOST_TEST(text->at("name").as_string() == "static-text");
    BOOST_TEST(text->at("mimeType").as_string() == "text/plain");
    BOOST_TEST(!list.contains("ttlMs"));  // 2026-07-28 only

    auto templates = result_of(c.request("resources/templates/list")).at("resourceTemplates");
    for (const char* t :
         {"test://template/{id}/data", "schedcp://schedulers/{name}", "schedcp://workloads/{id}"})
        BOOST_TEST(find_by(templates.as_array(), "uriTemplate", t), t);

    auto read = result_of(c.request("resources/read", {{"uri", "test://static-text"}}));
    BOOST_TEST(read.at("contents").at(0).at("text").as_string() ==
               "This is the content of the static text resource.");
    auto binary = result_of(c.request("resources/read", {{"uri", "test://static-binary"}}));
    BOOST_TEST(binary.at("contents").at(0).at("mimeType").as_string() == "image/png");
    BOOST_TEST(!binary.at("contents").at(0).at("blob").as_string().empty());
    BOOST_TEST(!binary.at("contents").at(0).as_object().contains("text"));
    auto templated = result_of(c.request("resources/read", {{"uri", "test://template/123/data"}}));
    BOOST_TEST(templated.at("contents").at(0).at("uri").as_string() == "test://template/123/data");
    BOOST_TEST(
        has(std::string(templated.at("contents").at(0).at("text").as_string()), R"("id":"123")"));
}

BOOST_AUTO_TEST_CASE(lists_and_reads_in_2026_carry_cache_hints) {
    McpClient c(cfg);
    for (const char* method : {"resources/list", "resources/templates/list", "prompts/list"}) {
        auto r = result_of(c.request(method, modern()));
        BOOST_TEST(r.at("resultType").as_string() == "complete", method);
        BOOST_TEST(r.at("ttlMs").as_int64() >= 0, method);
        BOOST_TEST(r.at("cacheScope").as_string() == "public", method);
    }
    auto binary = result_of(c.request("resources/read", modern({{"uri", "test://static-binary"}})));
    BOOST_TEST(binary.at("ttlMs").as_int64() == 60000);  // the spec's cache_ttl
    BOOST_TEST(binary.at("cacheScope").as_string() == "private");
    auto text = result_of(c.request("resources/read", modern({{"uri", "test://static-text"}})));
    BOOST_TEST(text.at("ttlMs").as_int64() == 0);
    // No subscriptions in 2026-07-28.
    BOOST_TEST(
        error_of(c.request("resources/subscribe", modern({{"uri", "test://watched-resource"}})))
            .at("code")
            .as_int64() == -32601);
}

BOOST_AUTO_TEST_CASE(an_unknown_uri_is_not_found_as_each_revision_says) {
    const std::string uri = "test://nonexistent-resource-for-conformance-testing";
    McpClient legacy(cfg);
    legacy.initialize();
    auto old_error = error_of(legacy.request("resources/read", {{"uri", uri}}));
    BOOST_TEST(old_error.at("code").as_int64() == -32002);
    BOOST_TEST(old_error.at("data").at("uri").as_string() == uri);
    BOOST_TEST(has(std::string(old_error.at("message").as_string()), "resources/list"));

    McpClient m(cfg);
    auto new_error = error_of(m.request("resources/read", modern({{"uri", uri}})));
    BOOST_TEST(new_error.at("code").as_int64() == -32602);  // SEP-2164
    BOOST_TEST(new_error.at("data").at("uri").as_string() == uri);

    // Not a URI at all, or no uri: invalid params in both eras.
    for (const bj::object& params :
         {bj::object{{"uri", "no scheme"}}, bj::object{{"uri", 7}}, bj::object{}}) {
        BOOST_TEST(error_of(legacy.request("resources/read", params)).at("code").as_int64() ==
                   -32602);
        BOOST_TEST(error_of(m.request("resources/read", modern(params))).at("code").as_int64() ==
                   -32602);
    }
    BOOST_TEST(has(message_of(legacy.request("resources/read", {{"uri", "x://a\tb"}})),
                   "control character"));
    // A cursor we never handed out.
    BOOST_TEST(
        has(message_of(legacy.request("resources/list", {{"cursor", "page2"}})), "unknown cursor"));
}

BOOST_AUTO_TEST_CASE(prompts_list_and_get) {
    McpClient c(cfg);
    c.initialize();
    auto prompts = result_of(c.request("prompts/list")).at("prompts").as_array();
    const auto* with_args = find_by(prompts, "name", "test_prompt_with_arguments");
    BOOST_REQUIRE(with_args);
    BOOST_TEST(with_args->at("arguments").at(0).at("name").as_string() == "arg1");
    BOOST_TEST(with_args->at("arguments").at(0).at("required").as_bool());
    BOOST_TEST(find_by(prompts, "name", "tune_for_workload"));

    auto simple = result_of(c.request("prompts/get", {{"name", "test_simple_prompt"}}));
    BOOST_TEST(simple.at("messages").at(0).at("role").as_string() == "user");
    BOOST_TEST(simple.at("messages").at(0).at("content").at("type").as_string() == "text");

    auto args = result_of(
        c.request("prompts/get",
                  {{"name", "test_prompt_with_arguments"},
                   {"arguments", bj::object{{"arg1", "testValue1"}, {"arg2", "testValue2"}}}}));
    const std::string text(args.at("messages").at(0).at("content").at("text").as_string());
    BOOST_TEST(has(text, "testValue1"));
    BOOST_TEST(has(text, "testValue2"));

    auto embedded = result_of(
        c.request("prompts/get", {{"name", "test_prompt_with_embedded_resource"},
                                  {"arguments", bj::object{{"resourceUri", "test://example"}}}}));
    const auto& resource = embedded.at("messages").at(0).at("content").as_object();
    BOOST_TEST(resource.at("type").as_string() == "resource");
    BOOST_TEST(resource.at("resource").at("uri").as_string() == "test://example");

    auto image = result_of(c.request("prompts/get", {{"name", "test_prompt_with_image"}}));
    BOOST_TEST(image.at("messages").at(0).at("content").at("type").as_string() == "image");
    BOOST_TEST(image.at("messages").at(0).at("content").at("mimeType").as_string() == "image/png");

    // The same in 2026-07-28, with resultType.
    McpClient m(cfg);
    auto modern_simple =
        result_of(m.request("prompts/get", modern({{"name", "test_simple_prompt"}})));
    BOOST_TEST(modern_simple.at("resultType").as_string() == "complete");
    BOOST_TEST(!modern_simple.at("messages").as_array().empty());
}

BOOST_AUTO_TEST_CASE(prompt_errors_say_what_is_wrong) {
    McpClient c(cfg);
    c.initialize();
    auto unknown = c.request("prompts/get", {{"name", "no_such_prompt"}});
    BOOST_TEST(error_of(unknown).at("code").as_int64() == -32602);
    BOOST_TEST(has(message_of(unknown), "unknown prompt 'no_such_prompt'"));
    BOOST_TEST(!error_of(unknown).at("data").at("available").as_array().empty());

    auto missing = c.request("prompts/get", {{"name", "test_prompt_with_arguments"},
                                             {"arguments", bj::object{{"arg1", "x"}}}});
    BOOST_TEST(error_of(missing).at("code").as_int64() == -32602);
    BOOST_TEST(has(message_of(missing), "needs the argument 'arg2'"));

    auto extra = c.request("prompts/get",
                           {{"name", "test_simple_prompt"}, {"arguments", bj::object{{"x", "1"}}}});
    BOOST_TEST(has(message_of(extra), "has no argument 'x'; its arguments: none"));

    auto not_string =
        c.request("prompts/get", {{"name", "test_prompt_with_arguments"},
                                  {"arguments", bj::object{{"arg1", 1}, {"arg2", "y"}}}});
    BOOST_TEST(has(message_of(not_string), "params.arguments.arg1 must be a string"));

    auto huge = c.request("prompts/get",
                          {{"name", "tune_for_workload"},
                           {"arguments", bj::object{{"workload", std::string(70000, 'x')}}}});
    BOOST_TEST(has(message_of(huge), "the limit is 65536"));

    auto blank = c.request("prompts/get", {{"name", "tune_for_workload"},
                                           {"arguments", bj::object{{"workload", "  "}}}});
    BOOST_TEST(error_of(blank).at("code").as_int64() == -32602);
    BOOST_TEST(has(message_of(blank), "'workload' is empty"));
}

BOOST_AUTO_TEST_CASE(completions_for_prompt_arguments_and_template_variables) {
    McpClient c(cfg);
    c.initialize();
    auto prompt = result_of(c.request(
        "completion/complete",
        {{"ref", bj::object{{"type", "ref/prompt"}, {"name", "test_prompt_with_arguments"}}},
         {"argument", bj::object{{"name", "arg1"}, {"value", "pa"}}}}));
    BOOST_TEST(bj::serialize(prompt.at("completion").at("values")) ==
               R"(["paris","park","party"])");
    BOOST_TEST(prompt.at("completion").at("total").as_int64() == 3);
    BOOST_TEST(!prompt.at("completion").at("hasMore").as_bool());

    // An argument without a completer: no values, not an error.
    auto none = result_of(c.request(
        "completion/complete",
        {{"ref", bj::object{{"type", "ref/prompt"}, {"name", "test_prompt_with_arguments"}}},
         {"argument", bj::object{{"name", "arg2"}, {"value", "x"}}}}));
    BOOST_TEST(none.at("completion").at("values").as_array().empty());

    auto names = result_of(c.request(
        "completion/complete",
        {{"ref", bj::object{{"type", "ref/resource"}, {"uri", "schedcp://schedulers/{name}"}}},
         {"argument", bj::object{{"name", "name"}, {"value", "scx_"}}}}));
    const auto& values = names.at("completion").at("values").as_array();
    BOOST_TEST(!values.empty());
    for (const auto& v : values) BOOST_TEST(v.as_string().starts_with("scx_"));

    auto bad_ref =
        c.request("completion/complete", {{"ref", bj::object{{"type", "ref/tool"}, {"name", "x"}}},
                                          {"argument", bj::object{{"name", "a"}, {"value", ""}}}});
    BOOST_TEST(has(message_of(bad_ref), "params.ref.type must be"));
    auto bad_var = c.request(
        "completion/complete",
        {{"ref", bj::object{{"type", "ref/resource"}, {"uri", "test://template/{id}/data"}}},
         {"argument", bj::object{{"name", "nope"}, {"value", ""}}}});
    BOOST_TEST(has(message_of(bad_var), "has no variable 'nope'"));
    auto no_template =
        c.request("completion/complete",
                  {{"ref", bj::object{{"type", "ref/resource"}, {"uri", "test://other/{id}"}}},
                   {"argument", bj::object{{"name", "id"}, {"value", ""}}}});
    BOOST_TEST(has(message_of(no_template), "no resource template"));

    McpClient m(cfg);
    auto modern_completion = result_of(m.request(
        "completion/complete",
        modern({{"ref", bj::object{{"type", "ref/resource"}, {"uri", "test://template/{id}/data"}}},
                {"argument", bj::object{{"name", "id"}, {"value", "12"}}}})));
    BOOST_TEST(bj::serialize(modern_completion.at("completion").at("values")) == R"(["123"])");
}

BOOST_AUTO_TEST_CASE(subscribers_hear_of_updates_until_they_unsubscribe) {
    McpClient c(cfg);
    c.initialize();
    auto updated = [&] {
        for (const auto& n : c.notifications())
            if (n.at("method") == "notifications/resources/updated" &&
                n.at("params").at("uri") == "test://watched-resource")
                return true;
        return false;
    };
    result_of(c.request("resources/subscribe", {{"uri", "test://watched-resource"}}));
    // An update a handler signals reaches the client before that handler's answer.
    result_of(c.call("test_touch_watched_resource"));
    BOOST_TEST(updated());

    c.notifications().clear();
    result_of(c.request("resources/unsubscribe", {{"uri", "test://watched-resource"}}));
    result_of(c.call("test_touch_watched_resource"));
    BOOST_TEST(!updated());

    auto unknown = c.request("resources/subscribe", {{"uri", "test://nothing-here"}});
    BOOST_TEST(error_of(unknown).at("code").as_int64() == -32002);
    BOOST_TEST(error_of(unknown).at("data").at("uri").as_string() == "test://nothing-here");
}

BOOST_AUTO_TEST_CASE(schedulers_and_workloads_as_resources) {
    McpClient c(cfg);
    c.initialize();
    auto listed = c.call("list_schedulers");
    const std::string name(
        result_of(listed).at("structuredContent").at("schedulers").at(0).at("name").as_string());
    auto entry = result_of(c.request("resources/read", {{"uri", "schedcp://schedulers/" + name}}));
    auto parsed = bj::parse(entry.at("contents").at(0).at("text").as_string());
    BOOST_TEST(parsed.at("name").as_string() == name);
    BOOST_TEST(parsed.as_object().contains("installed"));

    auto typo = c.request("resources/read",
                          {{"uri", "schedcp://schedulers/" + name.substr(0, name.size() - 1)}});
    BOOST_TEST(error_of(typo).at("code").as_int64() == -32002);
    BOOST_TEST(has(message_of(typo), "did you mean " + name));

    auto created = c.call("workload", {{"command", "create"}, {"description", "a web server"}});
    const std::string id(result_of(created).at("structuredContent").at("workload_id").as_string());
    auto workload = result_of(c.request("resources/read", {{"uri", "schedcp://workloads/" + id}}));
    auto history = bj::parse(workload.at("contents").at(0).at("text").as_string());
    BOOST_TEST(history.at("profile").at("description").as_string() == "a web server");
    BOOST_TEST(history.at("history").as_array().empty());

    // Hostile ids: decoded, then refused by shape before any lookup.
    auto traversal = c.request("resources/read", {{"uri", "schedcp://workloads/..%2F..%2Fetc"}});
    BOOST_TEST(error_of(traversal).at("code").as_int64() == -32602);
    BOOST_TEST(has(message_of(traversal), "is not a workload id"));
    auto missing = c.request("resources/read",
                             {{"uri", "schedcp://workloads/00000000-0000-4000-8000-000000000000"}});
    BOOST_TEST(error_of(missing).at("code").as_int64() == -32002);
    BOOST_TEST(has(message_of(missing), "not found"));
    // '/' never becomes part of a variable: not a workload URI at all.
    auto nested = c.request("resources/read", {{"uri", "schedcp://workloads/a/b"}});
    BOOST_TEST(error_of(nested).at("code").as_int64() == -32002);
}

BOOST_AUTO_TEST_CASE(tune_for_workload_names_only_the_tools_this_server_has) {
    McpClient c(cfg);
    c.initialize();
    auto r =
        result_of(c.request("prompts/get", {{"name", "tune_for_workload"},
                                            {"arguments", bj::object{{"workload", "nginx"}}}}));
    const std::string text(r.at("messages").at(0).at("content").at("text").as_string());
    BOOST_TEST(has(text, "nginx"));
    BOOST_TEST(has(text, "`list_schedulers`"));  // the catalog is loaded
    BOOST_TEST(has(text, "'add_history'"));      // the workloads plugin's own tool
    BOOST_TEST(!has(text, "`run_scheduler`"));   // no runner in this config
    BOOST_TEST(!has(text, "`system_monitor`"));  // nor a monitor
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(mcp_resources_absent, BareFixture)

BOOST_AUTO_TEST_CASE(no_resources_no_capability_no_methods) {
    McpClient c(cfg);
    auto init = c.initialize();
    const auto& caps = init.at("result").at("capabilities").as_object();
    BOOST_TEST(!caps.contains("resources"));
    BOOST_TEST(!caps.contains("prompts"));
    BOOST_TEST(!caps.contains("completions"));
    for (const char* method : {"resources/list", "prompts/list", "completion/complete"})
        BOOST_TEST(error_of(c.request(method)).at("code").as_int64() == -32601, method);
}

BOOST_AUTO_TEST_SUITE_END()

// The runner's resources, without starting anything: ids are checked by shape, unknown ones
// are not found, and the output URI is a template of its own.
BOOST_FIXTURE_TEST_SUITE(mcp_resources_runner, schedcp::test::runner_fixture::RunnerFixture)

BOOST_AUTO_TEST_CASE(execution_uris_are_checked_and_looked_up) {
    McpClient c(config());
    c.initialize();
    auto templates = result_of(c.request("resources/templates/list")).at("resourceTemplates");
    BOOST_TEST(find_by(templates.as_array(), "uriTemplate", "schedcp://executions/{id}"));
    BOOST_TEST(find_by(templates.as_array(), "uriTemplate", "schedcp://executions/{id}/output"));

    auto unknown = c.request("resources/read", {{"uri", "schedcp://executions/sched_00000000"}});
    BOOST_TEST(error_of(unknown).at("code").as_int64() == -32002);
    BOOST_TEST(has(message_of(unknown), "this server has started no scheduler"));
    auto output =
        c.request("resources/read", {{"uri", "schedcp://executions/sched_00000000/output"}});
    BOOST_TEST(error_of(output).at("code").as_int64() == -32002);

    auto traversal = c.request("resources/read", {{"uri", "schedcp://executions/..%2F..%2Froot"}});
    BOOST_TEST(error_of(traversal).at("code").as_int64() == -32602);
    BOOST_TEST(has(message_of(traversal), "'../../root' is not an execution id"));

    auto none = result_of(c.request(
        "completion/complete",
        {{"ref", bj::object{{"type", "ref/resource"}, {"uri", "schedcp://executions/{id}"}}},
         {"argument", bj::object{{"name", "id"}, {"value", ""}}}}));
    BOOST_TEST(none.at("completion").at("values").as_array().empty());
}

BOOST_AUTO_TEST_SUITE_END()
