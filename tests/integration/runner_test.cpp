// The runner plugin with fake schedulers and a fake sched_ext sysfs: start, status with
// output, stop with escalation, exit codes and signals, conflicts, replace, modes,
// bad input, and no orphan when the host goes away (EOF, SIGKILL).
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <tuple>

#include <boost/test/unit_test.hpp>

#include "flood.hpp"
#include "mcp_client.hpp"
#include "runner_fixture.hpp"

namespace fs = std::filesystem;
using namespace schedcp::test;
using namespace std::chrono_literals;

using namespace schedcp::test::runner_fixture;

BOOST_FIXTURE_TEST_SUITE(runner, RunnerFixture)

BOOST_AUTO_TEST_CASE(a_kernel_without_sched_ext_is_reported_and_nothing_runs) {
    scheduler("scx_simple");
    McpClient c(config(dir.file("no-such-sysfs")));
    c.initialize();
    std::string e = error_text(c.call("run_scheduler", {{"name", "scx_simple"}}));
    BOOST_TEST(e.find("has no sched_ext") != std::string::npos, e);
    BOOST_TEST(e.find("CONFIG_SCHED_CLASS_EXT") != std::string::npos);
    BOOST_TEST(!fs::exists(dir.file("scx_simple.pid")));
    BOOST_TEST(ok(c.call("list_executions")).at("executions").as_array().empty());
}

BOOST_AUTO_TEST_CASE(start_status_and_clean_stop) {
    scheduler("scx_simple", "lines=3\n");
    McpClient c(config());
    c.initialize();
    auto started = ok(c.call("run_scheduler", {{"name", "scx_simple"}, {"args", bj::array{"-f"}}}));
    BOOST_TEST(started.at("status").as_string() == "running");
    BOOST_TEST(started.at("scheduler").as_string() == "scx_simple");  // SchedCP's field
    BOOST_TEST(started.at("execution_id").as_string().starts_with("sched_"));
    BOOST_TEST(started.at("observed_ops").as_string() == "simple");
    BOOST_TEST(started.at("command").as_string() == bin + "/scx_simple");
    BOOST_TEST(started.at("privilege").as_string() == "root");
    BOOST_TEST(started.at("kernel").at("state").as_string() == "enabled");
    BOOST_TEST(started.at("pid").as_int64() == pid_of("scx_simple"));
    const std::string id(started.at("execution_id").as_string());

    auto st = ok(c.call("get_execution_status", {{"execution_id", id}}));
    std::string output;
    for (const auto& l : st.at("output").as_array()) output += std::string(l.as_string()) + "\n";
    // The catalogued flag arrived as given (scheduler_args_outside_the_catalog_are_refused
    // shows what else is refused).
    BOOST_TEST(output.find("args: [-f]") != std::string::npos, output);
    BOOST_TEST(output.find("fake line 2") != std::string::npos);
    BOOST_TEST(st.at("kernel").at("ops").as_string() == "simple");
    BOOST_TEST(ok(c.call("get_execution_status", {{"execution_id", id}, {"lines", 1}}))
                   .at("output")
                   .as_array()
                   .size() == 1u);

    auto stopped = ok(c.call("stop_scheduler", {{"execution_id", id}}));
    BOOST_TEST(stopped.at("status").as_string() == "stopped");
    BOOST_TEST(bj::serialize(stopped.at("stop_signals")) == R"(["SIGINT"])");
    BOOST_TEST(stopped.at("exit_code").as_int64() == 0);
    BOOST_TEST(stopped.at("kernel").at("state").as_string() == "disabled");
    BOOST_TEST(!stopped.at("ended_at").is_null());
    BOOST_TEST(state() == "disabled");
    BOOST_TEST(!alive(pid_of("scx_simple")));
    // Stopping again reports the same end.
    BOOST_TEST(ok(c.call("stop_scheduler", {{"execution_id", id}})).at("status").as_string() ==
               "stopped");
    auto list = ok(c.call("list_executions")).at("executions").as_array();
    BOOST_REQUIRE(list.size() == 1u);
    BOOST_TEST(list[0].at("execution_id").as_string() == id);
}

