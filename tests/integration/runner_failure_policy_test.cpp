// The failure policy of a run (on_failure): restarts with backoff and a burst limit,
// a fallback configuration, "default" leaving the kernel's own scheduler, and the cases
// where nothing may be started again (a stop on request, someone else's scheduler).
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"
#include "runner_fixture.hpp"

using namespace schedcp::test;
using namespace schedcp::test::runner_fixture;

namespace {

// The run's policy as get_execution_status shows it, once its state is `want` (polled;
// fails the test after 30 s).
bj::object wait_policy(McpClient& c, const std::string& id, const std::string& want) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (true) {
        bj::object st = ok(c.call("get_execution_status", {{"execution_id", id}}));
        BOOST_REQUIRE_MESSAGE(st.contains("failure_policy"), bj::serialize(st));
        const auto& p = st.at("failure_policy").as_object();
        if (p.at("state").as_string() == want) return p;
        BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                              "policy never reached " + want + ": " + bj::serialize(p));
        std::this_thread::sleep_for(50ms);
    }
}

std::vector<std::string> events(const bj::object& policy) {
    std::vector<std::string> out;
    for (const auto& h : policy.at("history").as_array())
        out.emplace_back(h.at("event").as_string());
    return out;
}

std::string detail(const bj::object& policy, std::size_t i) {
    return std::string(policy.at("history").at(i).at("detail").as_string());
}

const std::string kRestartLimits =
    "      restart_backoff_ms: 100\n      restart_backoff_max_ms: 250\n"
    "      restart_burst: 4\n      restart_burst_seconds: 600\n";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(runner_failure_policy, RunnerFixture)

BOOST_AUTO_TEST_CASE(restarts_back_off_and_give_up_after_the_burst_limit) {
    scheduler("scx_simple", "die_at_start=3\n");
    McpClient c(config("", kRestartLimits));
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}, {"on_failure", "restart"}}));
    BOOST_TEST(a.at("status").as_string() == "failed");
    const std::string id(a.at("execution_id").as_string());
    auto p = wait_policy(c, id, "gave_up");
    const std::vector<std::string> want{"failed",     "restarting", "restarted", "failed",
                                        "restarting", "restarted",  "failed",    "restarting",
                                        "restarted",  "failed",     "gave_up"};
    BOOST_TEST(events(p) == want, boost::test_tools::per_element());
    // Backoff doubles up to its cap.
    BOOST_TEST(detail(p, 1) == "in 100 ms");
    BOOST_TEST(detail(p, 4) == "in 200 ms");
    BOOST_TEST(detail(p, 7) == "in 250 ms");
    BOOST_TEST(detail(p, 10) == "gave up after 4 failures in 600 s");
    BOOST_TEST(p.at("execution_ids").as_array().size() == 4u);
    BOOST_TEST(p.at("current_execution_id") == p.at("execution_ids").at(3));
    // Every attempt is its own execution, showing the same history; the last says it gave up.
    auto last =
        ok(c.call("get_execution_status", {{"execution_id", p.at("current_execution_id")}}));
    BOOST_TEST(last.at("message").as_string().ends_with("; gave up after 4 failures in 600 s"),
               last.at("message").as_string());
    BOOST_TEST(ok(c.call("list_executions")).at("executions").as_array().size() == 4u);
    // ... and the log has each step.
    const std::string log = slurp(dir.file("data") + "/schedcp.log");
    BOOST_TEST(log.find("restarting scx_simple in 100 ms") != std::string::npos);
    BOOST_TEST(log.find("restarting scx_simple in 200 ms") != std::string::npos);
    BOOST_TEST(log.find("gave up after 4 failures in 600 s, not restarting it") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_ejected_scheduler_is_replaced_by_its_fallback) {
    scheduler("scx_qmap", "exit_after_ms=300\neject=runnable task stall\neject_message=t[1]\n");
    scheduler("scx_simple");
    McpClient c(config());
    c.initialize();
    auto a =
        ok(c.call("run_scheduler", {{"name", "scx_qmap"},
                                    {"on_failure", "fallback"},
                                    {"fallback", {{"name", "scx_simple"}, {"args", {"-f"}}}}}));
    BOOST_TEST(a.at("status").as_string() == "running");
    BOOST_TEST(a.at("failure_policy").at("fallback").at("name").as_string() == "scx_simple");
    auto p = wait_policy(c, std::string(a.at("execution_id").as_string()), "fell_back");
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (events(p).size() < 3 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50ms);
        p = wait_policy(c, std::string(a.at("execution_id").as_string()), "fell_back");
    }
    BOOST_TEST(events(p) == (std::vector<std::string>{"failed", "fallback", "fallback_started"}),
               boost::test_tools::per_element());
    BOOST_TEST(detail(p, 0).starts_with("ejected by the kernel: runnable task stall (t[1])"));
    // The fallback was started; wait until the kernel reports it enabled.
    bj::object fb =
        ok(c.call("get_execution_status", {{"execution_id", p.at("current_execution_id")}}));
    while (fb.at("status").as_string() == "starting" &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50ms);
        fb = ok(c.call("get_execution_status", {{"execution_id", p.at("current_execution_id")}}));
    }
    BOOST_TEST(fb.at("name").as_string() == "scx_simple");
    BOOST_TEST(fb.at("status").as_string() == "running");
    BOOST_TEST(bj::serialize(fb.at("args")) == R"(["-f"])");
    BOOST_TEST(state() == "enabled");
    BOOST_TEST(slurp(sysfs + "/root/ops") == "simple\n");
    // Stopping the run by its first id stops the fallback.
    auto s = ok(c.call("stop_scheduler", {{"execution_id", a.at("execution_id")}}));
    BOOST_TEST(s.at("name").as_string() == "scx_simple");
    BOOST_TEST(s.at("status").as_string() == "stopped");
    BOOST_TEST(state() == "disabled");
}

