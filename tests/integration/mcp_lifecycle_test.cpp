// The 2025-era life cycle against the real server: initialize and version negotiation,
// ordering rules, shutdown on EOF and signals, logging.
#include <signal.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"

using namespace schedcp::test;

namespace {}  // namespace

BOOST_AUTO_TEST_SUITE(mcp_lifecycle)

BOOST_AUTO_TEST_CASE(negotiates_each_supported_version_else_the_latest) {
    TempDir dir;
    std::string cfg = write_config(dir, "  - name: catalog\n");
    for (const char* v : {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}) {
        McpClient c(cfg);
        auto r = c.initialize(v);
        BOOST_TEST(r.at("result").at("protocolVersion").as_string() == v);
    }
    for (const char* v : {"2099-01-01", "2026-07-28", "1.0"}) {
        McpClient c(cfg);
        auto r = c.initialize(v);
        BOOST_TEST(r.at("result").at("protocolVersion").as_string() == "2025-11-25", v);
    }
    McpClient c(cfg);
    auto r = c.initialize("2025-06-18");
    const auto& res = r.at("result").as_object();
    BOOST_TEST(res.at("serverInfo").at("name").as_string() == "schedcp");
    BOOST_TEST(res.at("serverInfo").as_object().contains("title"));
    BOOST_TEST(res.at("capabilities").at("tools").is_object());
    BOOST_TEST(res.at("instructions").as_string().find("list_schedulers") != std::string::npos);
    McpClient old(cfg);
    r = old.initialize("2024-11-05");
    BOOST_TEST(
        !r.at("result").at("serverInfo").as_object().contains("title"));  // added in 2025-06-18
}

// The instructions are assembled from what each loaded plugin says, in plugin order: a
// tool whose plugin is not loaded is never advertised.
BOOST_AUTO_TEST_CASE(instructions_name_only_the_loaded_plugins_tools) {
    TempDir dir;
    McpClient few(write_config(dir, "  - name: catalog\n  - name: testplug\n"));
    std::string text(few.initialize().at("result").at("instructions").as_string());
    BOOST_TEST(text.find("schedcp manages Linux sched_ext CPU schedulers.") == 0u, text);
    BOOST_TEST(text.find("list_schedulers shows what exists") != std::string::npos, text);
    for (const char* absent : {"system_monitor", "workload", "create_and_verify_scheduler",
                               "run_scheduler", "stop_scheduler"})
        BOOST_TEST(text.find(absent) == std::string::npos, absent << " in: " << text);

    McpClient all(write_config(dir,
                               "  - name: catalog\n  - name: runner\n  - name: compiler\n"
                               "  - name: workloads\n  - name: monitor\n"));
    text = all.initialize().at("result").at("instructions").as_string();
    std::size_t last = 0;
    for (const char* sentence :
         {"list_schedulers shows", "run_scheduler loads one", "create_and_verify_scheduler writes",
          "workload records", "system_monitor start/stop", "Tools on this server:"}) {
        std::size_t at = text.find(sentence);
        BOOST_TEST((at != std::string::npos && at >= last), sentence << " in order in: " << text);
        if (at != std::string::npos) last = at;
    }
}

BOOST_AUTO_TEST_CASE(ordering_rules) {
    TempDir dir;
    McpClient c(write_config(dir, "  - name: catalog\n"));
    BOOST_TEST(
        c.request("ping").at("result").as_object().empty());  // ping is fine before initialize
    auto early = c.request("tools/list");
    BOOST_TEST(early.at("error").at("code").as_int64() == -32600);
    BOOST_TEST(early.at("error").at("message").as_string().find("not initialized") == 0u);
    auto bad = c.request("initialize", {{"capabilities", bj::object{}}});
    BOOST_TEST(bad.at("error").at("code").as_int64() == -32602);
    c.initialize();
    auto again = c.initialize();
    BOOST_TEST(again.at("error").at("code").as_int64() == -32600);
    BOOST_TEST(c.request("tools/list").contains("result"));
}

BOOST_AUTO_TEST_CASE(eof_answers_what_was_sent_then_stops_plugins_and_exits_0) {
    TempDir dir;
    const std::string m = dir.file("marker");
    McpClient c(write_config(dir, "  - name: lifecycle\n    settings: {marker_file: " + m +
                                      "}\n  - name: testplug\n    settings: {marker_file: " + m +
                                      "}\n"));
    c.initialize();
    c.send_raw(
        R"({"jsonrpc":"2.0","id":"slow","method":"tools/call","params":{"name":"sleep","arguments":{"ms":400}}})");
    c.send_raw(R"({"jsonrpc":"2.0","id":"last","method":"ping"})");
    c.process().close_stdin();
    BOOST_TEST(c.response(bj::value("last")).has_value());
    auto slow = c.response(bj::value("slow"));
    BOOST_REQUIRE(slow.has_value());
    BOOST_TEST(slow->at("result").at("structuredContent").at("slept_ms").as_int64() == 400);
    BOOST_TEST(c.process().wait(std::chrono::seconds(10)).value_or(-1) == 0);
    BOOST_TEST(slurp(m) ==
               "setup lifecycle\nsetup testplug\nstart lifecycle\nstart testplug\nstop "
               "testplug\nstop lifecycle\n");
}

BOOST_AUTO_TEST_CASE(sigterm_and_sigint_shut_down_cleanly) {
    for (int sig : {SIGTERM, SIGINT}) {
        TempDir dir;
        const std::string m = dir.file("marker");
        McpClient c(
            write_config(dir, "  - name: testplug\n    settings: {marker_file: " + m + "}\n"));
        c.initialize();
        c.send_raw(
            R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"sleep","arguments":{"ms":60000}}})");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        c.process().kill(sig);
        BOOST_TEST(c.process().wait(std::chrono::seconds(5)).value_or(-1) == 0);
        BOOST_TEST(slurp(m).find("stop testplug") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(logs_go_to_the_log_file_never_stdout) {
    TempDir dir;
    {
        McpClient c(write_config(dir, "  - name: testplug\n"));
        c.initialize();
        c.call("log", {{"message", "written to the file"}});
        c.process().close_stdin();
        BOOST_TEST(c.process().wait().value_or(-1) == 0);
        // Every stdout line was JSON (McpClient checks), and nothing is left over.
        BOOST_TEST(!c.next(std::chrono::milliseconds(200)).has_value());
    }
    std::string log = slurp(dir.file("data/schedcp.log"));
    BOOST_TEST(log.find("[warning] testplug: written to the file") != std::string::npos, log);
    BOOST_TEST(log.find("MCP server ready on stdio") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(set_level_forwards_log_records_as_notifications) {
    TempDir dir;
    McpClient c(write_config(dir, "  - name: testplug\n"));
    c.initialize();
    auto bad = c.request("logging/setLevel", {{"level", "loud"}});
    BOOST_TEST(bad.at("error").at("code").as_int64() == -32602);
    BOOST_TEST(c.request("logging/setLevel", {{"level", "warning"}}).contains("result"));
    c.call("log", {{"message", "hello \x1b[31mclient"}});
    bool seen = false;
    for (const auto& n : c.notifications())
        if (n.at("method") == "notifications/message") {
            BOOST_TEST(n.at("params").at("level").as_string() == "warning");
            BOOST_TEST(n.at("params").at("logger").as_string() == "testplug");
            BOOST_TEST(n.at("params").at("data").as_string() ==
                       "hello client");  // escapes stripped
            seen = true;
        }
    BOOST_TEST(seen);
}

BOOST_AUTO_TEST_SUITE_END()
