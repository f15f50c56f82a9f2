// tools/list and tools/call over the real server: revision-dependent fields,
// structured results, concurrency, cancellation, progress, batches, limits.
#include <map>
#include <set>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"

using namespace schedcp::test;

namespace {

const bj::object* find_tool(const bj::object& list_response, const std::string& name) {
    for (const auto& t : list_response.at("result").at("tools").as_array())
        if (t.at("name").as_string() == name) return &t.as_object();
    return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mcp_tools)

BOOST_AUTO_TEST_CASE(catalog_only_config_serves_only_list_schedulers) {
    TempDir dir;
    McpClient c(write_config(dir, "  - name: catalog\n"));
    c.initialize();
    auto r = c.request("tools/list");
    const auto& tools = r.at("result").at("tools").as_array();
    BOOST_REQUIRE(tools.size() == 1u);
    BOOST_TEST(tools[0].at("name").as_string() == "list_schedulers");
    BOOST_TEST(tools[0].at("inputSchema").at("type").as_string() == "object");
    BOOST_TEST(!r.at("result").as_object().contains("nextCursor"));
}

BOOST_AUTO_TEST_CASE(tool_fields_follow_the_negotiated_revision) {
    TempDir dir;
    std::string cfg = write_config(dir, "  - name: catalog\n");
    {
        McpClient c(cfg);
        c.initialize("2024-11-05");
        auto list = c.request("tools/list");
        auto t = find_tool(list, "list_schedulers");
        BOOST_REQUIRE(t);
        BOOST_TEST(!t->contains("title"));
        BOOST_TEST(!t->contains("annotations"));
        BOOST_TEST(!t->contains("outputSchema"));
        auto r = c.call("list_schedulers", {{"name", "simple"}});
        BOOST_TEST(!r.at("result").as_object().contains("structuredContent"));
        BOOST_TEST(r.at("result").at("content").at(0).at("text").as_string().find("scx_simple") !=
                   std::string::npos);
    }
    {
        McpClient c(cfg);
        c.initialize("2025-03-26");
        auto list = c.request("tools/list");
        auto t = find_tool(list, "list_schedulers");
        BOOST_TEST(!t->contains("title"));
        BOOST_TEST(t->at("annotations").at("title").as_string() == "List sched_ext schedulers");
        BOOST_TEST(t->at("annotations").at("readOnlyHint").as_bool());
        BOOST_TEST(!t->contains("outputSchema"));
    }
    for (const char* v : {"2025-06-18", "2025-11-25"}) {
        McpClient c(cfg);
        c.initialize(v);
        auto list = c.request("tools/list");
        auto t = find_tool(list, "list_schedulers");
        BOOST_TEST(t->at("title").as_string() == "List sched_ext schedulers");
        BOOST_TEST(!t->at("annotations").as_object().contains("title"));
        BOOST_TEST(t->at("outputSchema").at("type").as_string() == "object");
        auto r = c.call("list_schedulers", {{"name", "simple"}});
        const auto& sc = r.at("result").at("structuredContent");
        BOOST_TEST(sc.at("count").as_int64() == 1);
        // The text content carries the same JSON.
        BOOST_TEST(bj::parse(r.at("result").at("content").at(0).at("text").as_string()) == sc);
    }
}

BOOST_AUTO_TEST_CASE(list_schedulers_filters) {
    TempDir dir;
    McpClient c(write_config(dir, "  - name: catalog\n"));
    c.initialize();
    auto all = c.call("list_schedulers").at("result").at("structuredContent");
    auto ready = c.call("list_schedulers", {{"production_ready", true}})
                     .at("result")
                     .at("structuredContent");
    auto not_ready = c.call("list_schedulers", {{"production_ready", false}})
                         .at("result")
                         .at("structuredContent");
    BOOST_TEST(all.at("count").as_int64() ==
               ready.at("count").as_int64() + not_ready.at("count").as_int64());
    BOOST_TEST(all.at("count").as_int64() >= 25);
    // SchedCP clients send "" for "no filter".
    auto lenient = c.call("list_schedulers", {{"name", ""}, {"production_ready", ""}}).at("result");
    BOOST_TEST(!lenient.at("isError").as_bool());
    BOOST_TEST(lenient.at("structuredContent").at("count") == all.at("count"));
    auto rusty =
        c.call("list_schedulers", {{"name", "RuSty"}}).at("result").at("structuredContent");
    BOOST_REQUIRE(rusty.at("count").as_int64() == 1);
    const auto& s = rusty.at("schedulers").at(0).as_object();
    for (const char* k :
         {"name", "production_ready", "description", "algorithm", "use_cases", "characteristics",
          "tuning_parameters", "limitations", "performance_profile", "installed", "path", "origin"})
        BOOST_TEST(s.contains(k), k);
    BOOST_TEST(s.at("tuning_parameters").at("slice_us_underutil").at("flag").as_string() ==
               "--slice-us-underutil");
}

// A tool's answer from memory (sdk::ReadyAnswer) is the call's answer; a declined call
// runs the handler; errors, batches and ids are treated as for any call.
BOOST_AUTO_TEST_CASE(ready_answers_or_the_handler) {
    TempDir dir;
    const std::string cfg = write_config(dir, "  - name: testplug\n");
    McpClient c(cfg);
    c.initialize();
    auto from = [&](const char* key) {
        auto r = c.call("recall", {{"key", key}}).at("result").as_object();
        BOOST_TEST(!r.at("isError").as_bool(), key);
        BOOST_TEST(r.at("structuredContent").at("key").as_string() == key);
        // The text is the structured value as JSON, whichever answered.
        BOOST_TEST(bj::parse(r.at("content").at(0).at("text").as_string()) ==
                   r.at("structuredContent"));
        return std::string(r.at("structuredContent").at("from").as_string());
    };
    BOOST_TEST(from("a") == "memory");
    BOOST_TEST(from("zz") == "handler");
    BOOST_TEST(from("b") == "memory");

    // (An error carries no structuredContent here: the tool has an outputSchema and this
    // is a 2025 revision; see wants_structured.)
    auto boom = c.call("recall", {{"key", "boom"}}).at("result").as_object();
    BOOST_TEST(boom.at("isError").as_bool());
    BOOST_TEST(boom.at("content").at(0).at("text").as_string() == "boom from memory");
    auto bad = c.call("recall", {{"key", 5}}).at("result").as_object();
    BOOST_TEST(bad.at("isError").as_bool());
    BOOST_TEST(bad.at("content").at(0).at("text").as_string().starts_with(
        "invalid arguments for tool 'recall'"));

    // While a call runs: its id is refused, another id is answered before it finishes.
    c.send_raw(
        R"({"jsonrpc":"2.0","id":"s","method":"tools/call","params":{"name":"sleep","arguments":{"ms":800}}})");
    c.send_raw(
        R"({"jsonrpc":"2.0","id":"s","method":"tools/call","params":{"name":"recall","arguments":{"key":"a"}}})");
    auto dup = c.next();
    BOOST_REQUIRE(dup.has_value());
    BOOST_TEST(dup->at("error").at("code").as_int64() == -32600);
    c.send_raw(
        R"({"jsonrpc":"2.0","id":"r","method":"tools/call","params":{"name":"recall","arguments":{"key":"a"}}})");
    auto first = c.next();
    BOOST_REQUIRE(first.has_value());
    BOOST_TEST(first->at("id").as_string() == "r");
    BOOST_TEST(c.response(bj::value("s")).has_value());

    // In a 2025-03-26 batch, with the other replies.
    McpClient old(cfg);
    old.initialize("2025-03-26");
    old.send_raw(
        R"([{"jsonrpc":"2.0","id":1,"method":"ping"},)"
        R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"recall","arguments":{"key":"b"}}},)"
        R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"recall","arguments":{"key":"q"}}}])");
    auto batch = old.next();
    BOOST_REQUIRE(batch.has_value());
    BOOST_REQUIRE(batch->is_array());
    std::map<std::int64_t, std::string> answered;  // 2025-03-26 has no structuredContent
    for (const auto& r : batch->as_array()) {
        const auto& result = r.at("result").as_object();
        const auto* content = result.if_contains("content");
        answered[r.at("id").as_int64()] =
            content ? std::string(
                          bj::parse(content->at(0).at("text").as_string()).at("from").as_string())
                    : "-";
    }
    BOOST_TEST((answered == std::map<std::int64_t, std::string>{{1, "-"}, {2, "memory"}, {3, "handler"}}));
}