BOOST_AUTO_TEST_CASE(stop_escalates_to_sigterm_then_sigkill) {
    scheduler("scx_simple", "ignore_sigint=1\n");
    scheduler("scx_qmap", "ignore_sigint=1\nignore_sigterm=1\n");
    McpClient c(config());
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    auto s = ok(c.call("stop_scheduler", {{"execution_id", a.at("execution_id")}}));
    BOOST_TEST(bj::serialize(s.at("stop_signals")) == R"(["SIGINT","SIGTERM"])");
    BOOST_TEST(s.at("exit_code").as_int64() == 0);  // it unloaded on SIGTERM
    BOOST_TEST(s.at("status").as_string() == "stopped");

    auto b = ok(c.call("run_scheduler", {{"name", "scx_qmap"}}));
    BOOST_TEST(b.at("status").as_string() == "running");
    s = ok(c.call("stop_scheduler", {{"execution_id", b.at("execution_id")}}));
    BOOST_TEST(bj::serialize(s.at("stop_signals")) == R"(["SIGINT","SIGTERM","SIGKILL"])");
    BOOST_TEST(s.at("signal").as_string() == "SIGKILL");
    BOOST_TEST(!alive(pid_of("scx_qmap")));
}

BOOST_AUTO_TEST_CASE(exit_codes_and_early_failures_are_reported) {
    scheduler("scx_simple", "die_at_start=3\n");
    scheduler("scx_qmap", "exit_after_ms=300\nexit_code=0\n");
    scheduler("scx_central", "never_enable=1\nexit_after_ms=200\nexit_code=7\n");
    McpClient c(config());
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    BOOST_TEST(a.at("status").as_string() == "failed");
    BOOST_TEST(a.at("exit_code").as_int64() == 3);
    BOOST_TEST(a.at("message").as_string().find(
                   "failed before sched_ext enabled it; exit code 3; last output:") == 0u,
               a.at("message").as_string());
    BOOST_TEST(a.at("message").as_string().find("failed to attach struct_ops") !=
               std::string::npos);

    auto b = ok(c.call("run_scheduler", {{"name", "scx_qmap"}}));
    BOOST_TEST(b.at("status").as_string() == "running");
    std::this_thread::sleep_for(600ms);
    auto st = ok(c.call("get_execution_status", {{"execution_id", b.at("execution_id")}}));
    BOOST_TEST(st.at("status").as_string() == "exited");
    BOOST_TEST(st.at("exit_code").as_int64() == 0);

    auto d = ok(c.call("run_scheduler", {{"name", "scx_central"}}));
    BOOST_TEST(d.at("status").as_string() == "failed");
    BOOST_TEST(d.at("exit_code").as_int64() == 7);
}

BOOST_AUTO_TEST_CASE(one_scheduler_at_a_time_and_replace) {
    scheduler("scx_simple");
    scheduler("scx_qmap");
    McpClient c(config());
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    const std::string first(a.at("execution_id").as_string());
    std::string e = error_text(c.call("run_scheduler", {{"name", "scx_qmap"}}));
    BOOST_TEST(e.find("sched_ext already has 'simple' loaded (state enabled), started by this "
                      "server as execution " +
                      first) == 0u,
               e);
    BOOST_TEST(!fs::exists(dir.file("scx_qmap.pid")));
    auto b = ok(c.call("run_scheduler", {{"name", "scx_qmap"}, {"replace", true}}));
    BOOST_TEST(b.at("status").as_string() == "running");
    BOOST_TEST(b.at("kernel").at("ops").as_string() == "qmap");
    BOOST_TEST(
        ok(c.call("get_execution_status", {{"execution_id", first}})).at("status").as_string() ==
        "stopped");
    BOOST_TEST(!alive(pid_of("scx_simple")));
}

BOOST_AUTO_TEST_CASE(a_scheduler_loaded_by_someone_else_is_not_touched) {
    scheduler("scx_simple");
    fs::create_directories(sysfs + "/root");
    std::ofstream(sysfs + "/root/ops") << "foreign\n";
    std::ofstream(sysfs + "/state") << "enabled\n";
    McpClient c(config());
    c.initialize();
    for (bool replace : {false, true}) {
        std::string e =
            error_text(c.call("run_scheduler", {{"name", "scx_simple"}, {"replace", replace}}));
        BOOST_TEST(e.find("sched_ext already has 'foreign' loaded (state enabled), not started by "
                          "this server") == 0u,
                   e);
    }
    BOOST_TEST(!fs::exists(dir.file("scx_simple.pid")));
}

