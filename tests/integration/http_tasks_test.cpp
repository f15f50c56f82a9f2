// The MCP tasks extension (io.modelcontextprotocol/tasks) over the real `schedcp --http` with
// the conformance plugin's task fixtures (tests/plugins/conformance_tasks.cpp): a call becomes
// a task only when the request declares the extension; tasks/get inlines the result; input
// through tasks/update; cancellation; the -32021 gating; the bounds; the Mcp-Name routing
// header; the 2025 era unchanged. Tests poll tasks/get until a status shows (bounded by a
// generous deadline); nothing asserts how long anything takes.
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "http_client.hpp"
#include "mcp_client.hpp"

using namespace schedcp::test;

namespace {

const char* const kTasks = "io.modelcontextprotocol/tasks";

// A 2026-07-28 request whose client capabilities declare the tasks extension (or not).
std::string body(int id, const std::string& method, bj::object params, bool with_tasks = true) {
    bj::object caps{{"elicitation", bj::object{}}};
    if (with_tasks) caps["extensions"] = bj::object{{kTasks, bj::object{}}};
    params["_meta"] = bj::object{{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                                 {"io.modelcontextprotocol/clientCapabilities", std::move(caps)}};
    return bj::serialize(
        bj::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
}

// Two admin tokens (server.http.auth.token_file: id:sha256-hex:scopes): their secrets and
// the settings line that requires them.
const std::string kAliceToken = "tasks-test-secret-of-alice-0123456789";
const std::string kBobToken = "tasks-test-secret-of-bob-0123456789";
std::string token_settings(const TempDir& dir) {
    const std::string file =
        dir.write("tokens",
                  "alice:6078c9ca74614bacfe926332cecc372cd47ed1e4870ef74d14ad9829b9e6c2a3:admin\n"
                  "bob:30351c4c205590e08b20bae66a1c41bad2d149dc4e17afcdcd0a914cbc3da102:admin\n");
    ::chmod(file.c_str(), 0600);
    return "server: {http: {auth: {token_file: " + file + "}}}\n";
}

struct Fixture {
    explicit Fixture(const std::string& server_settings = {}, bool with_tokens = false)
        : server(write_config(dir, "  - name: conformance\n",
                              with_tokens ? token_settings(dir) : server_settings)) {}

    // Later requests carry this bearer token.
    void as(const std::string& token) { bearer = token; }
    std::map<std::string, std::string> headers(const std::string& method,
                                               const std::string& name) const {
        auto h = modern_headers(method, name);
        if (!bearer.empty()) h["Authorization"] = "Bearer " + bearer;
        return h;
    }
    HttpResponse call(const std::string& tool, bj::object args, bool with_tasks = true) {
        return http_request(
            server.port(), "POST",
            body(1, "tools/call", {{"name", tool}, {"arguments", std::move(args)}}, with_tasks),
            headers("tools/call", tool));
    }
    HttpResponse task_method(const std::string& method, const std::string& id,
                             bj::object params = {}, bool with_tasks = true) {
        params["taskId"] = id;
        return http_request(server.port(), "POST", body(2, method, std::move(params), with_tasks),
                            headers(method, id));
    }
    bj::object result_of(const HttpResponse& r) {
        BOOST_TEST_REQUIRE(r.status == 200, r.body);
        return r.messages().at(0).at("result").as_object();
    }
    // A new task of `tool`; its id.
    std::string start(const std::string& tool, bj::object args) {
        auto created = result_of(call(tool, std::move(args)));
        BOOST_TEST_REQUIRE(created.at("resultType") == "task");
        return std::string(created.at("taskId").as_string());
    }
    // tasks/get until the task shows `status` (or a terminal one).
    bj::object await_status(const std::string& id, const std::string& status) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        for (;;) {
            auto task = result_of(task_method("tasks/get", id));
            const auto& s = task.at("status");
            if (s.as_string() == status || s == "completed" || s == "failed" || s == "cancelled")
                return task;
            BOOST_TEST_REQUIRE((std::chrono::steady_clock::now() < deadline),
                               "task " << id << " still " << s);
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

    TempDir dir;
    HttpServerProcess server;
    std::string bearer;
};

int error_code(const HttpResponse& r) {
    return static_cast<int>(r.messages().at(0).at("error").at("code").as_int64());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_tasks)

BOOST_FIXTURE_TEST_CASE(discover_declares_the_extension, Fixture) {
    auto caps = result_of(http_request(server.port(), "POST", body(1, "server/discover", {}),
                                       modern_headers("server/discover")))
                    .at("capabilities");
    BOOST_TEST(caps.at("extensions").as_object().contains(kTasks));
    BOOST_TEST(!caps.as_object().contains("tasks"));
}

BOOST_FIXTURE_TEST_CASE(a_call_becomes_a_task_whose_result_tasks_get_inlines, Fixture) {
    auto created = result_of(call("slow_compute", {{"seconds", 1}, {"label", "x"}}));
    BOOST_TEST(created.at("resultType") == "task");
    BOOST_TEST(created.at("status") == "working");
    BOOST_TEST(created.at("ttlMs") == 3'600'000);
    BOOST_TEST(created.at("pollIntervalMs").is_int64());
    BOOST_TEST(!created.contains("result"));
    BOOST_TEST(!created.contains("content"));
    BOOST_TEST(!created.contains("requestState"));
    const std::string id(created.at("taskId").as_string());
    auto done = await_status(id, "completed");
    BOOST_TEST(done.at("status") == "completed");
    BOOST_TEST(done.at("resultType") == "complete");
    BOOST_TEST(done.at("result").at("content").at(0).at("text") == "Computed 'x' in 1 s");
    BOOST_TEST(done.at("result").at("structuredContent").at("label") == "x");
}

BOOST_FIXTURE_TEST_CASE(without_the_extension_the_same_call_answers_synchronously, Fixture) {
    auto answer = result_of(call("slow_compute", {{"seconds", 1}, {"label", "y"}}, false));
    BOOST_TEST(answer.at("resultType") == "complete");
    BOOST_TEST(!answer.contains("taskId"));
    BOOST_TEST(answer.at("content").at(0).at("text") == "Computed 'y' in 1 s");
}

BOOST_FIXTURE_TEST_CASE(the_surface_is_refused_without_the_extension, Fixture) {
    auto required = call("failing_job", {}, false);
    BOOST_TEST(required.status == 400);
    BOOST_TEST(error_code(required) == -32021);
    BOOST_TEST(required.messages()
                   .at(0)
                   .at("error")
                   .at("data")
                   .at("requiredCapabilities")
                   .at("extensions")
                   .as_object()
                   .contains(kTasks));
    for (const char* method : {"tasks/get", "tasks/cancel"}) {
        auto r = task_method(method, "0123", {}, false);
        BOOST_TEST(r.status == 400, method);
        BOOST_TEST(error_code(r) == -32021, method);
    }
    // tasks/result and tasks/list are not part of this version of the extension.
    for (const char* method : {"tasks/result", "tasks/list"}) {
        auto r = http_request(server.port(), "POST", body(3, method, {{"taskId", "0123"}}),
                              modern_headers(method));
        BOOST_TEST(r.status == 404, method);
        BOOST_TEST(error_code(r) == -32601, method);
    }
    auto unknown = task_method("tasks/get", "0123");
    BOOST_TEST(unknown.status == 400);
    BOOST_TEST(error_code(unknown) == -32602);
}

BOOST_FIXTURE_TEST_CASE(errors_of_the_tool_complete_and_protocol_errors_fail, Fixture) {
    auto tool_error = await_status(start("failing_job", {}), "completed");
    BOOST_TEST(tool_error.at("status") == "completed");
    BOOST_TEST(tool_error.at("result").at("isError") == true);
    // protocol_error_job needs the roots capability, which this client lacks: -32021.
    auto failed = await_status(start("protocol_error_job", {}), "failed");
    BOOST_TEST(failed.at("status") == "failed");
    BOOST_TEST(failed.at("error").at("code") == -32021);
    BOOST_TEST(!failed.contains("result"));
}

BOOST_FIXTURE_TEST_CASE(cancel_stops_the_handler_and_is_idempotent, Fixture) {
    const std::string id = start("slow_compute", {{"seconds", 600}});
    auto ack = result_of(task_method("tasks/cancel", id));
    BOOST_TEST(ack.at("resultType") == "complete");
    BOOST_TEST(!ack.contains("status"));
    BOOST_TEST(result_of(task_method("tasks/get", id)).at("status") == "cancelled");
    BOOST_TEST(result_of(task_method("tasks/cancel", id)).at("resultType") == "complete");
    // The handler is gone: the server logs the cancelled call's end and stays usable.
    BOOST_TEST(result_of(call("greet", {{"name", "z"}})).at("content").at(0).at("text") ==
               "Hello, z!");
}

BOOST_FIXTURE_TEST_CASE(a_task_asks_through_tasks_get_and_tasks_update, Fixture) {
    const std::string id = start("multi_input", {});
    auto asking = await_status(id, "input_required");
    BOOST_TEST_REQUIRE(asking.at("status") == "input_required");
    const auto& requests = asking.at("inputRequests").as_object();
    BOOST_TEST_REQUIRE(requests.size() == 2u);
    BOOST_TEST(requests.at("first").at("method") == "elicitation/create");
    const auto answer = [](const char* name) {
        return bj::object{{"action", "accept"}, {"content", bj::object{{"name", name}}}};
    };
    auto ack = result_of(task_method("tasks/update", id,
                                     {{"inputResponses", bj::object{{"first", answer("Ada")}}}}));
    BOOST_TEST(ack.at("resultType") == "complete");
    auto half = result_of(task_method("tasks/get", id));
    BOOST_TEST(half.at("status") == "input_required");
    BOOST_TEST(!half.at("inputRequests").as_object().contains("first"));
    BOOST_TEST(half.at("inputRequests").as_object().contains("second"));
    task_method("tasks/update", id, {{"inputResponses", bj::object{{"second", answer("Bob")}}}});
    auto done = await_status(id, "completed");
    BOOST_TEST(done.at("result").at("content").at(0).at("text") == "Got Ada and Bob");
}

BOOST_FIXTURE_TEST_CASE(a_required_tool_asks_first_then_becomes_a_task, Fixture) {
    auto round = result_of(call("test_tool_with_task", {}));
    BOOST_TEST_REQUIRE(round.at("resultType") == "input_required");
    BOOST_TEST(!round.contains("taskId"));
    auto retry = http_request(
        server.port(), "POST",
        body(4, "tools/call",
             {{"name", "test_tool_with_task"},
              {"arguments", bj::object{}},
              {"inputResponses",
               bj::object{{"user_name", bj::object{{"action", "accept"},
                                                   {"content", bj::object{{"name", "Alice"}}}}}}},
              {"requestState", round.at("requestState")}}),
        modern_headers("tools/call", "test_tool_with_task"));
    auto created = result_of(retry);
    BOOST_TEST_REQUIRE(created.at("resultType") == "task");
    BOOST_TEST(!created.contains("requestState"));
    auto done = await_status(std::string(created.at("taskId").as_string()), "completed");
    BOOST_TEST(done.at("result").at("content").at(0).at("text") == "Hello, Alice!");
}

BOOST_FIXTURE_TEST_CASE(tasks_requests_repeat_the_task_id_in_mcp_name, Fixture) {
    const std::string id = start("slow_compute", {{"seconds", 600}});
    auto headers = modern_headers("tasks/get", "another-task");
    auto r = http_request(server.port(), "POST", body(5, "tasks/get", {{"taskId", id}}), headers);
    BOOST_TEST(r.status == 400);
    BOOST_TEST(error_code(r) == -32020);
    r = http_request(server.port(), "POST", body(5, "tasks/get", {{"taskId", id}}),
                     modern_headers("tasks/get"));
    BOOST_TEST(r.status == 400);
    BOOST_TEST(error_code(r) == -32020);
    task_method("tasks/cancel", id);
}

BOOST_AUTO_TEST_CASE(the_store_is_bounded) {
    Fixture f("server: {max_tasks: 2}\n");
    const std::string a = f.start("slow_compute", {{"seconds", 600}});
    const std::string b = f.start("slow_compute", {{"seconds", 600}});
    // Full: an optional tool runs synchronously, a required one is refused.
    auto sync = f.result_of(f.call("slow_compute", {{"seconds", 1}, {"label", "s"}}));
    BOOST_TEST(sync.at("resultType") == "complete");
    BOOST_TEST(sync.at("content").at(0).at("text") == "Computed 's' in 1 s");
    auto refused = f.call("failing_job", {});
    BOOST_TEST(error_code(refused) == -31000);
    const std::string text(refused.messages().at(0).at("error").at("message").as_string());
    BOOST_TEST(text.find("server.max_tasks") != std::string::npos, text);
    f.task_method("tasks/cancel", a);
    f.task_method("tasks/cancel", b);
}

BOOST_AUTO_TEST_CASE(a_task_is_visible_to_the_principal_that_created_it_only) {
    Fixture f({}, true);
    f.as(kAliceToken);
    const std::string id = f.start("slow_compute", {{"seconds", 600}});
    f.as(kBobToken);
    for (const char* method : {"tasks/get", "tasks/cancel"}) {
        auto theirs = f.task_method(method, id);
        BOOST_TEST(theirs.status == 400, method);
        BOOST_TEST(error_code(theirs) == -32602, method);
    }
    f.as(kAliceToken);
    BOOST_TEST(f.result_of(f.task_method("tasks/get", id)).at("status") == "working");
    f.task_method("tasks/cancel", id);
}

BOOST_FIXTURE_TEST_CASE(the_2025_era_is_unchanged, Fixture) {
    auto init = http_request(server.port(), "POST", initialize_body());
    const std::string session = init.header("mcp-session-id");
    BOOST_TEST_REQUIRE(!session.empty());
    const std::map<std::string, std::string> h{{"Mcp-Session-Id", session},
                                               {"MCP-Protocol-Version", "2025-11-25"}};
    http_request(server.port(), "POST", R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
                 h);
    auto sync = http_request(
        server.port(), "POST",
        R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"slow_compute","arguments":{"seconds":1}}})",
        h);
    auto result = sync.messages().at(0).at("result");
    BOOST_TEST(!result.as_object().contains("taskId"));
    BOOST_TEST(result.at("content").at(0).at("text") == "Computed 'unnamed' in 1 s");
    auto get =
        http_request(server.port(), "POST",
                     R"({"jsonrpc":"2.0","id":3,"method":"tasks/get","params":{"taskId":"x"}})", h);
    BOOST_TEST(get.messages().at(0).at("error").at("code") == -32601);
}

BOOST_AUTO_TEST_SUITE_END()
