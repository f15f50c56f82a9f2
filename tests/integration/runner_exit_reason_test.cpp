// Why a scheduler ended, from the kernel: the exit kind, reason and message a scheduler
// prints, and the kernel's own "disabled (reason)" line read from the kernel log (a file
// here, written by the fake scheduler in /dev/kmsg's record format).
#include <filesystem>
#include <fstream>
#include <string>

#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"
#include "runner_fixture.hpp"

using namespace schedcp::test;
using namespace schedcp::test::runner_fixture;

BOOST_FIXTURE_TEST_SUITE(runner_exit_reason, RunnerFixture)

BOOST_AUTO_TEST_CASE(an_ejection_reports_the_kernels_reason_as_fields) {
    const std::string kmsg = dir.file("kmsg");
    // Logged before the start: an older ejection of the same ops must not be taken for this one.
    std::ofstream(kmsg)
        << "3,1,100,-;sched_ext: BPF scheduler \"simple\" disabled (scx_bpf_error)\n";
    scheduler("scx_simple",
              "exit_after_ms=300\nexit_code=0\neject=runnable task stall\n"
              "eject_message=kworker/0:1[42] failed to run for 0.500s\nkmsg=" +
                  kmsg + "\n");
    McpClient c(config("", "      kmsg_path: " + kmsg + "\n"));
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    BOOST_REQUIRE(a.at("status").as_string() == "running");
    BOOST_TEST(a.at("exit_kind").is_null());
    auto st = wait_ended(c, std::string(a.at("execution_id").as_string()));
    // Exit code 0, but the kernel ejected it: a failure.
    BOOST_TEST(st.at("status").as_string() == "failed");
    BOOST_TEST(st.at("exit_code").as_int64() == 0);
    BOOST_TEST(st.at("exit_kind").as_string() == "ERROR_STALL");
    BOOST_TEST(st.at("exit_reason").as_string() == "runnable task stall");
    BOOST_TEST(st.at("exit_message").as_string() == "kworker/0:1[42] failed to run for 0.500s");
    BOOST_TEST(st.at("kernel_message").as_string() ==
               "sched_ext: BPF scheduler \"simple\" disabled (runnable task stall)");
    BOOST_TEST(st.at("kernel_message_at").is_double());
    BOOST_TEST(st.at("message").as_string().starts_with(
                   "ejected by the kernel: runnable task stall (kworker/0:1[42] failed to run"),
               st.at("message").as_string());
    BOOST_TEST(!st.contains("kernel_log_unavailable"));
}

BOOST_AUTO_TEST_CASE(a_scheduler_that_only_prints_its_exit_is_understood) {
    scheduler("scx_simple",
              "exit_after_ms=200\nexit_code=1\neject=scx_bpf_error\neject_message=bad cpu 9\n");
    McpClient c(config("", "      kmsg_path: " + dir.file("kmsg") + "\n"));
    std::ofstream(dir.file("kmsg")) << "";
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    auto st = wait_ended(c, std::string(a.at("execution_id").as_string()));
    BOOST_TEST(st.at("status").as_string() == "failed");
    BOOST_TEST(st.at("exit_kind").as_string() == "ERROR_BPF");
    BOOST_TEST(st.at("exit_reason").as_string() == "scx_bpf_error");
    BOOST_TEST(st.at("exit_message").as_string() == "bad cpu 9");
    BOOST_TEST(st.at("kernel_message").is_null());
}

BOOST_AUTO_TEST_CASE(an_unreadable_kernel_log_is_said_and_nothing_fails) {
    scheduler("scx_simple", "exit_after_ms=200\neject=runnable task stall\neject_message=x\n");
    McpClient c(config("", "      kmsg_path: " + dir.file("no-such-kmsg") + "\n"));
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    BOOST_TEST(a.at("status").as_string() == "running");
    BOOST_TEST(std::string(a.at("kernel_log_unavailable").as_string())
                   .starts_with("cannot read the kernel log " + dir.file("no-such-kmsg")));
    auto st = wait_ended(c, std::string(a.at("execution_id").as_string()));
    BOOST_TEST(st.at("exit_kind").as_string() == "ERROR_STALL");  // from its own output
    BOOST_TEST(st.at("kernel_message").is_null());
}

BOOST_AUTO_TEST_CASE(a_stop_on_request_has_an_orderly_exit_kind) {
    scheduler("scx_simple");
    McpClient c(config("", "      kmsg_path: " + dir.file("no-such-kmsg") + "\n"));
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    auto s = ok(c.call("stop_scheduler", {{"execution_id", a.at("execution_id")}}));
    BOOST_TEST(s.at("status").as_string() == "stopped");
    BOOST_TEST(s.at("exit_kind").as_string() == "UNREG");  // "EXIT: unregistered from user space"
}

BOOST_AUTO_TEST_SUITE_END()
