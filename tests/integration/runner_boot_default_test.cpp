// The boot default: scheduler_default get|set|clear and `schedcp-cli default
// show|set|clear|run`, stored in the runner's data dir, checked as run_scheduler's arguments,
// a corrupt file quarantined and reported, and `default run` starting it with the policy.
#include <filesystem>
#include <fstream>
#include <string>

#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"
#include "runner_fixture.hpp"

using namespace schedcp::test;
using namespace schedcp::test::runner_fixture;

BOOST_FIXTURE_TEST_SUITE(runner_boot_default, RunnerFixture)

BOOST_AUTO_TEST_CASE(set_show_and_clear_through_the_cli_and_the_tool) {
    scheduler("scx_simple");
    const std::string cfg = config();
    const std::string file = dir.file("data/runner/boot_default.json");
    auto r = cli(cfg, {"default", "show"});
    BOOST_TEST(r.status == 0, r.out + r.err);
    BOOST_TEST(r.out == "no boot default set\n");

    r = cli(cfg, {"default", "set", "scx_simple", "--", "-f"});
    BOOST_TEST(r.status == 0, r.out + r.err);
    BOOST_TEST(r.out == "boot default set: scx_simple -- -f\n");
    BOOST_TEST(fs::exists(file));

    McpClient c(cfg);
    c.initialize();
    auto got = ok(c.call("scheduler_default", {{"command", "get"}}));
    BOOST_TEST(bj::serialize(got.at("default")) == R"({"name":"scx_simple","args":["-f"]})");
    BOOST_TEST(got.at("file").as_string() == file);

    auto set = ok(c.call("scheduler_default", {{"command", "set"}, {"name", "scx_simple"}}));
    BOOST_TEST(bj::serialize(set.at("default")) == R"({"name":"scx_simple"})");
    r = cli(cfg, {"default", "show"});
    BOOST_TEST(r.out == "boot default: scx_simple\n", r.out + r.err);

    auto cleared = ok(c.call("scheduler_default", {{"command", "clear"}}));
    BOOST_TEST(cleared.at("message").as_string() == "boot default cleared");
    BOOST_TEST(!fs::exists(file));
    r = cli(cfg, {"default", "clear"});
    BOOST_TEST(r.out == "no boot default was set\n", r.out + r.err);
}

BOOST_AUTO_TEST_CASE(set_is_checked_as_run_schedulers_arguments) {
    scheduler("scx_simple");
    McpClient c(config());
    c.initialize();
    auto e = error_text(c.call("scheduler_default", {{"command", "set"}, {"name", "scx_nope"}}));
    BOOST_TEST(e.find("unknown scheduler 'scx_nope'") != std::string::npos, e);
    e = error_text(
        c.call("scheduler_default",
               {{"command", "set"}, {"name", "scx_simple"}, {"args", {"--no-such-option"}}}));
    BOOST_TEST(e.find("--no-such-option") != std::string::npos, e);
    e = error_text(c.call("scheduler_default",
                          {{"command", "set"}, {"name", "scx_simple"}, {"mode", "gaming"}}));
    BOOST_TEST(e.find("scx_simple has no 'gaming' mode") != std::string::npos, e);
    e = error_text(c.call("scheduler_default", {{"command", "set"}}));
    BOOST_TEST(e.find("command set needs name") != std::string::npos, e);
    e = error_text(c.call("scheduler_default", {{"command", "get"}, {"name", "scx_simple"}}));
    BOOST_TEST(e.find("used only with command set (here: get)") != std::string::npos, e);
    // Nothing was stored by the refused calls.
    auto got = ok(c.call("scheduler_default", {{"command", "get"}}));
    BOOST_TEST(got.at("default").is_null());
}

BOOST_AUTO_TEST_CASE(a_corrupt_default_is_quarantined_and_reported) {
    scheduler("scx_simple");
    const std::string cfg = config();
    const std::string file = dir.file("data/runner/boot_default.json");
    fs::create_directories(dir.file("data/runner"));
    std::ofstream(file) << "{\"version\": 1, \"name\": ";  // cut short
    McpClient c(cfg);
    c.initialize();
    auto got = ok(c.call("scheduler_default", {{"command", "get"}}));
    BOOST_TEST(got.at("default").is_null());
    BOOST_TEST(got.at("problem").as_string().starts_with("not JSON"), bj::serialize(got));
    const std::string moved(got.at("quarantined").as_string());
    BOOST_TEST(moved.starts_with(file + ".corrupt-"), moved);
    BOOST_TEST(slurp(moved) == "{\"version\": 1, \"name\": ");
    BOOST_TEST(!fs::exists(file));
}

BOOST_AUTO_TEST_CASE(default_run_starts_the_default_with_the_failure_policy) {
    scheduler("scx_simple", "die_at_start=4\n");
    scheduler("scx_qmap", "die_at_start=5\n");
    const std::string cfg =
        config("", "      on_failure: fallback\n      fallback_scheduler: scx_qmap\n");
    auto r = cli(cfg, {"default", "run"});
    BOOST_TEST(r.status == 1, r.out + r.err);
    BOOST_TEST(
        r.out.find("no boot default set (schedcp-cli default set NAME)") != std::string::npos,
        r.out + r.err);

    r = cli(cfg, {"default", "set", "scx_simple"});
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out + r.err);
    r = cli(cfg, {"default", "run"});
    BOOST_TEST(r.out.find("Started scx_simple as execution sched_") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("Now scx_qmap as execution sched_") != std::string::npos, r.out);
    BOOST_TEST(r.status == 5, r.out + r.err);  // the fallback's own exit code
}

BOOST_AUTO_TEST_SUITE_END()
