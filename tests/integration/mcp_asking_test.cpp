// Tools asking their client (elicitation, sampling, roots) over the real `schedcp --stdio`:
// 2025 revisions (requests to the client, its responses resume the tool), 2026-07-28
// (input-required results, the tool re-run with the answers), and run_scheduler's
// confirmation of replace: true.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"
#include "runner_fixture.hpp"

namespace bj = boost::json;
using namespace schedcp::test;
using namespace std::chrono_literals;

namespace {

std::string conformance_config(const TempDir& dir, const std::string& server = "") {
    return write_config(dir, "  - name: conformance\n", server);
}

// initialize declaring `capabilities`.
void initialize(McpClient& c, bj::object capabilities) {
    c.request("initialize",
              bj::object{{"protocolVersion", "2025-11-25"},
                         {"capabilities", std::move(capabilities)},
                         {"clientInfo", bj::object{{"name", "asking-tests"}, {"version", "1"}}}});
    c.notify("notifications/initialized");
}

// Ids from 1000 on: McpClient's own requests count from 1.
void call(McpClient& c, std::int64_t id, const std::string& tool, bj::object args = {}) {
    c.send(bj::object{{"jsonrpc", "2.0"},
                      {"id", id},
                      {"method", "tools/call"},
                      {"params", bj::object{{"name", tool}, {"arguments", std::move(args)}}}});
}

// The next message that is a request from the server (skipping notifications).
bj::object server_request(McpClient& c) {
    while (true) {
        auto v = c.next(10s);
        BOOST_REQUIRE_MESSAGE(v, "the server sent no request to the client");
        const auto& o = v->as_object();
        if (o.contains("method") && o.contains("id")) return o;
    }
}

void answer(McpClient& c, const bj::value& id, bj::value result) {
    c.send(bj::object{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

std::string text_of(const bj::object& response) {
    BOOST_REQUIRE_MESSAGE(response.contains("result"), bj::serialize(response));
    return std::string(response.at("result").at("content").at(0).at("text").as_string());
}

bj::object modern_meta(bj::object capabilities) {
    return bj::object{{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                      {"io.modelcontextprotocol/clientCapabilities", std::move(capabilities)}};
}

bj::object modern_call(McpClient& c, const std::string& tool, bj::object capabilities,
                       bj::object extra = {}) {
    bj::object params{{"name", tool},
                      {"arguments", bj::object{}},
                      {"_meta", modern_meta(std::move(capabilities))}};
    for (auto& [k, v] : extra) params[k] = v;
    return c.request("tools/call", std::move(params));
}

const bj::object kEverything{
    {"elicitation", bj::object{}}, {"sampling", bj::object{}}, {"roots", bj::object{}}};

// A server (`server` settings) whose tool call 1002 waits for the client's answer to `ask`.
struct WaitingCall {
    explicit WaitingCall(const std::string& server) : c(conformance_config(dir, server)) {
        initialize(c, kEverything);
        call(c, 1002, "test_elicitation", {{"message", "Anyone?"}});
        ask = server_request(c);
    }
    TempDir dir;
    McpClient c;
    bj::object ask;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(mcp_asking)

BOOST_AUTO_TEST_CASE(legacy_elicitation_and_sampling_are_answered_by_the_client) {
    TempDir dir;
    McpClient c(conformance_config(dir));
    initialize(c, kEverything);

    call(c, 1002, "test_elicitation", {{"message", "Who are you?"}});
    auto ask = server_request(c);
    BOOST_TEST(ask.at("method").as_string() == "elicitation/create");
    BOOST_TEST(ask.at("id").is_string());  // the server's own ids, never the client's numbers
    BOOST_TEST(ask.at("params").at("message").as_string() == "Who are you?");
    answer(c, ask.at("id"),
           bj::object{{"action", "accept"},
                      {"content", bj::object{{"username", "ann"}, {"email", "a@b.c"}}}});
    auto done = c.response(1002);
    BOOST_REQUIRE(done);
    BOOST_TEST(text_of(*done).find(R"("username":"ann")") != std::string::npos, text_of(*done));

    call(c, 1003, "test_sampling", {{"prompt", "Say hi"}});
    auto sample = server_request(c);
    BOOST_TEST(sample.at("method").as_string() == "sampling/createMessage");
    // A response nobody asked for (a bogus id, and one with the client's kind of id) is
    // ignored; the real answer still resumes the tool.
    answer(c, "s:999999", bj::object{{"action", "accept"}});
    answer(c, 1003, bj::object{});
    answer(c, sample.at("id"),
           bj::object{{"role", "assistant"},
                      {"content", bj::object{{"type", "text"}, {"text", "hi there"}}},
                      {"model", "test-model"}});
    auto sampled = c.response(1003);
    BOOST_REQUIRE(sampled);
    BOOST_TEST(text_of(*sampled) == "LLM response: hi there");
    // The same id answered twice: the second is ignored too.
    answer(c, sample.at("id"), bj::object{});
    BOOST_TEST(c.request("ping").contains("result"));
}

BOOST_AUTO_TEST_CASE(a_client_without_the_capability_is_not_asked) {
    TempDir dir;
    McpClient c(conformance_config(dir));
    initialize(c, bj::object{{"sampling", bj::object{}}});
    auto r = c.call("test_elicitation", {{"message", "Who are you?"}});
    BOOST_TEST(r.at("result").at("isError").as_bool());
    BOOST_TEST(text_of(r).find("did not declare the elicitation capability") != std::string::npos,
               text_of(r));
    // Nothing was sent to the client: the next message is the ping's answer.
    c.send(bj::object{{"jsonrpc", "2.0"}, {"id", 99}, {"method", "ping"}});
    auto next = c.next(10s);
    BOOST_REQUIRE(next);
    BOOST_TEST(next->as_object().at("id") == 99);
}

BOOST_AUTO_TEST_CASE(a_client_that_never_answers_holds_nothing) {
    WaitingCall waiting("server: {max_client_requests: 1}\n");
    auto& c = waiting.c;
    const auto& ask = waiting.ask;
    // The bound: a second question while the first waits fails at once, unasked.
    auto second = c.call("test_sampling", {{"prompt", "hello"}});
    BOOST_TEST(second.at("result").at("isError").as_bool());
    BOOST_TEST(text_of(second).find("server.max_client_requests") != std::string::npos,
               text_of(second));
    // Cancelling the tool call ends the wait: the server withdraws its question and sends
    // no answer for the call.
    c.notify("notifications/cancelled", {{"requestId", 1002}, {"reason", "bored"}});
    bool withdrawn = false;
    for (int i = 0; i < 10 && !withdrawn; ++i) {
        auto v = c.next(10s);
        BOOST_REQUIRE(v);
        const auto& o = v->as_object();
        BOOST_TEST(!(o.contains("id") && o.at("id") == 1002), "a cancelled call was answered");
        withdrawn = o.contains("method") && o.at("method") == "notifications/cancelled" &&
                    o.at("params").at("requestId") == ask.at("id");
    }
    BOOST_TEST(withdrawn);
    // Its slot is free again.
    call(c, 1004, "test_sampling", {{"prompt", "again"}});
    auto again = server_request(c);
    BOOST_TEST(again.at("method").as_string() == "sampling/createMessage");
}

BOOST_AUTO_TEST_CASE(an_unanswered_question_fails_at_its_deadline) {
    WaitingCall waiting("server: {client_request_seconds: 1}\n");
    auto& c = waiting.c;
    const auto& ask = waiting.ask;
    auto r = c.response(1002, 20s);
    BOOST_REQUIRE(r);
    BOOST_TEST(text_of(*r).find("did not answer within 1 s") != std::string::npos, text_of(*r));
    // A late answer is ignored.
    answer(c, ask.at("id"), bj::object{{"action", "accept"}});
    BOOST_TEST(c.request("ping").contains("result"));
}

BOOST_AUTO_TEST_CASE(modern_calls_answer_input_required_and_run_again_with_the_answers) {
    TempDir dir;
    McpClient c(conformance_config(dir));
    auto first =
        c.request("tools/call", bj::object{{"name", "test_input_required_result_multiple_inputs"},
                                           {"arguments", bj::object{}},
                                           {"_meta", modern_meta(kEverything)}});
    const auto& r1 = first.at("result").as_object();
    BOOST_TEST(r1.at("resultType").as_string() == "input_required");
    const auto& asks = r1.at("inputRequests").as_object();
    BOOST_TEST(asks.at("user_name").at("method").as_string() == "elicitation/create");
    BOOST_TEST(asks.at("greeting").at("method").as_string() == "sampling/createMessage");
    BOOST_TEST(asks.at("client_roots").at("method").as_string() == "roots/list");
    const bj::value state = r1.at("requestState");

    bj::object responses{
        {"user_name", bj::object{{"action", "accept"}, {"content", bj::object{{"name", "Ann"}}}}},
        {"greeting", bj::object{{"role", "assistant"},
                                {"content", bj::object{{"type", "text"}, {"text", "Hello!"}}},
                                {"model", "m"}}},
        {"client_roots", bj::object{{"roots", bj::array{bj::object{{"uri", "file:///w"}}}}}}};
    auto second = modern_call(c, "test_input_required_result_multiple_inputs", kEverything,
                              {{"inputResponses", responses}, {"requestState", state}});
    BOOST_TEST(second.at("result").at("resultType").as_string() == "complete");
    BOOST_TEST(text_of(second) == "Ann: Hello! (1 roots)");

    // The state, altered: refused.
    std::string tampered(state.as_string());
    tampered += "-TAMPERED";
    auto refused = modern_call(c, "test_input_required_result_multiple_inputs", kEverything,
                               {{"inputResponses", responses}, {"requestState", tampered}});
    BOOST_TEST(refused.at("error").at("code").as_int64() == -32602);

    // Only what the client declared is asked.
    auto partial = modern_call(c, "test_input_required_result_capabilities",
                               bj::object{{"sampling", bj::object{}}});
    const auto& only = partial.at("result").at("inputRequests").as_object();
    BOOST_TEST(only.size() == 1u);
    BOOST_TEST(only.contains("greeting"));

    // A question the tool cannot do without: -32021 naming the capability.
    auto missing = modern_call(c, "test_missing_capability", bj::object{});
    BOOST_TEST(missing.at("error").at("code").as_int64() == -32021);
    BOOST_TEST(
        missing.at("error").at("data").at("requiredCapabilities").at("sampling").is_object());
}

BOOST_FIXTURE_TEST_CASE(run_scheduler_replace_asks_the_user_first, runner_fixture::RunnerFixture) {
    using namespace runner_fixture;
    scheduler("scx_simple");
    scheduler("scx_qmap");
    McpClient c(config());
    initialize(c, bj::object{{"elicitation", bj::object{}}});
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    const std::string first(a.at("execution_id").as_string());

    // Declined: nothing replaced, and the answer says so.
    call(c, 1050, "run_scheduler", {{"name", "scx_qmap"}, {"replace", true}});
    auto ask = server_request(c);
    BOOST_TEST(ask.at("method").as_string() == "elicitation/create");
    BOOST_TEST(std::string(ask.at("params").at("message").as_string()).find(first) !=
               std::string::npos);
    answer(c, ask.at("id"), bj::object{{"action", "decline"}});
    auto declined = c.response(1050);
    BOOST_REQUIRE(declined);
    std::string e = error_text(*declined);
    BOOST_TEST(e.find("nothing replaced: the user declined") == 0u, e);
    BOOST_TEST(!std::filesystem::exists(dir.file("scx_qmap.pid")));
    BOOST_TEST(
        ok(c.call("get_execution_status", {{"execution_id", first}})).at("status").as_string() ==
        "running");

    // Confirmed: replaced.
    call(c, 1051, "run_scheduler", {{"name", "scx_qmap"}, {"replace", true}});
    auto again = server_request(c);
    answer(c, again.at("id"),
           bj::object{{"action", "accept"}, {"content", bj::object{{"replace", true}}}});
    auto replaced = c.response(1051);
    BOOST_REQUIRE(replaced);
    BOOST_TEST(ok(*replaced).at("status").as_string() == "running");
    BOOST_TEST(
        ok(c.call("get_execution_status", {{"execution_id", first}})).at("status").as_string() ==
        "stopped");
}

BOOST_AUTO_TEST_SUITE_END()
