// Who is in charge of sched_ext, through the real binaries with the fake scheduler, a fake
// sched_ext sysfs and fake /proc and cgroup trees (proc_root, cgroup_root): run_scheduler
// and `schedcp-cli switch` refuse scx.service and scx_loader, naming them and how to hand
// over; `status` says who is in charge; `switch` takes over from another schedcp process's
// foreground run and rolls back to its configuration when the new one never enables.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"
#include "runner_fixture.hpp"

using namespace schedcp::test;
using namespace schedcp::test::runner_fixture;

namespace {

void put(const fs::path& p, const std::string& content) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << content;
}

struct ManagerFixture : RunnerFixture {
    std::string proc = dir.file("proc");
    std::string cgroup = dir.file("cgroup");

    ManagerFixture() { fs::create_directories(proc); }

    std::string config_with_proc() { return config("", "      proc_root: " + proc + "\n"); }
    void loaded(const std::string& ops) {
        fs::create_directories(sysfs + "/root");
        std::ofstream(sysfs + "/root/ops") << ops << "\n";
        std::ofstream(sysfs + "/state") << "enabled\n";
    }
    void holds_link(const std::string& pid_dir) {
        fs::create_directories(pid_dir + "/fd");
        fs::create_symlink("anon_inode:bpf_link", pid_dir + "/fd/3");
        put(pid_dir + "/fdinfo/3",
            "pos:\t0\nflags:\t02000002\nlink_type:\tstruct_ops\n"
            "link_id:\t4\nmap_id:\t9\n");
    }
    // A process of the fake tree, in a unit.
    void process(int pid, int ppid, const std::string& comm, const std::string& cmdline,
                 const std::string& unit) {
        const std::string d = proc + "/" + std::to_string(pid);
        put(d + "/stat",
            std::to_string(pid) + " (" + comm + ") S " + std::to_string(ppid) + " 1 1 0 -1\n");
        put(d + "/comm", comm + "\n");
        put(d + "/cmdline", cmdline + std::string(1, '\0'));
        put(d + "/cgroup", "0::/system.slice/" + unit + "\n");
        put(cgroup + "/system.slice/" + unit + "/cgroup.events", "populated 1\nfrozen 0\n");
        std::ofstream(cgroup + "/system.slice/" + unit + "/cgroup.procs", std::ios::app)
            << pid << "\n";
    }
    // The real process `pid` and its parents up to `top`, copied into the fake tree (the
    // fake scheduler holds no BPF link: the copy of `pid` is given one).
    void mirror_chain(pid_t pid, pid_t top) {
        for (bool holder = true;; holder = false) {
            const std::string src = "/proc/" + std::to_string(pid);
            const std::string d = proc + "/" + std::to_string(pid);
            for (const char* f : {"stat", "comm", "cmdline", "cgroup"})
                put(d + "/" + f, slurp(src + "/" + f));
            if (holder) holds_link(d);
            if (pid == top) return;
            const std::string stat = slurp(src + "/stat");
            const auto rest = stat.substr(stat.rfind(')') + 4);
            pid = static_cast<pid_t>(std::stol(rest.substr(0, rest.find(' '))));
            BOOST_REQUIRE_MESSAGE(pid > 1, "the chain did not lead to pid " << top);
        }
    }
};