BOOST_AUTO_TEST_CASE(the_default_fallback_leaves_the_kernels_own_scheduler) {
    scheduler("scx_qmap", "exit_after_ms=200\nexit_code=2\n");
    McpClient c(config("", "      on_failure: fallback\n"));  // the setting, no argument
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_qmap"}}));
    auto p = wait_policy(c, std::string(a.at("execution_id").as_string()), "fell_back");
    BOOST_TEST(p.at("on_failure").as_string() == "fallback");
    BOOST_TEST(events(p) == (std::vector<std::string>{"failed", "fallback"}),
               boost::test_tools::per_element());
    BOOST_TEST(detail(p, 1) == "left the kernel's own scheduler (fallback: default)");
    BOOST_TEST(p.at("execution_ids").as_array().size() == 1u);
    BOOST_TEST(state() == "disabled");
}

BOOST_AUTO_TEST_CASE(a_stop_during_the_backoff_ends_the_run) {
    scheduler("scx_simple", "die_at_start=1\n");
    McpClient c(
        config("", "      restart_backoff_ms: 600000\n      restart_backoff_max_ms: 600000\n"));
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}, {"on_failure", "restart"}}));
    const std::string id(a.at("execution_id").as_string());
    wait_policy(c, id, "backing_off");
    auto s = ok(c.call("stop_scheduler", {{"execution_id", id}}));
    BOOST_TEST(s.at("failure_policy").at("state").as_string() == "ended");
    auto p = s.at("failure_policy").as_object();
    BOOST_TEST(events(p).back() == "stopped");
    BOOST_TEST(ok(c.call("list_executions")).at("executions").as_array().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_scheduler_someone_else_loaded_meanwhile_is_left_alone) {
    scheduler("scx_simple", "exit_after_ms=200\nexit_code=1\nleave_loaded=other\n");
    McpClient c(config("", kRestartLimits));
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}, {"on_failure", "restart"}}));
    auto p = wait_policy(c, std::string(a.at("execution_id").as_string()), "ended");
    BOOST_TEST(events(p) == (std::vector<std::string>{"failed", "not_restarted"}),
               boost::test_tools::per_element());
    BOOST_TEST(detail(p, 1).starts_with("sched_ext has 'other' loaded (state enabled), not by "
                                        "this server"),
               detail(p, 1));
    BOOST_TEST(p.at("execution_ids").as_array().size() == 1u);
}

BOOST_AUTO_TEST_CASE(cli_run_follows_restarts_and_the_fallback) {
    scheduler("scx_simple", "die_at_start=4\n");
    scheduler("scx_qmap", "die_at_start=5\n");
    const std::string cfg = config("",
                                   "      restart_backoff_ms: 10\n      restart_burst: 2\n"
                                   "      restart_burst_seconds: 600\n");
    auto r = run({schedcp::test::bin("schedcp-cli"), "--config", cfg, "run", "scx_simple",
                  "--on-failure", "restart"});
    BOOST_TEST(r.status == 4, r.out + r.err);
    BOOST_TEST(r.out.find("Now scx_simple as execution sched_") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("gave up after 2 failures in 600 s") != std::string::npos, r.out);

    r = run({schedcp::test::bin("schedcp-cli"), "--config", cfg, "run", "scx_simple",
             "--on-failure", "fallback", "--fallback", "scx_qmap"});
    BOOST_TEST(r.status == 5, r.out + r.err);  // the fallback's own exit code
    BOOST_TEST(r.out.find("Now scx_qmap as execution sched_") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(policy_arguments_are_checked) {
    scheduler("scx_simple");
    McpClient c(config());
    c.initialize();
    std::string e = error_text(
        c.call("run_scheduler", {{"name", "scx_simple"}, {"fallback", {{"name", "scx_qmap"}}}}));
    BOOST_TEST(
        e.find("fallback is used only with on_failure: fallback (here: none)") != std::string::npos,
        e);
    e = error_text(c.call("run_scheduler", {{"name", "scx_simple"},
                                            {"on_failure", "fallback"},
                                            {"fallback", {{"name", "scx_nope"}}}}));
    BOOST_TEST(e.find("unknown fallback scheduler 'scx_nope'") != std::string::npos, e);
    e = error_text(c.call("run_scheduler", {{"name", "scx_simple"}, {"on_failure", "sometimes"}}));
    BOOST_TEST(e.find("on_failure") != std::string::npos, e);
    BOOST_TEST(state() == "disabled");
}

BOOST_AUTO_TEST_SUITE_END()