// list_schedulers' first call goes to its handler (the host's fit is read then), later ones
// are answered from memory: the same answer either way.
BOOST_AUTO_TEST_CASE(list_schedulers_answers_alike_from_its_handler_and_from_memory) {
    TempDir dir;
    McpClient c(write_config(dir, "  - name: catalog\n  - name: runner\n"));
    c.initialize();
    const bj::object args{{"name", "la"}};
    const auto first = c.call("list_schedulers", args).at("result");
    const auto second = c.call("list_schedulers", args).at("result");
    BOOST_TEST(first.at("structuredContent").at("count").as_int64() >= 2);
    BOOST_TEST(first == second);
}

BOOST_AUTO_TEST_CASE(requests_run_concurrently) {
    TempDir dir;
    McpClient c(write_config(dir, "  - name: testplug\n"));
    c.initialize();
    c.send_raw(
        R"({"jsonrpc":"2.0","id":"slow","method":"tools/call","params":{"name":"sleep","arguments":{"ms":1500}}})");
    c.send_raw(
        R"({"jsonrpc":"2.0","id":"fast","method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}})");
    auto first = c.next(std::chrono::seconds(5));
    BOOST_REQUIRE(first);
    BOOST_TEST(first->at("id").as_string() == "fast");
    BOOST_TEST(c.response(bj::value("slow")).has_value());
}

