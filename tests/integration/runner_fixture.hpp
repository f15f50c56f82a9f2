// The runner's integration fixture: a test directory with a fake sched_ext sysfs, a bin/ of
// fake schedulers (tests/fakes/fake_scheduler.cpp) and a guard policy leading there, and the
// helpers that read tool results. Shared by the runner's test files.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"

namespace schedcp::test::runner_fixture {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline bool alive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    auto close = line.rfind(')');
    return close != std::string::npos && line.size() > close + 2 && line[close + 2] != 'Z';
}

inline bool gone_within(pid_t pid, std::chrono::milliseconds t) {
    auto deadline = std::chrono::steady_clock::now() + t;
    while (alive(pid))
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        else
            std::this_thread::sleep_for(20ms);
    return true;
}

struct RunnerFixture {
    TempDir dir;
    std::string sysfs = dir.file("sysfs");
    std::string bin = dir.file("bin");

    std::string policy = dir.file("guard.policy");
    // Where the runner looks for scx_loader's and scx.service's configuration (absent unless
    // a test writes them).
    std::string scx_loader_file = dir.file("scx_loader.toml");
    std::string scx_service_file = dir.file("default_scx");

    RunnerFixture() {
        fs::create_directories(sysfs);
        fs::create_directories(bin);
        std::ofstream(sysfs + "/state") << "disabled\n";
        std::ofstream(sysfs + "/enable_seq") << "0\n";
        // schedcp-guard runs only what its policy leads to: here, the test's bin/.
        std::ofstream(policy) << "# schedcp-guard policy 1\nscheduler_dir " << bin << "\n";
    }

    // Installs a fake scheduler called `name` with the given behaviour.
    void scheduler(const std::string& name, const std::string& conf = "") {
        fs::create_symlink(FAKE_SCHEDULER, bin + "/" + name);
        std::ofstream(bin + "/" + name + ".conf")
            << "sysfs=" << sysfs << "\npidfile=" << dir.file(name + ".pid") << "\n"
            << conf;
    }
    pid_t pid_of(const std::string& name) {
        return static_cast<pid_t>(std::stol(slurp(dir.file(name + ".pid"))));
    }
    std::string state() {
        std::string s = slurp(sysfs + "/state");
        return s.substr(0, s.find('\n'));
    }

    std::string config(const std::string& root_override = "", const std::string& extra = "") {
        return write_config(
            dir, "  - name: catalog\n  - name: runner\n    settings:\n      scheduler_paths: [" +
                     bin +
                     "]\n      sched_ext_root: " + (root_override.empty() ? sysfs : root_override) +
                     "\n      guard_policy: " + policy + "\n      cgroup_root: " + dir.file("cgroup") +
                     "\n      start_timeout_ms: 3000\n      stop_int_timeout_ms: 400\n"
                     "      stop_term_timeout_ms: 400\n      output_lines: 20\n"
                     // The other tools' configuration: the test's files, never the machine's.
                     "      scx_loader_config: [" +
                     scx_loader_file + "]\n      scx_service_config: " + scx_service_file + "\n" +
                     extra);
    }
};

// schedcp-cli with the config `cfg`.
inline RunResult cli(const std::string& cfg, std::vector<std::string> args) {
    args.insert(args.begin(), {schedcp::test::bin("schedcp-cli"), "--config", cfg});
    return run(args);
}

inline const bj::object& result(const bj::object& r) {
    BOOST_REQUIRE_MESSAGE(r.contains("result"), bj::serialize(r));
    return r.at("result").as_object();
}

inline std::string error_text(const bj::object& r) {
    const auto& res = result(r);
    BOOST_REQUIRE_MESSAGE(res.at("isError").as_bool(), bj::serialize(r));
    return std::string(res.at("content").at(0).at("text").as_string());
}

inline const bj::object& ok(const bj::object& r) {
    const auto& res = result(r);
    BOOST_REQUIRE_MESSAGE(!res.at("isError").as_bool(), bj::serialize(r));
    return res.at("structuredContent").as_object();
}

// The execution's status once it has ended (polled; fails the test after 20 s).
inline bj::object wait_ended(McpClient& c, const std::string& id) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (true) {
        bj::object st = ok(c.call("get_execution_status", {{"execution_id", id}}));
        if (!st.at("ended_at").is_null()) return st;
        BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                              "execution " + id + " did not end: " + bj::serialize(st));
        std::this_thread::sleep_for(50ms);
    }
}

}  // namespace schedcp::test::runner_fixture
