// Who is in charge of sched_ext (sdk/sched_ext_manager.hpp), on fake /proc, cgroup and
// sched_ext trees: the struct_ops link holder, its parents and its unit decide; nothing is
// scanned when nothing is loaded or the caller's own execution is; the scan is bounded.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "schedcp/sdk/sched_ext_manager.hpp"
#include "subprocess.hpp"

namespace fs = std::filesystem;
namespace mgr = schedcp::sdk::sched_ext;
using schedcp::test::TempDir;

namespace {

// The fdinfo of a BPF link as Linux 6.12 prints it (bpf_link_show_fdinfo).
std::string link_fdinfo(const std::string& type) {
    return "pos:\t0\nflags:\t02000002\nmnt_id:\t15\nino:\t2071\nlink_type:\t" + type +
           "\nlink_id:\t7\n" + (type == "struct_ops" ? "map_id:\t12\n" : "prog_tag:\tab\n");
}

struct FakeTree {
    TempDir dir;
    mgr::ManagerRoots roots{
        .proc = dir.file("proc"), .cgroup = dir.file("cgroup"), .sched_ext = dir.file("sched_ext")};

    FakeTree() {
        fs::create_directories(roots.proc);
        fs::create_directories(roots.cgroup);
        put(roots.sched_ext / "state", "disabled\n");
    }
    static void put(const fs::path& p, const std::string& content) {
        fs::create_directories(p.parent_path());
        std::ofstream(p) << content;
    }
    void loaded(const std::string& ops) {
        put(roots.sched_ext / "state", "enabled\n");
        put(roots.sched_ext / "root/ops", ops + "\n");
    }
    void process(int pid, int ppid, const std::string& comm, const std::vector<std::string>& argv,
                 const std::string& cgroup = "/user.slice/user-0.slice/session-1.scope") {
        const fs::path d = roots.proc / std::to_string(pid);
        put(d / "stat", std::to_string(pid) + " (" + comm + ") S " + std::to_string(ppid) +
                            " 1 1 0 -1 4194560 100 0 0 0\n");
        put(d / "comm", comm + "\n");
        std::string cmdline;
        for (const auto& a : argv) cmdline += a + '\0';
        put(d / "cmdline", cmdline);
        put(d / "cgroup", "0::" + cgroup + "\n");
        fs::create_directories(d / "fd");
        fs::create_directories(d / "fdinfo");
        fd(pid, 0, "/dev/null");
    }
    void fd(int pid, int n, const std::string& target, const std::string& fdinfo = "pos:\t0\n") {
        const fs::path d = roots.proc / std::to_string(pid);
        fs::create_symlink(target, d / "fd" / std::to_string(n));
        put(d / "fdinfo" / std::to_string(n), fdinfo);
    }
    void bpf_link(int pid, int n, const std::string& type = "struct_ops") {
        fd(pid, n, "anon_inode:bpf_link", link_fdinfo(type));
    }
    void unit(const std::string& name, const std::vector<int>& pids) {
        const fs::path d = roots.cgroup / "system.slice" / name;
        put(d / "cgroup.events", "populated 1\nfrozen 0\n");
        std::string procs;
        for (int p : pids) procs += std::to_string(p) + "\n";
        put(d / "cgroup.procs", procs);
    }
    mgr::Manager find(int self_pid = 999999) const {
        return mgr::find_manager({.roots = roots, .self_pid = self_pid});
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(sched_ext_manager)

BOOST_AUTO_TEST_CASE(nothing_loaded_is_nobody_and_nothing_is_scanned) {
    FakeTree t;
    t.process(500, 1, "scx_simple", {"scx_simple"});
    t.bpf_link(500, 3);
    auto m = t.find();
    BOOST_TEST(mgr::manager_kind_name(m.kind) == "nobody");
    BOOST_TEST(m.summary == "nobody: sched_ext is disabled");
    BOOST_TEST(m.scan.processes == 0u);
    BOOST_TEST(m.hand_over.empty());
    BOOST_TEST(m.units.size() == 3u);
}

BOOST_AUTO_TEST_CASE(nobody_loaded_but_scx_service_running_is_said) {
    FakeTree t;
    t.unit("scx.service", {812});
    auto m = t.find();
    BOOST_TEST(mgr::manager_kind_name(m.kind) == "nobody");
    BOOST_TEST(m.summary ==
               "nobody: sched_ext is disabled; but scx.service runs and starts its own scheduler");
    BOOST_REQUIRE(m.active_unit("scx.service"));
    BOOST_TEST(m.active_unit("scx.service")->pids == std::vector<int>{812});
    BOOST_TEST(!m.active_unit("scx_loader.service"));
}

BOOST_AUTO_TEST_CASE(the_callers_own_execution_needs_no_scan) {
    FakeTree t;
    t.loaded("simple");
    auto m = mgr::find_manager(
        {.roots = t.roots,
         .own = mgr::OwnExecution{
             .execution_id = "sched_1", .scheduler = "scx_simple", .ops = "simple", .pid = 42}});
    BOOST_TEST(mgr::manager_kind_name(m.kind) == "this_process");
    BOOST_TEST(mgr::manager_evidence_name(m.evidence) == "own_execution");
    BOOST_TEST(m.summary == "this schedcp process: execution sched_1 (scx_simple), pid 42");
    BOOST_TEST(m.scan.processes == 0u);
    // Someone else's ops loaded meanwhile: not ours.
    auto other = mgr::find_manager(
        {.roots = t.roots,
         .own = mgr::OwnExecution{.execution_id = "sched_1", .scheduler = "x", .ops = "rusty"}});
    BOOST_TEST(mgr::manager_kind_name(other.kind) == "unknown");
}

BOOST_AUTO_TEST_CASE(a_scheduler_started_by_hand_is_someone_else_with_pid_and_command) {
    FakeTree t;
    t.loaded("simple");
    t.process(300, 1, "bpftrace", {"bpftrace", "-e", "x"});
    t.bpf_link(300, 4, "tracing");  // a BPF link, but not a struct_ops one
    t.process(400, 1, "bash", {"-bash"});
    t.fd(400, 5, "anon_inode:[eventpoll]");
    t.process(500, 400, "scx_simple", {"/usr/bin/scx_simple", "-f"});
    t.fd(500, 1, "/dev/pts/0");
    t.bpf_link(500, 7);
    auto m = t.find();
    BOOST_TEST(mgr::manager_kind_name(m.kind) == "other");
    BOOST_TEST(mgr::manager_evidence_name(m.evidence) == "bpf_link");
    BOOST_REQUIRE(m.holder);
    BOOST_TEST(m.holder->pid == 500);
    BOOST_TEST(m.holder->ppid == 400);
    BOOST_TEST(m.holder->command() == "/usr/bin/scx_simple -f");
    BOOST_TEST(m.summary ==
               "someone else: 'simple' is held by pid 500 (/usr/bin/scx_simple -f), "
               "unit session-1.scope");
    BOOST_TEST(m.hand_over.find("stop pid 500") == 0u, m.hand_over);
    BOOST_TEST(m.scan.full_scan);
    BOOST_TEST(m.scan.processes == 3u);
    auto j = mgr::to_json(m);
    BOOST_TEST(j.at("kind").as_string() == "other");
    BOOST_TEST(j.at("holder").at("pid").as_int64() == 500);
}

BOOST_AUTO_TEST_CASE(scx_service_is_found_from_its_units_processes_without_a_full_scan) {
    FakeTree t;
    t.loaded("rusty");
    t.process(812, 1, "scx_rusty", {"/usr/bin/scx_rusty", "--slice-us", "5000"},
              "/system.slice/scx.service");
    t.bpf_link(812, 9);
    t.unit("scx.service", {812});
    auto m = t.find();
    BOOST_TEST(mgr::manager_kind_name(m.kind) == "scx_service");
    BOOST_TEST(!m.scan.full_scan);
    BOOST_TEST(m.scan.processes == 1u);
    BOOST_REQUIRE(m.unit);
    BOOST_TEST(*m.unit == "scx.service");
    BOOST_TEST(m.summary ==
               "scx.service: 'rusty' is held by pid 812 (/usr/bin/scx_rusty --slice-us 5000), "
               "unit scx.service");
    BOOST_TEST(m.hand_over.find("`systemctl stop scx.service`") == 0u, m.hand_over);
}

BOOST_AUTO_TEST_CASE(scx_loader_is_the_holders_parent) {
    FakeTree t;
    t.loaded("bpfland");
    t.process(700, 1, "scx_loader", {"/usr/bin/scx_loader"}, "/system.slice/scx_loader.service");
    t.process(701, 700, "scx_bpfland", {"scx_bpfland", "-m", "performance"},
              "/system.slice/scx_loader.service");
    t.bpf_link(701, 11);
    t.unit("scx_loader.service", {700, 701});
    auto m = t.find();
    BOOST_TEST(mgr::manager_kind_name(m.kind) == "scx_loader");
    BOOST_REQUIRE(m.owner);
    BOOST_TEST(m.owner->pid == 700);
    BOOST_TEST(m.summary.find("scx_loader (pid 700 (/usr/bin/scx_loader), unit "
                              "scx_loader.service): 'bpfland' is held by pid 701") == 0u,
               m.summary);
    BOOST_TEST(m.hand_over.find("org.scx.Loader.StopScheduler") != std::string::npos);
    // Started by hand (no unit): its parent still says scx_loader.
    FakeTree u;
    u.loaded("bpfland");
    u.process(700, 1, "scx_loader", {"scx_loader"});
    u.process(701, 700, "scx_bpfland", {"scx_bpfland"});
    u.bpf_link(701, 3);
    BOOST_TEST(mgr::manager_kind_name(u.find().kind) == "scx_loader");
}

BOOST_AUTO_TEST_CASE(another_schedcp_process_is_named_through_its_guard_and_sudo) {
    FakeTree t;
    t.loaded("simple");
    t.process(897, 1, "schedcp-cli", {"/usr/bin/schedcp-cli", "default", "run"},
              "/system.slice/schedcp-default.service");
    t.process(898, 897, "sudo", {"sudo", "-n", "schedcp-guard"},
              "/system.slice/schedcp-default.service");
    t.process(899, 898, "schedcp-guard",
              {"/usr/lib/schedcp/libexec/schedcp-guard", "--policy", "/etc/schedcp/guard.policy",
               "--scheduler", "scx_simple", "--", "-f"},
              "/system.slice/schedcp-default.service");
    t.process(900, 899, "scx_simple", {"/usr/bin/scx_simple", "-f"},
              "/system.slice/schedcp-default.service");
    t.bpf_link(900, 5);
    t.unit("schedcp-default.service", {897, 898, 899, 900});
    auto m = t.find();
    BOOST_TEST(mgr::manager_kind_name(m.kind) == "schedcp");
    BOOST_REQUIRE(m.owner);
    BOOST_REQUIRE(m.guard);
    BOOST_TEST(m.owner->pid == 897);
    BOOST_TEST(m.guard->pid == 899);
    BOOST_TEST(*m.unit == "schedcp-default.service");
    BOOST_TEST(
        m.summary.find("another schedcp process, pid 897 (/usr/bin/schedcp-cli default "
                       "run), unit schedcp-default.service: 'simple' is held by pid 900") == 0u,
        m.summary);
    BOOST_TEST(m.hand_over.find("`systemctl stop schedcp-default.service`") == 0u, m.hand_over);
    // The same tree seen from the schedcp process itself.
    auto own = t.find(897);
    BOOST_TEST(mgr::manager_kind_name(own.kind) == "this_process");

}

BOOST_AUTO_TEST_CASE(no_visible_holder_is_unknown_unless_a_manager_unit_runs) {
    FakeTree t;
    t.loaded("lavd");
    t.process(10, 1, "init", {"/sbin/init"});
    auto m = t.find();
    BOOST_TEST(mgr::manager_kind_name(m.kind) == "unknown");
    BOOST_TEST(m.summary.find("'lavd' is loaded, but no process visible here holds its BPF link") ==
               0u);
    t.unit("scx_loader.service", {77});
    m = t.find();
    BOOST_TEST(mgr::manager_kind_name(m.kind) == "scx_loader");
    BOOST_TEST(mgr::manager_evidence_name(m.evidence) == "unit");
}

BOOST_AUTO_TEST_CASE(the_scan_stops_at_max_fds_and_says_so) {
    FakeTree t;
    t.loaded("simple");
    t.process(100, 1, "busy", {"busy"});
    for (int i = 1; i < 10; ++i) t.fd(100, i, "/dev/null");
    t.process(200, 1, "scx_simple", {"scx_simple"});
    t.bpf_link(200, 3);
    auto m = mgr::find_manager({.roots = t.roots, .self_pid = 1, .max_fds = 5});
    BOOST_TEST(m.scan.truncated);
    BOOST_TEST(m.scan.fds == 5u);
    BOOST_TEST(mgr::manager_kind_name(m.kind) == "unknown");
    BOOST_TEST(mgr::manager_kind_name(t.find().kind) == "other");
}

BOOST_AUTO_TEST_CASE(the_kernels_text_is_parsed_as_the_kernel_writes_it) {
    namespace p = mgr::proc_text;
    BOOST_TEST(p::link_type(link_fdinfo("struct_ops")).value() == "struct_ops");
    BOOST_TEST(!p::link_type("pos:\t0\nflags:\t02\n"));
    BOOST_TEST(p::stat_ppid("42 (a) b) c) S 17 42 42 0").value() == 17);
    BOOST_TEST(!p::stat_ppid("42 (x"));
    BOOST_TEST(p::cgroup_unit("0::/system.slice/scx.service\n").value() == "scx.service");
    BOOST_TEST(
        p::cgroup_unit("12:cpu:/x\n0::/user.slice/user@0.service/app.slice/a.scope\n").value() ==
        "a.scope");
    BOOST_TEST(!p::cgroup_unit("0::/\n"));
    BOOST_TEST(!p::cgroup_unit("1:name=systemd:/system.slice/scx.service\n"));
    BOOST_TEST(p::cgroup_populated("populated 1\nfrozen 0\n"));
    BOOST_TEST(!p::cgroup_populated("populated 0\nfrozen 0\n"));
}

BOOST_AUTO_TEST_SUITE_END()
