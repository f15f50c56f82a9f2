// Switching (run_scheduler with replace: true): when the new scheduler does not reach
// enabled (it fails, or never enables within start_timeout_ms), the previous configuration
// is started again and both outcomes are reported.
#include <string>

#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"
#include "runner_fixture.hpp"

using namespace schedcp::test;
using namespace schedcp::test::runner_fixture;

BOOST_FIXTURE_TEST_SUITE(runner_switch, RunnerFixture)

BOOST_AUTO_TEST_CASE(a_switch_to_a_scheduler_that_never_enables_rolls_back) {
    scheduler("scx_simple");
    scheduler("scx_qmap", "never_enable=1\n");
    McpClient c(config());
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}, {"args", {"-f"}}}));
    BOOST_REQUIRE(a.at("status").as_string() == "running");
    auto b = ok(c.call("run_scheduler", {{"name", "scx_qmap"}, {"replace", true}}));
    // The new one: given up and stopped.
    BOOST_TEST(b.at("name").as_string() == "scx_qmap");
    BOOST_TEST(b.at("status").as_string() == "stopped");
    const auto& rb = b.at("rollback").as_object();
    BOOST_TEST(rb.at("reason").as_string().starts_with(
                   "still starting: sched_ext did not report it enabled within 3000 ms"),
               bj::serialize(rb));
    // The previous configuration: running again, with its arguments.
    BOOST_TEST(rb.at("restored_scheduler").as_string() == "scx_simple");
    BOOST_TEST(rb.at("restored_status").as_string() == "running");
    auto restored =
        ok(c.call("get_execution_status", {{"execution_id", rb.at("restored_execution_id")}}));
    BOOST_TEST(restored.at("status").as_string() == "running");
    BOOST_TEST(bj::serialize(restored.at("args")) == R"(["-f"])");
    BOOST_TEST(state() == "enabled");
    BOOST_TEST(slurp(sysfs + "/root/ops") == "simple\n");
    BOOST_TEST(b.at("message").as_string().ends_with("; rolled back to scx_simple (running)"));
}

BOOST_AUTO_TEST_CASE(a_switch_to_a_failing_scheduler_rolls_back_to_the_mode_it_had) {
    scheduler("scx_bpfland");
    scheduler("scx_qmap", "die_at_start=2\n");
    McpClient c(config());
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_bpfland"}, {"mode", "gaming"}}));
    BOOST_REQUIRE(a.at("status").as_string() == "running");
    auto b = ok(c.call("run_scheduler", {{"name", "scx_qmap"}, {"replace", true}}));
    BOOST_TEST(b.at("status").as_string() == "failed");
    BOOST_TEST(b.at("exit_code").as_int64() == 2);
    const auto& rb = b.at("rollback").as_object();
    BOOST_TEST(rb.at("restored_status").as_string() == "running");
    auto restored =
        ok(c.call("get_execution_status", {{"execution_id", rb.at("restored_execution_id")}}));
    BOOST_TEST(restored.at("mode").as_string() == "gaming");
    BOOST_TEST(state() == "enabled");
}

BOOST_AUTO_TEST_CASE(a_switch_that_works_has_no_rollback) {
    scheduler("scx_simple");
    scheduler("scx_qmap");
    McpClient c(config());
    c.initialize();
    ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    auto b = ok(c.call("run_scheduler", {{"name", "scx_qmap"}, {"replace", true}}));
    BOOST_TEST(b.at("status").as_string() == "running");
    BOOST_TEST(!b.contains("rollback"));
    BOOST_TEST(slurp(sysfs + "/root/ops") == "qmap\n");
}

BOOST_AUTO_TEST_SUITE_END()
