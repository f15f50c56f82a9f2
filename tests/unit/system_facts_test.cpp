// The system plugin's host facts over fake trees, and the installed schedulers' --version
// probe against small programs written by the test.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "schedcp/sdk/sched_ext.hpp"
#include "system/host_facts.hpp"
#include "system/version_probe.hpp"
#include "system_fake_host.hpp"

namespace bj = boost::json;
namespace fs = std::filesystem;
using namespace schedcp::plugins::system;
using schedcp::test::FakeHost;
using schedcp::test::TempDir;
using namespace std::chrono_literals;

namespace {

// An executable shell script (the probe runs it by its path, as argv; as root it runs as
// nobody, so the directory must be reachable by others).
fs::path script(const TempDir& dir, const std::string& name, const std::string& body) {
    ::chmod(dir.path().c_str(), 0755);
    const fs::path p = dir.write(name, "#!/bin/sh\n" + body + "\n");
    ::chmod(p.c_str(), 0755);
    return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(system_facts)

BOOST_FIXTURE_TEST_CASE(kernel_features_from_the_roots, FakeHost) {
    put("proc/sys/kernel/osrelease", "6.12.0-test\n");
    put("proc/sys/kernel/arch", "aarch64\n");
    put("sys/kernel/btf/vmlinux", "BTF");
    put("sys/fs/cgroup/unified/cgroup.controllers", "cpu memory\n");
    auto k = kernel_facts(roots);
    BOOST_TEST(k.at("release").as_string() == "6.12.0-test");
    BOOST_TEST(k.at("architecture").as_string() == "aarch64");
    BOOST_TEST(k.at("btf").at("available").as_bool());
    BOOST_TEST(k.at("cgroup_v2").as_bool());
    BOOST_TEST(k.at("cgroup_mode").as_string() == "hybrid");
    BOOST_TEST(!k.at("psi").at("available").as_bool());
    BOOST_TEST(k.at("psi").at("reason").as_string() ==
               roots.proc.string() +
                   "/pressure/cpu is missing (needs CONFIG_PSI, and psi=1 if disabled by default)");
    put("sys/fs/cgroup/cgroup.controllers", "cpu\n");
    put("proc/pressure/cpu", "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
    k = kernel_facts(roots);
    BOOST_TEST(k.at("cgroup_mode").as_string() == "unified");
    BOOST_TEST(k.at("psi").at("available").as_bool());
    fs::remove_all(roots.sys / "fs");
    BOOST_TEST(kernel_facts(roots).at("cgroup_mode").as_string() == "legacy");
    BOOST_TEST(!kernel_facts(roots).at("cgroup_v2").as_bool());
}

BOOST_FIXTURE_TEST_CASE(sched_ext_with_and_without_a_scheduler, FakeHost) {
    auto absent = sched_ext_facts(roots);
    BOOST_TEST(!absent.at("present").as_bool());
    BOOST_TEST(absent.at("reason").as_string() ==
               schedcp::sdk::sched_ext::no_sched_ext_message(roots.sys / "kernel/sched_ext"));
    put("sys/kernel/sched_ext/state", "disabled\n");
    put("sys/kernel/sched_ext/enable_seq", "3\n");
    put("sys/kernel/sched_ext/hotplug_seq", "0\n");
    put("sys/kernel/sched_ext/nr_rejected", "0\n");
    put("sys/kernel/sched_ext/switch_all", "0\n");
    auto idle = sched_ext_facts(roots);
    BOOST_TEST(idle.at("present").as_bool());
    BOOST_TEST(idle.at("state").as_string() == "disabled");
    BOOST_TEST(idle.at("ops").is_null());
    BOOST_TEST(idle.at("enable_seq").as_uint64() == 3u);
    BOOST_TEST(!idle.at("events").at("available").as_bool());
    BOOST_TEST(
        idle.at("events").at("reason").as_string().starts_with("no sched_ext scheduler is loaded"));
    put("sys/kernel/sched_ext/state", "enabled\n");
    put("sys/kernel/sched_ext/switch_all", "1\n");
    put("sys/kernel/sched_ext/root/ops", "simple\n");
    put("sys/kernel/sched_ext/root/events",
        "SCX_EV_SELECT_CPU_FALLBACK 4\nSCX_EV_BYPASS_DURATION 0\n");
    auto running = sched_ext_facts(roots);
    BOOST_TEST(running.at("state").as_string() == "enabled");
    BOOST_TEST(running.at("ops").as_string() == "simple");
    BOOST_TEST(running.at("switch_all").as_bool());
    BOOST_TEST(
        bj::serialize(running.at("events")) ==
        R"({"available":true,"counters":{"SCX_EV_SELECT_CPU_FALLBACK":4,"SCX_EV_BYPASS_DURATION":0}})");
}

BOOST_FIXTURE_TEST_CASE(memory_and_load, FakeHost) {
    BOOST_TEST(!memory_facts(roots).at("available").as_bool());
    BOOST_TEST(!load_facts(roots).at("available").as_bool());
    put("proc/meminfo",
        "MemTotal:       16384000 kB\nMemFree: 1 kB\nMemAvailable:    8192000 kB\n"
        "SwapTotal:       2048000 kB\nSwapFree:        1024000 kB\n");
    put("proc/loadavg", "0.52 0.40 0.30 2/345 6789\n");
    BOOST_TEST(
        bj::serialize(memory_facts(roots)) ==
        R"({"total_mb":16000,"available_mb":8000,"swap_total_mb":2000,"swap_free_mb":1000})");
    BOOST_TEST(
        bj::serialize(load_facts(roots)) ==
        R"({"one_minute":5.2E-1,"five_minutes":4E-1,"fifteen_minutes":3E-1,"runnable":2,"tasks":345})");
    put("proc/loadavg", "0.52 0.40\n");
    BOOST_TEST(!load_facts(roots).at("available").as_bool());
}

BOOST_AUTO_TEST_CASE(versions_run_together_bounded_and_cached) {
    TempDir dir;
    const auto good = script(dir, "scx_good", "echo; echo '  scx_good 1.0.2 (abc123) x86_64'");
    const auto unknown = script(dir, "scx_unknown", "echo 'unknown option --version' >&2; exit 1");
    const auto slow = script(dir, "scx_slow", "exec sleep 30");
    const auto loud = script(dir, "scx_loud", "head -c 100000 /dev/zero | tr '\\0' 'x'");
    VersionProbe probe({.timeout = 500ms, .max_output_bytes = 64});
    auto r = probe.versions({good, unknown, slow, loud, dir.file("missing")});
    BOOST_REQUIRE(r.size() == 5u);
    BOOST_TEST(r[0].version.value_or("") == "scx_good 1.0.2 (abc123) x86_64");
    BOOST_TEST(!r[0].error);
    BOOST_TEST(r[1].version.value_or("") == "unknown option --version");
    BOOST_TEST(r[1].error.value_or("") == "exit code 1 (it may not know --version)");
    BOOST_TEST(!r[2].version);
    BOOST_TEST(r[2].error.value_or("") == "timed out after 500 ms");
    BOOST_TEST(r[3].version.value_or("") == std::string(64, 'x') + " [output truncated]");
    BOOST_TEST(r[4].error.value_or("").starts_with("cannot read " + dir.file("missing")));
    BOOST_TEST(probe.runs() == 4u);
    // Cached per path and modification time; a timeout is tried again.
    auto again = probe.versions({good, unknown, loud});
    BOOST_TEST(again[0].version.value_or("") == r[0].version.value_or("-"));
    BOOST_TEST(probe.runs() == 4u);
    probe.versions({slow});
    BOOST_TEST(probe.runs() == 5u);
    // A replaced program is run again.
    fs::last_write_time(good, fs::last_write_time(good) + 1s);
    probe.versions({good});
    BOOST_TEST(probe.runs() == 6u);
}

BOOST_AUTO_TEST_CASE(versions_never_run_with_privileges) {
    // A scheduler that ignored --version would load itself: as root the probe runs it as
    // nobody, under Landlock, so it can write nothing and load nothing.
    if (::geteuid() != 0) return;  // only root changes user; the suite runs as root in CI
    TempDir dir;
    const std::string marker = dir.file("written");
    const auto who = script(dir, "scx_who",
                            "echo \"uid $(id -u)\"; touch " + marker +
                                " 2>/dev/null; "
                                "[ -e " +
                                marker + " ] && echo wrote || echo 'could not write'");
    VersionProbe probe({.timeout = 2000ms, .max_output_bytes = 256});
    auto r = probe.versions({who});
    BOOST_TEST(r[0].version.value_or("") == "uid 65534", r[0].error.value_or(""));
    BOOST_TEST(!fs::exists(marker));
    // A user that is root is refused, and nothing runs.
    VersionProbe as_root({.timeout = 2000ms, .max_output_bytes = 256, .user = "root"});
    auto refused = as_root.versions({who});
    BOOST_TEST(refused[0].error.value_or("").find("is root; choose an unprivileged user") !=
                   std::string::npos,
               refused[0].error.value_or(""));
    BOOST_TEST(!fs::exists(marker));
}

BOOST_AUTO_TEST_CASE(version_output_interpretation) {
    auto r = interpret_version_output("\x1b[1mscx_x 2.0\x1b[0m\nmore\n", false, 0, std::nullopt,
                                      false, 2000ms);
    BOOST_TEST(r.version.value_or("") == "scx_x 2.0");
    BOOST_TEST(!r.error);
    r = interpret_version_output("", false, std::nullopt, 9, false, 2000ms);
    BOOST_TEST(!r.version);
    BOOST_TEST(r.error.value_or("") == "killed by SIGKILL");
}

BOOST_AUTO_TEST_SUITE_END()