BOOST_AUTO_TEST_CASE(cancellation_stops_the_call_and_sends_no_response) {
    TempDir dir;
    McpClient c(write_config(dir, "  - name: testplug\n"));
    c.initialize();
    c.send_raw(
        R"({"jsonrpc":"2.0","id":"long","method":"tools/call","params":{"name":"sleep","arguments":{"ms":30000}}})");
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    c.notify("notifications/cancelled", {{"requestId", "long"}, {"reason", "user pressed stop"}});
    c.notify("notifications/cancelled", {{"requestId", "never-sent"}});  // ignored
    BOOST_TEST(!c.response(bj::value("long"), std::chrono::milliseconds(700)).has_value());
    // The cancelled sleep never completed: the next one is the first to finish.
    auto r = c.call("sleep", {{"ms", 10}});
    BOOST_TEST(r.at("result").at("structuredContent").at("completed_sleeps").as_int64() == 1);
}

BOOST_AUTO_TEST_CASE(progress_notifications_precede_the_result) {
    TempDir dir;
    std::string cfg = write_config(dir, "  - name: testplug\n");
    for (const char* v : {"2025-11-25", "2024-11-05"}) {
        McpClient c(cfg);
        c.initialize(v);
        c.send_raw(
            R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"sleep","arguments":{"ms":350},"_meta":{"progressToken":"tok"}}})");
        double last = 0;
        int count = 0;
        while (true) {
            auto m = c.next(std::chrono::seconds(5));
            BOOST_REQUIRE(m);
            if (m->as_object().contains("id")) break;
            BOOST_TEST(m->at("method").as_string() == "notifications/progress");
            const auto& p = m->at("params").as_object();
            BOOST_TEST(p.at("progressToken").as_string() == "tok");
            BOOST_TEST(p.at("progress").as_double() > last);
            BOOST_TEST(p.at("total").as_double() == 350.0);
            BOOST_TEST(p.contains("message") ==
                       (std::string(v) != "2024-11-05"));  // message came in 2025-03-26
            last = p.at("progress").as_double();
            ++count;
        }
        BOOST_TEST(count == 4);
        BOOST_TEST(
            !c.next(std::chrono::milliseconds(300)).has_value());  // nothing after the result
    }
}

BOOST_AUTO_TEST_CASE(batches_in_2025_03_26_only) {
    TempDir dir;
    std::string cfg = write_config(dir, "  - name: testplug\n");
    McpClient c(cfg);
    c.initialize("2025-03-26");
    c.send_raw(
        R"([{"jsonrpc":"2.0","id":1,"method":"ping"},)"
        R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"sleep","arguments":{"ms":50}}},)"
        R"({"jsonrpc":"2.0","method":"notifications/initialized"},)"
        R"({"jsonrpc":"2.0","id":3,"method":"nope"}])");
    auto v = c.next();
    BOOST_REQUIRE(v);
    BOOST_REQUIRE(v->is_array());
    BOOST_TEST(v->as_array().size() == 3u);
    std::set<std::int64_t> ids;
    for (const auto& r : v->as_array()) ids.insert(r.at("id").as_int64());
    BOOST_TEST((ids == std::set<std::int64_t>{1, 2, 3}));
    c.send_raw(
        R"([{"jsonrpc":"2.0","id":9,"method":"initialize","params":{"protocolVersion":"2025-03-26"}}])");
    v = c.next();
    BOOST_TEST(v->as_array().at(0).at("error").at("code").as_int64() == -32600);
    c.send_raw(
        R"([{"jsonrpc":"2.0","method":"notifications/initialized"}])");  // only notifications: no
                                                                         // reply
    BOOST_TEST(c.request("ping").contains("result"));

    McpClient newer(cfg);
    newer.initialize("2025-06-18");
    newer.send_raw(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])");
    BOOST_TEST(newer.next()->at("error").at("code").as_int64() == -32600);
}

BOOST_AUTO_TEST_CASE(concurrency_limit_and_duplicate_ids) {
    TempDir dir;
    McpClient c(
        write_config(dir, "  - name: testplug\n", "server: {max_concurrent_requests: 2}\n"));
    c.initialize();
    c.send_raw(
        R"({"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"sleep","arguments":{"ms":800}}})");
    c.send_raw(
        R"({"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"sleep","arguments":{"ms":10}}})");
    auto dup = c.next();
    BOOST_TEST(dup->at("error").at("code").as_int64() == -32600);
    c.send_raw(
        R"({"jsonrpc":"2.0","id":"b","method":"tools/call","params":{"name":"sleep","arguments":{"ms":800}}})");
    c.send_raw(
        R"({"jsonrpc":"2.0","id":"c","method":"tools/call","params":{"name":"sleep","arguments":{"ms":800}}})");
    auto busy = c.response(bj::value("c"));
    // Outside JSON-RPC's reserved range (2026-07-28 "Error Codes"); was -32000.
    BOOST_TEST(busy->at("error").at("code").as_int64() == -31000);
    BOOST_TEST(busy->at("error").at("message").as_string().find("server busy") == 0u);
    BOOST_TEST(c.response(bj::value("a")).has_value());
    BOOST_TEST(c.response(bj::value("b")).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