BOOST_AUTO_TEST_CASE(modes_and_bad_input) {
    scheduler("scx_bpfland");
    McpClient c(config());
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_bpfland"}, {"mode", "lowlatency"}}));
    // scx_loader's "-m performance -w", spelt with the catalog's declared flags.
    BOOST_TEST(bj::serialize(a.at("args")) ==
               R"(["--primary-domain","performance","--no-wake-sync"])");
    BOOST_TEST(a.at("mode").as_string() == "lowlatency");
    ok(c.call("stop_scheduler", {{"execution_id", a.at("execution_id")}}));

    BOOST_TEST(
        error_text(c.call("run_scheduler",
                          {{"name", "scx_bpfland"}, {"mode", "gaming"}, {"args", bj::array{}}}))
            .find("either args or mode") != std::string::npos);
    BOOST_TEST(error_text(c.call("run_scheduler", {{"name", "scx_simple"}, {"mode", "gaming"}}))
                   .find("scx_simple has no 'gaming' mode") == 0u);
    BOOST_TEST(error_text(c.call("run_scheduler", {{"name", "scx_bpfland"}, {"mode", "turbo"}}))
                   .find("arguments.mode must be one of") != std::string::npos);
    BOOST_TEST(error_text(c.call("run_scheduler", {{"name", "bpfland"}}))
                   .find("unknown scheduler 'bpfland'; did you mean scx_bpfland") == 0u);
    BOOST_TEST(
        error_text(c.call("run_scheduler", {{"name", "../../bin/sh"}})).find("unknown scheduler") ==
        0u);
    BOOST_TEST(
        error_text(c.call("run_scheduler", {{"name", "scx_bpfland"}, {"args", bj::array{"a\nb"}}}))
            .find("args[0] contains a control character") == 0u);
    bj::array many;
    for (int i = 0; i < 129; ++i) many.push_back("x");
    BOOST_TEST(error_text(c.call("run_scheduler", {{"name", "scx_bpfland"}, {"args", many}}))
                   .find("must have at most 128 items") != std::string::npos);
    BOOST_TEST(error_text(c.call("run_scheduler", {{"name", "scx_lavd"}}))
                   .find("scx_lavd is not installed") == 0u);
    BOOST_TEST(error_text(c.call("stop_scheduler", {{"execution_id", "sched_nope"}}))
                   .find("execution 'sched_nope' not found; known: ") == 0u);
    BOOST_TEST(
        error_text(c.call("get_execution_status", {})).find("arguments.execution_id is required") !=
        std::string::npos);
    BOOST_TEST(c.request("ping").contains("result"));
}

BOOST_AUTO_TEST_CASE(the_catalog_reports_what_is_installed) {
    scheduler("scx_rusty");
    McpClient c(config());
    c.initialize();
    auto r = ok(c.call("list_schedulers", {{"name", "scx_rusty"}}));
    BOOST_TEST(r.at("schedulers").at(0).at("installed").as_bool());
    BOOST_TEST(r.at("schedulers").at(0).at("path").as_string() == bin + "/scx_rusty");
}

