// The workloads plugin through the real binaries: the history survives restarts, the CLI
// sees what the server wrote, SIGKILL during a stream of add_history loses no
// acknowledged entry, and a corrupt store is reported and kept.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"

namespace fs = std::filesystem;
using namespace schedcp::test;
using namespace std::chrono_literals;

namespace {

struct WorkloadFixture {
    TempDir dir;
    std::string cfg =
        write_config(dir, "  - name: catalog\n  - name: runner\n  - name: workloads\n");
    std::string store = dir.file("data/workloads/schedcp_workloads.json");

    bj::object ok(const bj::object& r) {
        BOOST_REQUIRE_MESSAGE(r.contains("result") && !r.at("result").at("isError").as_bool(),
                              bj::serialize(r));
        last_text = r.at("result").at("content").at(0).at("text").as_string();
        return r.at("result").at("structuredContent").as_object();
    }
    std::string last_text;  // the text content of the last ok() result
    RunResult cli(std::vector<std::string> args) {
        args.insert(args.begin(), {bin("schedcp-cli"), "--config", cfg});
        return run(args);
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(workloads, WorkloadFixture)

// `delete` erases a profile and its history: clients are told the tool can destroy data.
BOOST_AUTO_TEST_CASE(tools_list_reports_workload_as_destructive) {
    McpClient c(cfg);
    c.initialize();
    auto list = c.request("tools/list");
    bool found = false;
    for (const auto& t : list.at("result").at("tools").as_array()) {
        if (t.at("name") != "workload") continue;
        found = true;
        BOOST_TEST(t.at("annotations").at("destructiveHint").as_bool());
        BOOST_TEST(!t.at("annotations").at("readOnlyHint").as_bool());
    }
    BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(history_survives_a_restart_and_the_cli_sees_it) {
    std::string id;
    {
        McpClient c(cfg);
        c.initialize();
        auto created =
            ok(c.call("workload", {{"command", "create"},
                                   {"description", "nginx at 2k req/s, latency sensitive"}}));
        id = created.at("workload_id").as_string();
        BOOST_TEST(created.at("message").as_string() == "Workload profile '" + id + "' created");
        auto added = ok(c.call("workload", {{"command", "add_history"},
                                            {"workload_id", id},
                                            {"execution_id", "sched_0badc0de"},
                                            {"scheduler", "scx_rusty"},
                                            {"args", bj::array{"--slice-us-underutil", "30000"}},
                                            {"result_description", "p99 19.1 ms"},
                                            {"metrics", {{"p99_ms", 19.1}, {"rps", 1452}}}}));
        BOOST_TEST(added.at("message").as_string() == "Execution history added");
        // Numbers as a person writes them, in the text a client shows (not 1.91E1).
        BOOST_TEST(last_text.find("\"p99_ms\":19.1") != std::string::npos, last_text);
        BOOST_TEST(last_text.find("E1") == std::string::npos, last_text);
        c.process().close_stdin();
        BOOST_TEST(c.process().wait().value_or(-1) == 0);
    }
    {
        McpClient c(cfg);
        c.initialize();
        auto h = ok(c.call("workload", {{"command", "get_history"}, {"workload_id", id}}));
        BOOST_REQUIRE(h.at("history").as_array().size() == 1u);
        BOOST_TEST(h.at("history").at(0).at("scheduler_name").as_string() == "scx_rusty");
        BOOST_TEST(h.at("history").at(0).at("metrics").at("p99_ms").as_double() == 19.1);
        auto bad = c.call("workload", {{"command", "get_history"}, {"workload_id", "nope"}});
        BOOST_TEST(bad.at("result").at("isError").as_bool());
        BOOST_TEST(bad.at("result").at("content").at(0).at("text").as_string().find(
                       "Workload profile 'nope' not found") == 0u);
        auto unknown = c.call("workload", {{"command", "frobnicate"}});
        BOOST_TEST(unknown.at("result").at("isError").as_bool());
    }
    auto r = cli({"workload", "history", id});
    BOOST_TEST(r.status == 0, r.err);
    BOOST_TEST(r.out.find("sched_0badc0de") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("p99_ms=19.1") != std::string::npos);
    r = cli({"workload", "history", id, "--json"});
    BOOST_TEST(r.out.find("\"p99_ms\": 19.1") != std::string::npos, r.out);
    r = cli({"workload", "list", "--json"});
    BOOST_TEST(r.out.find(id) != std::string::npos);
    r = cli({"workload", "recommend", id, "--metric", "p99_ms", "--goal", "min"});
    BOOST_TEST(r.status == 0, r.err);
    BOOST_TEST(r.out.find("1     scx_rusty") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(the_runner_supplies_scheduler_and_args_of_its_executions) {
    McpClient c(cfg);
    c.initialize();
    std::string id(ok(c.call("workload", {{"command", "create"}, {"description", "x"}}))
                       .at("workload_id")
                       .as_string());
    // SchedCP's three fields for a run this server does not know: recorded, scheduler unknown.
    auto unknown = ok(c.call("workload", {{"command", "add_history"},
                                          {"workload_id", id},
                                          {"execution_id", "sched_unknown"},
                                          {"result_description", "r"}}));
    BOOST_TEST(unknown.at("entry").at("scheduler_name").as_string() == "unknown");
    BOOST_TEST(unknown.at("message").as_string().find(
                   "execution 'sched_unknown' is not known to this server") != std::string::npos);
    // get_history: insertion order (oldest first), as SchedCP returns it.
    ok(c.call("workload", {{"command", "add_history"},
                           {"workload_id", id},
                           {"execution_id", "sched_second"},
                           {"scheduler", "scx_rusty"},
                           {"result_description", "r2"}}));
    auto h = ok(c.call("workload", {{"command", "get_history"}, {"workload_id", id}}));
    BOOST_REQUIRE(h.at("history").as_array().size() == 2u);
    BOOST_TEST(h.at("history").at(0).at("execution_id").as_string() == "sched_unknown");
    BOOST_TEST(h.at("history").at(1).at("execution_id").as_string() == "sched_second");
}

BOOST_AUTO_TEST_CASE(sigkill_during_add_history_loses_no_acknowledged_entry) {
    std::string id;
    {
        McpClient c(cfg);
        c.initialize();
        id = ok(c.call("workload", {{"command", "create"}, {"description", "crash test"}}))
                 .at("workload_id")
                 .as_string();
    }
    McpClient c(cfg);
    c.initialize();
    std::set<std::string> acked;
    // Keep several requests in flight, and kill the server in the middle of the stream.
    int next = 0;
    auto send = [&] {
        bj::object params{{"name", "workload"},
                          {"arguments",
                           {{"command", "add_history"},
                            {"workload_id", id},
                            {"execution_id", "e" + std::to_string(next)},
                            {"scheduler", "scx_simple"},
                            {"result_description", "run " + std::to_string(next)}}}};
        c.send(bj::object{
            {"jsonrpc", "2.0"}, {"id", next++}, {"method", "tools/call"}, {"params", params}});
    };
    for (int i = 0; i < 4; ++i) send();
    while (acked.size() < 60) {
        auto m = c.next(10s);
        BOOST_REQUIRE(m);
        if (!m->as_object().contains("id")) continue;
        BOOST_REQUIRE_MESSAGE(!m->at("result").at("isError").as_bool(), bj::serialize(*m));
        acked.insert(
            std::string(m->at("result").at("structuredContent").at("history_id").as_string()));
        send();
    }
    c.process().kill(SIGKILL);
    c.process().wait(5s);
    boost::system::error_code ec;
    auto root = bj::parse(slurp(store), ec);
    BOOST_REQUIRE_MESSAGE(!ec, "the store is not valid JSON after SIGKILL");
    std::set<std::string> stored;
    for (const auto& e : root.at("history").as_array())
        stored.insert(std::string(e.at("id").as_string()));
    for (const auto& a : acked)
        BOOST_TEST(stored.count(a) == 1u, "acknowledged entry " << a << " is missing");
    BOOST_TEST(stored.size() >= acked.size());
}

BOOST_AUTO_TEST_CASE(a_corrupt_store_is_reported_and_kept) {
    fs::create_directories(dir.file("data/workloads"));
    std::ofstream(store) << "this is not json";
    McpClient c(cfg);
    c.initialize();
    auto r = c.call("workload", {{"command", "list"}});
    BOOST_TEST(r.at("result").at("isError").as_bool());
    std::string text(r.at("result").at("content").at(0).at("text").as_string());
    BOOST_TEST(text.find("the workload store " + store + " is corrupt") == 0u, text);
    auto at = text.find("moved, untouched, to ");
    BOOST_REQUIRE(at != std::string::npos);
    std::string kept = text.substr(at + 21, text.find(';', at) - at - 21);
    BOOST_TEST(slurp(kept) == "this is not json");
    BOOST_TEST(ok(c.call("workload", {{"command", "list"}})).at("profiles").as_array().empty());
}

BOOST_AUTO_TEST_CASE(a_store_the_user_may_only_read_can_be_listed) {
    // Written by root; read by an unprivileged user who may not write there (reads take a
    // shared lock, or none where no lock file can exist).
    auto created = cli({"workload", "create", "shared profile", "--name", "shared"});
    BOOST_REQUIRE_MESSAGE(created.status == 0, created.err);
    ::chmod(dir.path().c_str(), 0755);
    ::chmod(dir.file("data").c_str(), 0755);
    ::chmod(dir.file("data/workloads").c_str(), 0755);
    ::chmod(store.c_str(), 0644);
    fs::create_directories(dir.file("nobody"));
    ::chown(dir.file("nobody").c_str(), 65534, 65534);
    std::string ro_cfg =
        dir.write("readonly.yaml", "data_dir: " + dir.file("data") +
                                       "\nlog: {file: " + dir.file("nobody/schedcp.log") +
                                       "}\nplugins:\n  - name: workloads\n");
    auto as_nobody = [&] {
        return run({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    bin("schedcp-cli"), "--config", ro_cfg, "workload", "list", "--json"});
    };
    for (bool with_lock_file : {true, false}) {
        if (!with_lock_file) fs::remove(store + ".lock");
        auto r = as_nobody();
        BOOST_TEST(r.status == 0, "lock file " << with_lock_file << ": " << r.err);
        BOOST_TEST(r.out.find("shared profile") != std::string::npos, r.out);
    }
}

BOOST_AUTO_TEST_SUITE_END()
