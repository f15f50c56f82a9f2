// get_system_info over MCP and `schedcp-cli info` on this machine, checked against the
// kernel's own tools: nproc, lscpu (util-linux) and uname -r; and the installed schedulers'
// versions from the runner's scheduler_paths.
#include <sys/stat.h>

#include <filesystem>

#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"

using namespace schedcp::test;

namespace {

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// lscpu -J's "data" for a field ("CPU(s):"), searched through nested entries.
std::optional<std::string> lscpu_field(const bj::array& entries, const std::string& field) {
    for (const auto& e : entries) {
        const auto& o = e.as_object();
        if (o.at("field").as_string() == field && o.at("data").is_string())
            return std::string(o.at("data").as_string());
        if (const auto* children = o.if_contains("children"))
            if (auto v = lscpu_field(children->as_array(), field)) return v;
    }
    return std::nullopt;
}

struct SystemFixture {
    TempDir dir;
    std::string schedulers = make_schedulers();
    std::string cfg = write_config(dir,
                                   "  - name: catalog\n  - name: runner\n    settings:\n"
                                   "      scheduler_paths: [" +
                                       schedulers + "]\n  - name: system\n");

    // A stand-in scx_rusty that only answers --version (the catalog knows the name). As root
    // the probe runs it as nobody, so its directory must be reachable by others.
    std::string make_schedulers() {
        ::chmod(dir.path().c_str(), 0755);
        std::filesystem::create_directories(dir.file("bin"));
        const std::string p = dir.write(
            "bin/scx_rusty", "#!/bin/sh\n[ \"$1\" = --version ] && echo 'scx_rusty 9.9.9'\n");
        ::chmod(p.c_str(), 0755);
        return dir.file("bin");
    }
    bj::object info_json() {
        auto r = run({bin("schedcp-cli"), "--config", cfg, "info", "--json"});
        BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
        return bj::parse(r.out).as_object();
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(system_info, SystemFixture)

BOOST_AUTO_TEST_CASE(info_agrees_with_nproc_lscpu_and_uname) {
    const auto info = info_json();
    const auto& cpu = info.at("cpu").as_object();
    auto nproc = run({"/usr/bin/nproc", "--all"});
    BOOST_REQUIRE(nproc.status == 0);
    BOOST_TEST(cpu.at("logical_cpus").to_number<long>() == std::stol(nproc.out));
    auto uname = run({"/usr/bin/uname", "-r"});
    BOOST_TEST(info.at("kernel").at("release").as_string() == trimmed(uname.out));
    auto lscpu = run({"/usr/bin/lscpu", "-J"}, {{"LC_ALL", "C"}});
    BOOST_REQUIRE_MESSAGE(lscpu.status == 0, lscpu.err);
    const auto entries = bj::parse(lscpu.out).at("lscpu").as_array();
    BOOST_TEST(cpu.at("online_cpus").as_string() != "");
    BOOST_TEST(cpu.at("logical_cpus").to_number<long>() ==
               std::stol(lscpu_field(entries, "CPU(s):").value()));
    BOOST_TEST(info.at("kernel").at("architecture").as_string() ==
               lscpu_field(entries, "Architecture:").value());
    const long per_core = std::stol(lscpu_field(entries, "Thread(s) per core:").value());
    BOOST_TEST(cpu.at("threads_per_core").to_number<long>() == per_core);
    const long sockets = std::stol(lscpu_field(entries, "Socket(s):").value());
    BOOST_TEST(cpu.at("packages").to_number<long>() == sockets);
    BOOST_TEST(cpu.at("cores").to_number<long>() ==
               sockets * std::stol(lscpu_field(entries, "Core(s) per socket:").value()));
    if (auto model = lscpu_field(entries, "Model name:"))
        BOOST_TEST(cpu.at("model").as_string() == *model);
    if (auto nodes = lscpu_field(entries, "NUMA node(s):"))
        BOOST_TEST(cpu.at("numa_nodes").as_array().size() == std::stoul(*nodes));
}

BOOST_AUTO_TEST_CASE(installed_schedulers_with_their_versions) {
    const auto s = info_json().at("schedulers").as_object();
    BOOST_REQUIRE(s.at("available").as_bool());
    BOOST_TEST(s.at("catalogued").to_number<long>() > 1);
    bool found = false;
    for (const auto& e : s.at("installed").as_array())
        if (e.at("name").as_string() == "scx_rusty") {
            found = true;
            BOOST_TEST(e.at("path").as_string() == schedulers + "/scx_rusty");
            BOOST_TEST(e.at("version").as_string() == "scx_rusty 9.9.9");
        }
    BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(the_tool_over_mcp_and_the_table) {
    McpClient c(cfg);
    c.initialize();
    auto r = c.call("get_system_info", bj::object{});
    BOOST_REQUIRE_MESSAGE(r.contains("result") && !r.at("result").at("isError").as_bool(),
                          bj::serialize(r));
    const auto& info = r.at("result").at("structuredContent").as_object();
    for (const char* key :
         {"kernel", "sched_ext", "manager", "cpu", "memory", "load", "schedulers"})
        BOOST_TEST(info.contains(key), key);
    BOOST_TEST(info.at("sched_ext").at("present").is_bool());
    auto bad = c.call("get_system_info", bj::object{{"verbose", true}});
    BOOST_TEST(bad.at("result").at("isError").as_bool());
    auto table = run({bin("schedcp-cli"), "--config", cfg, "info"});
    BOOST_REQUIRE_MESSAGE(table.status == 0, table.err);
    BOOST_TEST(table.out.find("LLC domains") != std::string::npos);
    BOOST_TEST(table.out.find("scx_rusty 9.9.9") != std::string::npos);
    BOOST_TEST(table.out.find("in charge") != std::string::npos);
}

// The manager in charge (#17), from fake trees: scx.service's process holds sched_ext's
// struct_ops link.
BOOST_AUTO_TEST_CASE(the_manager_in_charge_is_reported) {
    const auto put = [&](const std::string& path, const std::string& content) {
        std::filesystem::create_directories(std::filesystem::path(dir.file(path)).parent_path());
        dir.write(path, content);
    };
    put("sys/kernel/sched_ext/state", "enabled\n");
    put("sys/kernel/sched_ext/root/ops", "rusty\n");
    put("sys/fs/cgroup/system.slice/scx.service/cgroup.events", "populated 1\n");
    put("sys/fs/cgroup/system.slice/scx.service/cgroup.procs", "812\n");
    put("proc/812/stat", "812 (scx_rusty) S 1 812 812 0 -1\n");
    put("proc/812/comm", "scx_rusty\n");
    put("proc/812/cmdline", std::string("/usr/bin/scx_rusty\0", 19));
    put("proc/812/cgroup", "0::/system.slice/scx.service\n");
    put("proc/812/fdinfo/4", "pos:\t0\nlink_type:\tstruct_ops\nlink_id:\t3\n");
    std::filesystem::create_directories(dir.file("proc/812/fd"));
    std::filesystem::create_symlink("anon_inode:bpf_link", dir.file("proc/812/fd/4"));
    const std::string fake =
        write_config(dir,
                     "  - name: catalog\n  - name: system\n    settings:\n"
                     "      sys_root: " +
                         dir.file("sys") + "\n      proc_root: " + dir.file("proc") + "\n");
    auto r = run({bin("schedcp-cli"), "--config", fake, "info", "--json"});
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto m = bj::parse(r.out).at("manager").as_object();
    BOOST_TEST(m.at("kind").as_string() == "scx_service");
    BOOST_TEST(m.at("holder").at("pid").as_int64() == 812);
    auto table = run({bin("schedcp-cli"), "--config", fake, "info"});
    BOOST_TEST(table.out.find("scx.service: 'rusty' is held by pid 812 (/usr/bin/scx_rusty)") !=
                   std::string::npos,
               table.out);
    BOOST_TEST(table.out.find("`systemctl stop scx.service`") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