BOOST_AUTO_TEST_CASE(eof_stops_what_the_server_started) {
    scheduler("scx_simple");
    McpClient c(config());
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    pid_t pid = pid_of("scx_simple");
    c.process().close_stdin();
    BOOST_TEST(c.process().wait(10s).value_or(-1) == 0);
    BOOST_TEST(!alive(pid));
    BOOST_TEST(state() == "disabled");  // it unloaded cleanly (SIGINT), not killed
    std::string log = slurp(dir.file("data/schedcp.log"));
    BOOST_TEST(log.find("host exiting: stopping execution " +
                        std::string(a.at("execution_id").as_string())) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_orphan_when_the_host_is_killed_with_sigkill) {
    scheduler("scx_simple");
    McpClient c(config());
    c.initialize();
    ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    pid_t pid = pid_of("scx_simple");
    BOOST_REQUIRE(alive(pid));
    c.process().kill(SIGKILL);
    c.process().wait(5s);
    BOOST_TEST(gone_within(pid, 5s));
    BOOST_TEST(state() == "disabled");  // the guard stopped it with SIGINT: a clean unload
}

BOOST_AUTO_TEST_CASE(sigterm_unloads_the_scheduler_although_the_client_stopped_reading) {
    // The client floods requests and reads nothing: the server's stdout is full. SIGTERM
    // must still stop the plugins (the scheduler is unloaded) and end the process.
    scheduler("scx_simple");
    McpClient c(config());
    c.initialize();
    ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    pid_t pid = pid_of("scx_simple");
    BOOST_REQUIRE(alive(pid));
    RequestFlood flood(c.process(), 20000, [](int i) { return list_schedulers_request(100 + i); });
    std::this_thread::sleep_for(3s);
    c.process().kill(SIGTERM);
    auto status = c.process().wait(15s);
    BOOST_REQUIRE_MESSAGE(status, "the server did not exit after SIGTERM");
    BOOST_TEST(gone_within(pid, 5s));
    BOOST_TEST(state() == "disabled");  // unloaded cleanly (SIGINT from the guard)
    std::string log = slurp(dir.file("data/schedcp.log"));
    BOOST_TEST(log.find("host exiting: stopping execution") != std::string::npos, log);
}

BOOST_AUTO_TEST_CASE(cli_run_in_the_foreground_and_ctrl_c) {
    scheduler("scx_simple", "lines=2\n");
    Subprocess p(
        {schedcp::test::bin("schedcp-cli"), "--config", config(), "run", "scx_simple", "--", "-f"});
    std::string seen;
    while (seen.find("Press Ctrl-C") == std::string::npos) {
        auto line = p.read_line(10s);
        BOOST_REQUIRE_MESSAGE(line,
                              "no start banner; stderr: " << p.stderr_text() << " seen: " << seen);
        seen += *line + "\n";
    }
    BOOST_TEST(seen.find("Started scx_simple as execution sched_") == 0u, seen);
    BOOST_TEST(state() == "enabled");
    p.kill(SIGINT);
    BOOST_TEST(p.wait(10s).value_or(-1) == 0);
    while (auto line = p.read_line(1s)) seen += *line + "\n";
    // The scheduler's own first line may come before or after the banner (two processes
    // writing): looked for in everything the CLI printed.
    BOOST_TEST(seen.find("args: [-f]") != std::string::npos, seen);
    BOOST_TEST(seen.find("EXIT: unregistered from user space") != std::string::npos, seen);
    BOOST_TEST(seen.find("sched_ext is now disabled") != std::string::npos, seen);
    BOOST_TEST(state() == "disabled");
}

BOOST_AUTO_TEST_CASE(cli_status_and_failures) {
    scheduler("scx_simple", "die_at_start=4\n");
    auto r = run({schedcp::test::bin("schedcp-cli"), "--config", config(), "status"});
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out == "sched_ext: disabled\nschedulers loaded since boot: 0\n");
    r = run({schedcp::test::bin("schedcp-cli"), "--config", config(), "run", "scx_simple"});
    BOOST_TEST(r.status == 4, r.out + r.err);
    BOOST_TEST(r.out.find("scx_simple failed: failed before sched_ext enabled it; exit code 4") !=
                   std::string::npos,
               r.out);
    r = run({schedcp::test::bin("schedcp-cli"), "--config", config(dir.file("none")), "run",
             "scx_simple"});
    BOOST_TEST(r.status == 1);
    BOOST_TEST(r.err.find("has no sched_ext") != std::string::npos);
}

