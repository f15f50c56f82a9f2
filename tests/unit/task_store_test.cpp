// The MCP tasks extension's store (host/src/mcp/tasks): ids, expiry after ttlMs, the bounds
// (total and per principal), principal isolation, cancellation (of a running task: its
// handler is stopped; of a terminal one: nothing changes), and the tasks/* methods' answers.
#include <ostream>
#include <set>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "mcp/tasks/task_methods.hpp"
#include "mcp/tasks/task_store.hpp"

namespace schedcp::host::mcp {
// For BOOST_TEST's messages (found by ADL).
std::ostream& operator<<(std::ostream& os, TaskStatus status) {
    return os << to_string(status);
}
}  // namespace schedcp::host::mcp

namespace bj = boost::json;
using namespace schedcp::host::mcp;
using std::chrono::milliseconds;

namespace {

// A store whose clock the test moves.
struct Fixture {
    std::chrono::steady_clock::time_point now{std::chrono::hours(1000)};
    TaskStore store(TaskLimits limits = {
                        .max_tasks = 4, .max_per_owner = 2, .ttl = milliseconds(60'000)}) {
        return TaskStore(limits, [this] { return now; });
    }
};

std::shared_ptr<Task> created(TaskStore& store, const std::string& owner) {
    auto made = store.create(owner);
    BOOST_TEST_REQUIRE(std::holds_alternative<std::shared_ptr<Task>>(made));
    return std::get<std::shared_ptr<Task>>(made);
}

std::string refusal(TaskStore& store, const std::string& owner) {
    auto made = store.create(owner);
    BOOST_TEST_REQUIRE(std::holds_alternative<std::string>(made));
    return std::get<std::string>(made);
}

// A 2026-07-28 request of `method` whose capabilities declare the tasks extension.
Message request(std::string method, bj::object params) {
    return Message{.kind = Message::Kind::request,
                   .id = 7,
                   .method = std::move(method),
                   .params = std::move(params)};
}

const bj::object kWithTasks{
    {"extensions", bj::object{{"io.modelcontextprotocol/tasks", bj::object{}}}}};

}  // namespace

BOOST_AUTO_TEST_SUITE(task_store)

BOOST_AUTO_TEST_CASE(ids_are_128_random_bits_in_hex_and_never_repeat) {
    Fixture f;
    auto store = f.store({.max_tasks = 200, .max_per_owner = 200, .ttl = milliseconds(1000)});
    std::set<std::string> ids;
    for (int i = 0; i < 100; ++i) {
        auto t = created(store, "local");
        BOOST_TEST(t->id.size() == 32u);
        BOOST_TEST(t->id.find_first_not_of("0123456789abcdef") == std::string::npos);
        ids.insert(t->id);
        BOOST_TEST(t->status == TaskStatus::working);
    }
    BOOST_TEST(ids.size() == 100u);
}

BOOST_AUTO_TEST_CASE(a_task_lives_for_its_ttl_and_not_after) {
    Fixture f;
    auto store = f.store();
    auto t = created(store, "local");
    f.now += milliseconds(59'999);
    BOOST_TEST(store.find(t->id, "local") == t);
    f.now += milliseconds(1);
    BOOST_TEST(!store.find(t->id, "local"));
    BOOST_TEST(store.size() == 0u);
}

BOOST_AUTO_TEST_CASE(a_task_still_running_at_its_ttl_is_stopped) {
    Fixture f;
    auto store = f.store();
    auto t = created(store, "local");
    bool stopped = false;
    t->stop_handler = [&] { stopped = true; };
    f.now += milliseconds(60'000);
    BOOST_TEST(store.size() == 0u);
    BOOST_TEST(stopped);
    BOOST_TEST(t->status == TaskStatus::cancelled);
}

BOOST_AUTO_TEST_CASE(the_store_is_bounded_in_total_and_per_principal) {
    Fixture f;
    auto store = f.store();
    created(store, "alice");
    created(store, "alice");
    auto why = refusal(store, "alice");
    BOOST_TEST(why.find("'alice' has 2 tasks already (server.max_tasks_per_principal)") !=
                   std::string::npos,
               why);
    created(store, "bob");
    created(store, "bob");
    why = refusal(store, "carol");
    BOOST_TEST(why.find("keeps 4 tasks already (server.max_tasks)") != std::string::npos, why);
    // Finished tasks count until they expire; then there is room again.
    f.now += milliseconds(60'000);
    created(store, "carol");
}

BOOST_AUTO_TEST_CASE(a_task_is_visible_to_its_owner_only) {
    Fixture f;
    auto store = f.store();
    auto t = created(store, "alice");
    BOOST_TEST(store.find(t->id, "alice") == t);
    BOOST_TEST(!store.find(t->id, "bob"));
    // Over the wire another principal's task is unknown, exactly like a made-up id.
    auto theirs =
        serve_task_method(store, request("tasks/get", {{"taskId", t->id}}), "bob", kWithTasks);
    auto made_up =
        serve_task_method(store, request("tasks/get", {{"taskId", "0123"}}), "bob", kWithTasks);
    BOOST_TEST_REQUIRE(std::holds_alternative<RpcError>(theirs));
    BOOST_TEST_REQUIRE(std::holds_alternative<RpcError>(made_up));
    BOOST_TEST(std::get<RpcError>(theirs).code == -32602);
    BOOST_TEST(std::get<RpcError>(made_up).code == -32602);
    // Nor can they cancel it.
    serve_task_method(store, request("tasks/cancel", {{"taskId", t->id}}), "bob", kWithTasks);
    BOOST_TEST(t->status == TaskStatus::working);
}

BOOST_AUTO_TEST_CASE(cancel_stops_a_running_task_and_leaves_a_terminal_one_alone) {
    Fixture f;
    auto store = f.store();
    auto running = created(store, "local");
    int stops = 0;
    running->stop_handler = [&] { ++stops; };
    auto ack = serve_task_method(store, request("tasks/cancel", {{"taskId", running->id}}), "local",
                                 kWithTasks);
    BOOST_TEST_REQUIRE(std::holds_alternative<bj::object>(ack));
    BOOST_TEST(std::get<bj::object>(ack).empty());  // an empty acknowledgement
    BOOST_TEST(running->status == TaskStatus::cancelled);
    BOOST_TEST(stops == 1);
    // Again: the same empty acknowledgement, nothing stopped twice.
    ack = serve_task_method(store, request("tasks/cancel", {{"taskId", running->id}}), "local",
                            kWithTasks);
    BOOST_TEST(std::holds_alternative<bj::object>(ack));
    BOOST_TEST(stops == 1);

    auto done = created(store, "local");
    done->result = bj::object{{"content", bj::array{}}};
    store.set_status(*done, TaskStatus::completed);
    store.cancel(*done);
    BOOST_TEST(done->status == TaskStatus::completed);
    BOOST_TEST(done->result.contains("content"));
}

BOOST_AUTO_TEST_CASE(tasks_get_inlines_what_the_status_carries) {
    Fixture f;
    auto store = f.store();
    auto t = created(store, "local");
    const auto get = [&] {
        auto r = serve_task_method(store, request("tasks/get", {{"taskId", t->id}}), "local",
                                   kWithTasks);
        BOOST_TEST_REQUIRE(std::holds_alternative<bj::object>(r));
        return std::get<bj::object>(r);
    };
    auto working = get();
    BOOST_TEST(working.at("status") == "working");
    BOOST_TEST(working.at("taskId").as_string() == t->id);
    BOOST_TEST(working.at("ttlMs") == 60'000);
    BOOST_TEST(working.at("pollIntervalMs").is_int64());
    BOOST_TEST(std::string(working.at("createdAt").as_string()).size() == 24u);  // ...T..:..:..sssZ
    BOOST_TEST(!working.contains("result"));
    BOOST_TEST(!working.contains("error"));
    BOOST_TEST(!working.contains("requestState"));
    t->error = bj::object{{"code", -32021}, {"message", "no roots"}};
    store.set_status(*t, TaskStatus::failed);
    auto failed = get();
    BOOST_TEST(failed.at("status") == "failed");
    BOOST_TEST(failed.at("error").at("code") == -32021);
    BOOST_TEST(!failed.contains("result"));
}

BOOST_AUTO_TEST_CASE(tasks_update_takes_answers_one_at_a_time_and_wakes_the_handler) {
    Fixture f;
    auto store = f.store();
    auto t = created(store, "local");
    t->input_requests = bj::object{{"a", bj::object{{"method", "elicitation/create"}}},
                                   {"b", bj::object{{"method", "elicitation/create"}}}};
    store.set_status(*t, TaskStatus::input_required);
    int wakes = 0;
    t->wake_handler = [&] { ++wakes; };
    const auto update = [&](bj::object responses) {
        return serve_task_method(
            store,
            request("tasks/update", {{"taskId", t->id}, {"inputResponses", std::move(responses)}}),
            "local", kWithTasks);
    };
    auto ack = update({{"a", bj::object{{"action", "accept"}}}, {"unknown", bj::object{}}});
    BOOST_TEST(std::holds_alternative<bj::object>(ack));
    BOOST_TEST(t->status == TaskStatus::input_required);
    BOOST_TEST(!t->input_requests.contains("a"));
    BOOST_TEST(t->input_requests.contains("b"));
    BOOST_TEST(t->input_responses.contains("a"));
    BOOST_TEST(!t->input_responses.contains("unknown"));
    update({{"b", bj::object{{"action", "decline"}}}});
    BOOST_TEST(t->status == TaskStatus::working);
    BOOST_TEST(wakes == 2);
    // Malformed answers are refused.
    auto bad = update({{"b", 12}});
    BOOST_TEST_REQUIRE(std::holds_alternative<RpcError>(bad));
    BOOST_TEST(std::get<RpcError>(bad).code == -32602);
}

BOOST_AUTO_TEST_CASE(the_methods_need_the_extension_in_the_request_capabilities) {
    Fixture f;
    auto store = f.store();
    for (const char* method : {"tasks/get", "tasks/update", "tasks/cancel"}) {
        auto r = serve_task_method(
            store, request(method, {{"taskId", "x"}, {"inputResponses", bj::object{}}}), "local",
            bj::object{{"elicitation", bj::object{}}});
        BOOST_TEST_REQUIRE(std::holds_alternative<RpcError>(r));
        const auto& e = std::get<RpcError>(r);
        BOOST_TEST(e.code == -32021);
        BOOST_TEST(e.data.at("requiredCapabilities")
                       .at("extensions")
                       .as_object()
                       .contains("io.modelcontextprotocol/tasks"));
    }
}

BOOST_AUTO_TEST_CASE(cancel_all_stops_every_running_task) {
    Fixture f;
    auto store = f.store();
    int stops = 0;
    for (int i = 0; i < 2; ++i)
        created(store, "p" + std::to_string(i))->stop_handler = [&] { ++stops; };
    store.cancel_all();
    BOOST_TEST(stops == 2);
}

BOOST_AUTO_TEST_SUITE_END()