std::string read_until(Subprocess& p, const std::string& marker, std::string& seen) {
    while (seen.find(marker) == std::string::npos) {
        auto line = p.read_line(20s);
        BOOST_REQUIRE_MESSAGE(
            line, "no '" << marker << "'; stderr: " << p.stderr_text() << " seen: " << seen);
        seen += *line + "\n";
    }
    return seen;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(runner_manager, ManagerFixture)

BOOST_AUTO_TEST_CASE(a_scheduler_run_by_scx_service_is_named_and_not_fought) {
    scheduler("scx_simple");
    loaded("rusty");
    process(812, 1, "scx_rusty", "/usr/bin/scx_rusty", "scx.service");
    holds_link(proc + "/812");
    const std::string cfg = config_with_proc();
    McpClient c(cfg);
    c.initialize();
    for (bool replace : {false, true}) {
        std::string e =
            error_text(c.call("run_scheduler", {{"name", "scx_simple"}, {"replace", replace}}));
        BOOST_TEST(e.find("sched_ext already has 'rusty' loaded (state enabled), not started by "
                          "this server; in charge: scx.service: 'rusty' is held by pid 812 "
                          "(/usr/bin/scx_rusty), unit scx.service. To hand over: `systemctl stop "
                          "scx.service`") == 0u,
                   e);
    }
    auto status = run({schedcp::test::bin("schedcp-cli"), "--config", cfg, "status"});
    BOOST_TEST(status.status == 0);
    BOOST_TEST(
        status.out.find("in charge: scx.service: 'rusty' is held by pid 812") != std::string::npos,
        status.out);
    BOOST_TEST(status.out.find("to hand over: `systemctl stop scx.service`") != std::string::npos);
    auto json = run({schedcp::test::bin("schedcp-cli"), "--config", cfg, "status", "--json"});
    auto m = bj::parse(json.out).at("manager").as_object();
    BOOST_TEST(m.at("kind").as_string() == "scx_service");
    BOOST_TEST(m.at("holder").at("pid").as_int64() == 812);
    BOOST_TEST(m.at("evidence").as_string() == "bpf_link");
    auto sw = run({schedcp::test::bin("schedcp-cli"), "--config", cfg, "switch", "scx_simple"});
    BOOST_TEST(sw.status == 1, sw.out + sw.err);
    BOOST_TEST(sw.err.find("in charge: scx.service") != std::string::npos, sw.err);
    BOOST_TEST(sw.err.find("`switch` takes over only from schedcp's own runs") != std::string::npos,
               sw.err);
    BOOST_TEST(!fs::exists(dir.file("scx_simple.pid")));
}

BOOST_AUTO_TEST_CASE(scx_loader_is_named_with_its_dbus_hand_over) {
    loaded("bpfland");
    process(700, 1, "scx_loader", "/usr/bin/scx_loader", "scx_loader.service");
    process(701, 700, "scx_bpfland", "scx_bpfland", "scx_loader.service");
    holds_link(proc + "/701");
    auto json = run(
        {schedcp::test::bin("schedcp-cli"), "--config", config_with_proc(), "status", "--json"});
    auto m = bj::parse(json.out).at("manager").as_object();
    BOOST_TEST(m.at("kind").as_string() == "scx_loader");
    BOOST_TEST(m.at("owner").at("pid").as_int64() == 700);
    BOOST_TEST(m.at("hand_over").as_string().find("org.scx.Loader.StopScheduler") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_running_scx_service_is_not_fought_even_with_nothing_loaded) {
    scheduler("scx_simple");
    process(812, 1, "scx_rusty", "/usr/bin/scx_rusty", "scx.service");
    McpClient c(config_with_proc());
    c.initialize();
    std::string e = error_text(c.call("run_scheduler", {{"name", "scx_simple"}}));
    BOOST_TEST(e.find("scx.service is running (pid 812) and loads its own scheduler; stop it "
                      "first: `systemctl stop scx.service` (and `systemctl disable scx.service` to "
                      "keep it from starting at boot)") == 0u,
               e);
    BOOST_TEST(!fs::exists(dir.file("scx_simple.pid")));
}

BOOST_AUTO_TEST_CASE(status_says_this_process_for_its_own_execution) {
    scheduler("scx_simple");
    McpClient c(config_with_proc());
    c.initialize();
    auto a = ok(c.call("run_scheduler", {{"name", "scx_simple"}}));
    BOOST_TEST(a.at("manager").at("kind").as_string() == "this_process");
    BOOST_TEST(a.at("manager").at("execution_id") == a.at("execution_id"));
    auto st = ok(c.call("get_execution_status", {{"execution_id", a.at("execution_id")}}));
    BOOST_TEST(st.at("manager").at("evidence").as_string() == "own_execution");
}

BOOST_AUTO_TEST_CASE(
    switch_takes_over_from_another_run_and_rolls_back_when_the_new_one_never_enables) {
    scheduler("scx_simple");
    scheduler("scx_qmap", "never_enable=1\n");
    const std::string cfg_a = dir.file("a.yaml");
    fs::copy_file(config(), cfg_a);
    Subprocess a(
        {schedcp::test::bin("schedcp-cli"), "--config", cfg_a, "run", "scx_simple", "--", "-f"});
    std::string seen_a;
    read_until(a, "Press Ctrl-C", seen_a);
    const pid_t first = pid_of("scx_simple");
    mirror_chain(first, a.pid());

    Subprocess b(
        {schedcp::test::bin("schedcp-cli"), "--config", config_with_proc(), "switch", "scx_qmap"});
    std::string seen;
    read_until(b, "Press Ctrl-C", seen);
    // The other run was asked to end, and did.
    BOOST_TEST(seen.find("Stopping scx_simple -- -f (pid " + std::to_string(a.pid()) + ": ") == 0u,
               seen);
    BOOST_TEST(a.wait(10s).has_value());
    BOOST_TEST(!alive(first));
    // Both outcomes: the new one given up, the previous configuration running again here.
    BOOST_TEST(seen.find("Started scx_qmap as execution ") != std::string::npos, seen);
    BOOST_TEST(seen.find("Switch to scx_qmap failed (still starting: sched_ext did not report it "
                         "enabled within 3000 ms") != std::string::npos,
               seen);
    BOOST_TEST(seen.find("); rolled back to scx_simple (running, pid ") != std::string::npos, seen);
    BOOST_TEST(state() == "enabled");
    BOOST_TEST(slurp(sysfs + "/root/ops") == "simple\n");
    const pid_t restored = pid_of("scx_simple");
    BOOST_TEST(restored != first);
    BOOST_TEST(alive(restored));
    BOOST_TEST(slurp("/proc/" + std::to_string(restored) + "/cmdline").find(std::string("-f")) !=
               std::string::npos);
    b.kill(SIGINT);
    BOOST_TEST(b.wait(10s).value_or(-1) == 1);
    while (auto line = b.read_line(1s)) seen += *line + "\n";
    BOOST_TEST(seen.find("switch to scx_qmap rolled back to scx_simple") != std::string::npos,
               seen);
    BOOST_TEST(state() == "disabled");
}

BOOST_AUTO_TEST_CASE(switch_from_another_run_to_a_working_scheduler) {
    scheduler("scx_simple");
    scheduler("scx_qmap");
    const std::string cfg_a = dir.file("a.yaml");
    fs::copy_file(config(), cfg_a);
    Subprocess a({schedcp::test::bin("schedcp-cli"), "--config", cfg_a, "run", "scx_simple"});
    std::string seen_a;
    read_until(a, "Press Ctrl-C", seen_a);
    mirror_chain(pid_of("scx_simple"), a.pid());
    auto json = run(
        {schedcp::test::bin("schedcp-cli"), "--config", config_with_proc(), "status", "--json"});
    auto m = bj::parse(json.out).at("manager").as_object();
    BOOST_TEST(m.at("kind").as_string() == "schedcp");
    BOOST_TEST(m.at("owner").at("pid").as_int64() == a.pid());

    Subprocess b(
        {schedcp::test::bin("schedcp-cli"), "--config", config_with_proc(), "switch", "scx_qmap"});
    std::string seen;
    read_until(b, "Press Ctrl-C", seen);
    BOOST_TEST(seen.find("rolled back") == std::string::npos, seen);
    BOOST_TEST(slurp(sysfs + "/root/ops") == "qmap\n");
    BOOST_TEST(a.wait(10s).has_value());
    b.kill(SIGINT);
    BOOST_TEST(b.wait(10s).value_or(-1) == 0);
    BOOST_TEST(state() == "disabled");
}

BOOST_AUTO_TEST_CASE(switch_with_nothing_running_starts_and_a_bad_request_stops_nothing) {
    scheduler("scx_simple");
    auto bad = run({schedcp::test::bin("schedcp-cli"), "--config", config_with_proc(), "switch",
                    "scx_simple", "--", "--no-such-flag"});
    BOOST_TEST(bad.status != 0);
    BOOST_TEST(!fs::exists(dir.file("scx_simple.pid")));
    auto absent = run(
        {schedcp::test::bin("schedcp-cli"), "--config", config_with_proc(), "switch", "scx_rusty"});
    BOOST_TEST(absent.status == 1);
    BOOST_TEST(absent.err.find("scx_rusty is not installed on this host (see schedcp-cli list); "
                               "nothing was stopped") != std::string::npos,
               absent.err);
    Subprocess b({schedcp::test::bin("schedcp-cli"), "--config", config_with_proc(), "switch",
                  "scx_simple"});
    std::string seen;
    read_until(b, "Press Ctrl-C", seen);
    BOOST_TEST(seen.find("Started scx_simple as execution ") == 0u, seen);
    b.kill(SIGINT);
    BOOST_TEST(b.wait(10s).value_or(-1) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