// Through sudo (use_sudo: always, so it does not depend on who runs the tests; here a fake
// sudo that behaves like sudo records how it was used). The password must reach sudo on
// stdin only, and only when sudo asks for it with the runner's own -p prompt: not in argv,
// not in any child's environment, not in the log, never on the guard's stdin, and not left
// in the server's /proc/<pid>/environ; with NOPASSWD / cached credentials (sudo does not
// ask) it is written nowhere; without a password it is sudo -n.
BOOST_AUTO_TEST_CASE(through_sudo_the_password_goes_to_stdin_only_when_sudo_asks) {
    const std::string canary = "canary-Secret-8d1f stop";  // "stop" must not stop anything
    scheduler("scx_simple");
    fs::create_directories(dir.file("sudo"));
    fs::copy_file(FAKE_SUDO, dir.file("sudo/sudo"));
    std::string cfg = write_config(
        dir, "  - name: catalog\n  - name: runner\n    settings:\n      scheduler_paths: [" + bin +
                 "]\n      sched_ext_root: " + sysfs +
                 "\n      sudo_path: " + dir.file("sudo/sudo") + "\n      guard_policy: " + policy +
                 "\n      use_sudo: always\n      start_timeout_ms: 3000\n      "
                 "stop_int_timeout_ms: 400\n"
                 "      stop_term_timeout_ms: 400\n");
    enum class Mode { asks, nopasswd, no_password };
    for (Mode mode : {Mode::asks, Mode::nopasswd, Mode::no_password}) {
        BOOST_TEST_CONTEXT("mode " << static_cast<int>(mode)) {
            std::map<std::string, std::string> env;
            if (mode != Mode::no_password) env["SCHEDCP_SUDO_PASSWORD"] = canary;
            if (mode == Mode::nopasswd)
                std::ofstream(dir.file("sudo/sudo.nopasswd")) << "";
            else
                fs::remove(dir.file("sudo/sudo.nopasswd"));
            McpClient c(cfg, env);
            Subprocess& server = c.process();
            c.initialize();
            auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
            BOOST_TEST(a.at("status").as_string() == "running");
            BOOST_TEST(a.at("privilege").as_string() ==
                       (mode == Mode::no_password ? "sudo -n" : "sudo -S"));
            std::string argv = slurp(dir.file("sudo/sudo.argv"));
            if (mode == Mode::no_password) {
                BOOST_TEST(argv.find("-n\n--\n") == 0u, argv);
            } else {
                // -S -p <a random prompt> --
                BOOST_TEST(argv.find("-S\n-p\n[schedcp sudo password prompt ") == 0u, argv);
            }
            BOOST_TEST(argv.find("schedcp-guard") != std::string::npos);
            BOOST_TEST(argv.find("--scheduler\nscx_simple\n--\n") != std::string::npos, argv);
            BOOST_TEST(argv.find(canary) == std::string::npos);
            BOOST_TEST(slurp(dir.file("sudo/sudo.env")).find("SCHEDCP_SUDO_PASSWORD") ==
                       std::string::npos);
            if (mode == Mode::asks)
                BOOST_TEST(slurp(dir.file("sudo/sudo.password")) == canary);
            else
                BOOST_TEST(!fs::exists(dir.file("sudo/sudo.password")));
            // The prompt is sudo's, answered: it is not in the execution's output.
            auto st = ok(c.call("get_execution_status", {{"execution_id", a.at("execution_id")}}));
            BOOST_TEST(bj::serialize(st.at("output")).find("password prompt") == std::string::npos,
                       bj::serialize(st.at("output")));
            if (mode != Mode::no_password)
                BOOST_TEST(
                    slurp("/proc/" + std::to_string(server.pid()) + "/environ").find(canary) ==
                    std::string::npos);
            auto s = ok(c.call("stop_scheduler", {{"execution_id", a.at("execution_id")}}));
            BOOST_TEST(bj::serialize(s.at("stop_signals")) == R"(["SIGINT"])");
            BOOST_TEST(state() == "disabled");
            // What the guard read on its lifeline: the stop line, never the password.
            BOOST_TEST(slurp(dir.file("sudo/guard.stdin")) == "stop\n");
            server.close_stdin();
            BOOST_TEST(server.wait(10s).value_or(-1) == 0);
        }
    }
    BOOST_TEST(slurp(dir.file("data/schedcp.log")).find(canary) == std::string::npos);
    BOOST_TEST(slurp(dir.file("data/schedcp.log")).find("started execution") != std::string::npos);
}

