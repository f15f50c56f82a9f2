// What `schedcp-cli switch` reads from another schedcp process (plugins/runner/takeover.hpp):
// the configuration in its schedcp-guard's command line, whether it is a foreground run that
// may be asked to end, and the refusals for anything else.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "runner/takeover.hpp"
#include "schedcp/sdk/error.hpp"

namespace mgr = schedcp::sdk::sched_ext;
namespace runner = schedcp::plugins::runner;

namespace {

mgr::ProcessFacts proc(int pid, std::string comm, std::vector<std::string> argv) {
    return mgr::ProcessFacts{.pid = pid, .comm = std::move(comm), .argv = std::move(argv)};
}

mgr::Manager other_schedcp(mgr::ProcessFacts owner) {
    mgr::Manager m;
    m.kind = mgr::ManagerKind::schedcp;
    m.summary = "another schedcp process";
    m.holder = proc(900, "scx_simple", {"/usr/bin/scx_simple", "-f"});
    m.guard = proc(899, "schedcp-guard",
                   {"/usr/lib/schedcp/libexec/schedcp-guard", "--policy", "/etc/p", "--scheduler",
                    "scx_simple", "--", "-f"});
    m.owner = std::move(owner);
    m.unit = "schedcp-default.service";
    return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(runner_takeover)

BOOST_AUTO_TEST_CASE(the_guards_command_line_says_what_runs) {
    auto c = runner::guard_launch_config({"schedcp-guard", "--int-timeout-ms", "5", "--policy", "p",
                                          "--scheduler", "scx_lavd", "--", "--performance"});
    BOOST_REQUIRE(c);
    BOOST_TEST(c->name == "scx_lavd");
    BOOST_TEST((*c->args == std::vector<std::string>{"--performance"}));
    auto custom = runner::guard_launch_config({"schedcp-guard", "--custom", "mine", "--"});
    BOOST_REQUIRE(custom);
    BOOST_TEST(custom->name == "mine");
    BOOST_TEST(custom->args->empty());
    BOOST_TEST(!runner::guard_launch_config({"schedcp-guard", "--", "--scheduler", "x"}));
    BOOST_TEST(!runner::guard_launch_config({"schedcp-guard", "--scheduler", "x", "y"}));
    BOOST_TEST(!runner::guard_launch_config({"schedcp-guard", "--scheduler"}));
}

BOOST_AUTO_TEST_CASE(only_foreground_runs_are_taken_over) {
    BOOST_TEST(runner::is_foreground_run(proc(5, "schedcp-cli", {"schedcp-cli", "run", "x"})));
    BOOST_TEST(runner::is_foreground_run(
        proc(5, "schedcp-cli", {"schedcp-cli", "--config", "run", "default", "run"})));
    BOOST_TEST(!runner::is_foreground_run(
        proc(5, "schedcp-cli", {"schedcp-cli", "evaluate", "-s", "scx_simple"})));
    BOOST_TEST(!runner::is_foreground_run(proc(5, "schedcp", {"schedcp", "--config", "c"})));

    auto plan = runner::plan_takeover(
        other_schedcp(proc(897, "schedcp-cli", {"/usr/bin/schedcp-cli", "default", "run"})));
    BOOST_TEST(plan.previous.name == "scx_simple");
    BOOST_TEST((*plan.previous.args == std::vector<std::string>{"-f"}));
    BOOST_TEST(plan.process.pid == 897);
    BOOST_TEST(*plan.unit == "schedcp-default.service");
}

BOOST_AUTO_TEST_CASE(an_mcp_server_or_an_unreadable_guard_is_refused) {
    // Over stdio the server is schedcp; over HTTP, schedcp-http (which schedcp execs).
    for (const char* server : {"schedcp", "schedcp-http"}) {
        try {
            runner::plan_takeover(other_schedcp(proc(12, server, {"schedcp", "--config", "c"})));
            BOOST_FAIL("an MCP server was taken over");
        } catch (const schedcp::sdk::Conflict& e) {
            BOOST_TEST(std::string(e.what()).find(
                           "not a `schedcp-cli run` or `default run` but an MCP server: stop it "
                           "there (stop_scheduler), then switch") != std::string::npos,
                       e.what());
        }
    }
    auto m = other_schedcp(proc(897, "schedcp-cli", {"schedcp-cli", "run", "scx_simple"}));
    m.guard->argv = {"schedcp-guard"};
    BOOST_CHECK_THROW(runner::plan_takeover(m), schedcp::sdk::Conflict);
    m.guard.reset();
    BOOST_CHECK_THROW(runner::plan_takeover(m), schedcp::sdk::Conflict);
}

BOOST_AUTO_TEST_SUITE_END()