// The host takes the password out of its environment whatever plugins it loads.
BOOST_AUTO_TEST_CASE(the_password_leaves_the_environment_even_without_the_runner) {
    const std::string canary = "canary-NoRunner-51ab";
    std::string cfg =
        write_config(dir, "  - name: catalog\n  - name: runner\n    enabled: false\n");
    McpClient c(cfg, {{"SCHEDCP_SUDO_PASSWORD", canary}});
    c.initialize();
    BOOST_TEST(c.request("ping").contains("result"));
    std::string environ = slurp("/proc/" + std::to_string(c.process().pid()) + "/environ");
    BOOST_TEST(!environ.empty());
    BOOST_TEST(environ.find(canary) == std::string::npos);
    BOOST_TEST(environ.find("SCHEDCP_SUDO_PASSWORD") == std::string::npos);
}

// sudo reads a password only to its first line break; the rest would reach the guard's
// lifeline ("stop" would stop the scheduler). Such a password is refused at start-up, by
// the server and the CLI alike, and never printed.
BOOST_AUTO_TEST_CASE(a_password_with_a_line_break_is_refused_at_start_up) {
    std::string cfg = config();
    for (const std::string& password :
         {std::string("canary-Nl-7f\nstop"), std::string("canary-Cr-7f\r\nstop")}) {
        for (const std::vector<std::string>& argv :
             {std::vector<std::string>{schedcp::test::bin("schedcp"), "--config", cfg},
              std::vector<std::string>{schedcp::test::bin("schedcp-cli"), "--config", cfg,
                                       "status"}}) {
            auto r = run(argv, {{"SCHEDCP_SUDO_PASSWORD", password}});
            BOOST_TEST(r.status != 0, argv[0] << ": " << r.err);
            BOOST_TEST(
                r.err.find("SCHEDCP_SUDO_PASSWORD contains a line break") != std::string::npos,
                argv[0] << ": " << r.err);
            BOOST_TEST(r.err.find("canary") == std::string::npos, r.err);
            BOOST_TEST(r.out.find("canary") == std::string::npos, r.out);
        }
    }
}

// A scheduler's output is only output: lines that look like the guard's records change
// nothing of what the runner reports.
BOOST_AUTO_TEST_CASE(a_scheduler_cannot_forge_the_guards_status) {
    std::ofstream(dir.file("forged.txt"))
        << "[schedcp-guard] exited code=0\n[schedcp-guard] started pid=1\nstarted pid=1\n"
           "exited code=0\nkilled signal=9\n[schedcp-guard] killed signal=9\n"
           "stopping signal=SIGKILL\nstarted pid=99999999999999999999\n"
           "[schedcp-guard] started pid=99999999999999999999\n";
    scheduler("scx_simple", "print_file=" + dir.file("forged.txt") + "\nlines=2\n");
    scheduler("scx_qmap", "print_file=" + dir.file("forged.txt") +
                              "\nlines=1\nexit_after_ms=300\nexit_code=7\n");
    McpClient c(config());
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    BOOST_TEST(a.at("status").as_string() == "running");
    BOOST_TEST(a.at("pid").as_int64() == pid_of("scx_simple"));
    BOOST_TEST(a.at("exit_code").is_null());
    BOOST_TEST(a.at("signal").is_null());
    auto st = ok(c.call("get_execution_status", {{"execution_id", a.at("execution_id")}}));
    BOOST_TEST(st.at("status").as_string() == "running");
    BOOST_TEST(st.at("pid").as_int64() == pid_of("scx_simple"));
    BOOST_TEST(bj::serialize(st.at("stop_signals")) == "[]");
    // Capture went on after the forged lines.
    BOOST_TEST(bj::serialize(st.at("output")).find("fake line 1") != std::string::npos);
    auto s = ok(c.call("stop_scheduler", {{"execution_id", a.at("execution_id")}}));
    BOOST_TEST(s.at("status").as_string() == "stopped");
    BOOST_TEST(bj::serialize(s.at("stop_signals")) == R"(["SIGINT"])");
    BOOST_TEST(s.at("exit_code").as_int64() == 0);

    // It exits with 7 by itself, after printing "exited code=0": failed, code 7.
    auto b = ok(c.call("run_scheduler", {{"name", "scx_qmap"}}));
    BOOST_TEST(b.at("pid").as_int64() == pid_of("scx_qmap"));
    std::this_thread::sleep_for(800ms);
    st = ok(c.call("get_execution_status", {{"execution_id", b.at("execution_id")}}));
    BOOST_TEST(st.at("status").as_string() == "failed");
    BOOST_TEST(st.at("exit_code").as_int64() == 7);
}

// Invalid records on the status channel itself (written by a fake sudo on its stdout, which
// the guard inherits) are protocol errors: logged and ignored, never a crash of the reader.
BOOST_AUTO_TEST_CASE(invalid_status_records_are_logged_and_ignored) {
    scheduler("scx_simple", "lines=2\n");
    fs::create_directories(dir.file("sudo"));
    fs::copy_file(FAKE_SUDO, dir.file("sudo/sudo"));
    std::ofstream(dir.file("sudo/sudo.forge"))
        << "started pid=99999999999999999999\nexited code=300\n"
        << std::string(5000, 'x') << "\n";
    std::string cfg =
        config("", "      use_sudo: always\n      sudo_path: " + dir.file("sudo/sudo") + "\n");
    McpClient c(cfg);
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    BOOST_TEST(a.at("status").as_string() == "running");
    BOOST_TEST(a.at("pid").as_int64() == pid_of("scx_simple"));
    auto s = ok(c.call("stop_scheduler", {{"execution_id", a.at("execution_id")}}));
    BOOST_TEST(s.at("status").as_string() == "stopped");
    BOOST_TEST(s.at("exit_code").as_int64() == 0);
    BOOST_TEST(bj::serialize(s.at("output")).find("EXIT: unregistered") != std::string::npos);
    BOOST_TEST(c.request("ping").contains("result"));
    std::string log = slurp(dir.file("data/schedcp.log"));
    BOOST_TEST(log.find("schedcp-guard protocol error, ignored: 'started "
                        "pid=99999999999999999999'") != std::string::npos,
               log);
    BOOST_TEST(log.find("(over-long line)") != std::string::npos);
}

// A scheduler runs as root, so its arguments are the catalog's options or a mode's exact
// arguments, nothing else: scx_chaos would run a trailing program, scx_layered --example
// writes a file. Each is refused before anything runs, with what is wrong and what is
// allowed; catalogued flags with valid values still run.
BOOST_AUTO_TEST_CASE(scheduler_args_outside_the_catalog_are_refused) {
    for (const char* name : {"scx_chaos", "scx_layered", "scx_rusty", "scx_simple", "scx_rlfifo"})
        scheduler(name);
    McpClient c(config());
    c.initialize();
    const std::string marker = dir.file("shell-ran");
    const std::vector<std::tuple<std::string, bj::array, std::string>> refused = {
        {"scx_chaos",
         {"/bin/sh", "-c", "touch " + marker},
         "scx_chaos takes no positional argument ('/bin/sh'); its options: "},
        {"scx_chaos", {"--pid", "1", "/bin/sh"}, "--pid N"},
        {"scx_chaos",
         {"--pid", "1", "--", "/bin/sh", "-c", "touch " + marker},
         "'--' is not allowed in scx_chaos's arguments"},
        {"scx_layered",
         {"--example", dir.file("written")},
         "scx_layered's option '--example' is never allowed: it names a file to write"},
        {"scx_layered",
         {"--example=" + dir.file("written")},
         "scx_layered's option '--example' is never allowed"},
        {"scx_rusty", {"--foo"}, "scx_rusty has no option '--foo'; its options: "},
        {"scx_rusty",
         {"--interval", "abc"},
         "scx_rusty's option '--interval' takes a decimal number such as 0.5, not 'abc'"},
        {"scx_rusty", {"--cache-level", "1.5"}, "'--cache-level' takes a whole number"},
        {"scx_rusty", {"--cpumasks", "../../etc"}, "not starting with '-' and without '..'"},
        {"scx_rusty", {"--cpumasks", "-v"}, "not starting with '-'"},
        {"scx_rusty", {"--interval"}, "'--interval' needs a value: --interval X.Y"},
        {"scx_rusty", {"--partial=yes"}, "'--partial' is a switch and takes no value"},
        {"scx_simple", {"-v", "$(id); rm -rf /"}, "scx_simple has no option '-v'; its options: -f"},
        {"scx_simple", {"-f", "$(id); rm -rf /"}, "scx_simple takes no positional argument"},
        {"scx_rlfifo", {"--anything"}, "scx_rlfifo takes no arguments"},
    };
    for (const auto& [name, args, expect] : refused) {
        std::string e = error_text(c.call("run_scheduler", {{"name", name}, {"args", args}}));
        BOOST_TEST(e.find(expect) != std::string::npos,
                   name << " " << bj::serialize(args) << ": " << e);
    }
    BOOST_TEST(!fs::exists(marker));
    BOOST_TEST(!fs::exists(dir.file("written")));
    BOOST_TEST(ok(c.call("list_executions")).at("executions").as_array().empty());

    // Catalogued flags with valid values, in both spellings, run.
    auto a = ok(c.call("run_scheduler",
                       {{"name", "scx_rusty"},
                        {"args", bj::array{"--slice-us-underutil", "30000", "--interval=0.5",
                                           "--partial", "--cpumasks", "0xff,0-3"}}}));
    BOOST_TEST(a.at("status").as_string() == "running", bj::serialize(a));
    auto st = ok(c.call("get_execution_status", {{"execution_id", a.at("execution_id")}}));
    BOOST_TEST(bj::serialize(st.at("output"))
                       .find("args: [--slice-us-underutil] [30000] [--interval=0.5] [--partial] "
                             "[--cpumasks] [0xff,0-3]") != std::string::npos,
               bj::serialize(st.at("output")));
    ok(c.call("stop_scheduler", {{"execution_id", a.at("execution_id")}}));
}

// Custom schedulers run under schedcp-loader: none of the caller's words may reach it, so
// arguments are refused before anything runs (here one "registered" by hand in the
// compiler's registry, which the compiler plugin loads at start).
BOOST_AUTO_TEST_CASE(custom_schedulers_take_no_arguments) {
    const std::string reg = dir.file("data/compiler/schedulers/mine");
    fs::create_directories(reg);
    std::ofstream(reg + "/mine.bpf.o") << "not really an object";
    std::ofstream(reg + "/metadata.json") << "{}";
    McpClient c(write_config(dir,
                             "  - name: catalog\n  - name: runner\n    settings:\n"
                             "      sched_ext_root: " +
                                 sysfs + "\n      guard_policy: " + policy +
                                 "\n  - name: compiler\n"));
    c.initialize();
    std::string e = error_text(c.call(
        "run_scheduler", {{"name", "mine"}, {"args", bj::array{"--verifier-log", dir.file("x")}}}));
    BOOST_TEST(e.find("custom schedulers take no arguments") == 0u, e);
    BOOST_TEST(!fs::exists(dir.file("x")));
    BOOST_TEST(ok(c.call("list_executions")).at("executions").as_array().empty());
}

// 300 run/stop cycles through one server: no descriptor is kept per execution, and the
// finished ones beyond max_finished_executions are forgotten.
BOOST_AUTO_TEST_CASE(executions_stay_bounded_over_many_cycles) {
    scheduler("scx_simple");
    McpClient c(config("", "      max_finished_executions: 20\n"));
    c.initialize();
    const std::string fd_dir = "/proc/" + std::to_string(c.process().pid()) + "/fd";
    auto open_fds = [&] {
        std::size_t n = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(fd_dir)) ++n;
        return n;
    };
    std::size_t fds_after_warmup = 0;
    std::string first_id;
    for (int i = 0; i < 300; ++i) {
        auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
        BOOST_REQUIRE_MESSAGE(a.at("status").as_string() == "running", bj::serialize(a));
        if (i == 0) first_id = std::string(a.at("execution_id").as_string());
        auto s = ok(c.call("stop_scheduler", {{"execution_id", a.at("execution_id")}}));
        BOOST_REQUIRE(s.at("status").as_string() == "stopped");
        if (i == 4) fds_after_warmup = open_fds();
    }
    BOOST_TEST(open_fds() == fds_after_warmup);
    auto list = ok(c.call("list_executions")).at("executions").as_array();
    BOOST_TEST(list.size() == 20u);
    BOOST_TEST(error_text(c.call("get_execution_status", {{"execution_id", first_id}}))
                   .find("execution '" + first_id + "' not found") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
