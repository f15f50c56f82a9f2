// system_monitor over MCP and `schedcp-cli monitor`: real samples from this machine, a
// busy core showing up, honest availability, run-queue latency from BPF, error paths.
#include <unistd.h>

#include <thread>

#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"
#include "scx_stats_server.hpp"

using namespace schedcp::test;
using namespace std::chrono_literals;

namespace {

struct MonitorFixture {
    TempDir dir;
    std::string cfg = write_config(dir, "  - name: catalog\n  - name: runner\n  - name: monitor\n");

    bj::object ok(const bj::object& r) {
        BOOST_REQUIRE_MESSAGE(r.contains("result") && !r.at("result").at("isError").as_bool(),
                              bj::serialize(r));
        return r.at("result").at("structuredContent").as_object();
    }
    std::string error(const bj::object& r) {
        BOOST_REQUIRE_MESSAGE(r.contains("result") && r.at("result").at("isError").as_bool(),
                              bj::serialize(r));
        return std::string(r.at("result").at("content").at(0).at("text").as_string());
    }
    // A server whose monitor reads the scheduler's statistics from `socket`.
    McpClient with_stats_socket(const std::string& socket, int timeout_ms) {
        return McpClient(write_config(
            dir,
            "  - name: catalog\n  - name: runner\n  - name: "
            "monitor\n    settings:\n      runqlat: false\n"
            "      scx_stats_socket: " +
                socket + "\n      scx_stats_timeout_ms: " + std::to_string(timeout_ms) + "\n"));
    }
    // Polls status until the session has `n` samples (bounded; false if it never does).
    bool wait_for_samples(McpClient& c, std::int64_t n) {
        for (int i = 0; i < 200; ++i) {
            if (ok(c.call("system_monitor", {{"command", "status"}})).at("samples").as_int64() >= n)
                return true;
            std::this_thread::sleep_for(50ms);
        }
        return false;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(monitor, MonitorFixture)

BOOST_AUTO_TEST_CASE(three_seconds_under_a_busy_loop) {
    McpClient c(cfg);
    c.initialize();
    Subprocess busy({BUSY_LOOP, "3500"});
    auto started = ok(c.call("system_monitor", {{"command", "start"}, {"interval_ms", 500}}));
    BOOST_TEST(started.at("session_id").as_string().starts_with("mon_"));
    std::this_thread::sleep_for(1500ms);
    auto st = ok(c.call("system_monitor", {{"command", "status"}}));
    BOOST_TEST(st.at("running").as_bool());
    BOOST_TEST(st.at("samples").as_int64() >= 2);
    // The server keeps answering while it samples.
    BOOST_TEST(c.request("ping").contains("result"));
    std::this_thread::sleep_for(1500ms);
    auto stopped = ok(c.call("system_monitor", {{"command", "stop"}}));
    const auto& s = stopped.at("summary").as_object();
    BOOST_TEST(s.at("sample_count").as_int64() >= 2);
    BOOST_TEST(s.at("duration_secs").as_double() >= 2.9);
    // One core spinning: some CPU is near 100% at its peak, and the overall average shows it.
    double busiest = 0;
    for (const auto& cpu : s.at("cpu").at("per_cpu_percent").as_array())
        busiest = std::max(busiest, cpu.at("max").to_number<double>());
    BOOST_TEST(busiest >= 90.0, "busiest CPU peaked at " << busiest << "%");
    BOOST_TEST(s.at("cpu").at("avg_percent").to_number<double>() >=
               100.0 / static_cast<double>(s.at("cpu").at("per_cpu_percent").as_array().size()) *
                   0.8);
    BOOST_TEST(s.at("memory").at("avg_percent").to_number<double>() > 0.0);
    BOOST_TEST(s.at("memory").at("total_mb").to_number<double>() > 0.0);
    BOOST_TEST(s.at("context_switches_per_sec").at("avg").to_number<double>() > 0.0);
    // This machine has no /proc/schedstat: said so, with the reason, not zeros.
    if (::access("/proc/schedstat", F_OK) != 0) {
        BOOST_TEST(!s.at("schedstat").at("available").as_bool());
        BOOST_TEST(s.at("schedstat").at("reason").as_string().find("does not exist") !=
                   std::string::npos);
    }
    // SchedCP's summary.scheduler: from /proc/schedstat where it exists (a core was busy, so
    // timeslices ran), else unavailable with schedstat's reason.
    const auto& sched = s.at("scheduler").as_object();
    if (::access("/proc/schedstat", F_OK) == 0) {
        BOOST_TEST(sched.at("available").as_bool(), bj::serialize(sched));
        BOOST_TEST(sched.at("total_timeslices").to_number<std::uint64_t>() > 0u);
        BOOST_TEST(sched.at("avg_run_time_ns").to_number<std::uint64_t>() > 0u);
    } else {
        BOOST_TEST(!sched.at("available").as_bool());
        BOOST_TEST(sched.at("reason").as_string().find("does not exist") != std::string::npos);
    }
    if (::access("/sys/kernel/sched_ext", F_OK) != 0)
        BOOST_TEST(!s.at("sched_ext").at("available").as_bool());
    // Run-queue latency from BPF: needs root here, and then must work.
    const auto& rq = s.at("runqlat").as_object();
    BOOST_REQUIRE_MESSAGE(rq.at("available").as_bool(),
                          "runqlat did not load: " << bj::serialize(rq));
    BOOST_TEST(rq.at("count").to_number<std::uint64_t>() > 0u);
    BOOST_TEST(rq.at("p50_us").to_number<double>() <= rq.at("p95_us").to_number<double>());
    BOOST_TEST(rq.at("p95_us").to_number<double>() <= rq.at("p99_us").to_number<double>());
    BOOST_TEST(rq.at("max_us").to_number<double>() > 0.0);
    BOOST_TEST(!rq.at("histogram").as_array().empty());
    BOOST_TEST(stopped.at("message").as_string().find("Monitoring session " +
                                                      std::string(s.at("session_id").as_string()) +
                                                      " completed") == 0u);
}

BOOST_AUTO_TEST_CASE(scheduler_statistics_are_sampled_and_summarised) {
    StatsServer server(dir, [](const bj::object&) {
        return std::optional<std::string>(R"({"errno":0,"args":{"resp":{"busy":40}}})"
                                          "\n");
    });
    McpClient c = with_stats_socket(server.path(), 1000);
    c.initialize();
    ok(c.call("system_monitor", {{"command", "start"}, {"interval_ms", 100}}));
    BOOST_REQUIRE(wait_for_samples(c, 4));
    const auto s = ok(c.call("system_monitor", {{"command", "stop"}})).at("summary");
    const auto& stats = s.at("scheduler_stats");
    BOOST_REQUIRE_MESSAGE(stats.at("available").as_bool(), bj::serialize(stats));
    BOOST_TEST(stats.at("samples").as_int64() >= 1);
    BOOST_TEST(stats.at("fields").at("busy").at("max").as_double() == 40.0);
}

// A socket that accepts and never answers (a hung scheduler) holds one read on a worker
// thread; the sampling goes on without it, and no second read piles up behind the first.
BOOST_AUTO_TEST_CASE(a_socket_that_never_answers_does_not_hold_the_sampling) {
    StatsServer silent(dir, [](const bj::object&) { return std::optional<std::string>(); });
    McpClient c = with_stats_socket(silent.path(), 10000);
    c.initialize();
    ok(c.call("system_monitor", {{"command", "start"}, {"interval_ms", 100}}));
    BOOST_REQUIRE(wait_for_samples(c, 5));
    BOOST_TEST(silent.requests().size() == 1u);
    const auto s = ok(c.call("system_monitor", {{"command", "stop"}})).at("summary");
    BOOST_TEST(bj::serialize(s.at("scheduler_stats")) ==
               bj::serialize(bj::object{
                   {"available", false},
                   {"reason",
                    "the scx_stats read asked at an earlier sample has not been answered yet"}}));
}

BOOST_AUTO_TEST_CASE(error_paths) {
    McpClient c(cfg);
    c.initialize();
    BOOST_TEST(error(c.call("system_monitor", {{"command", "stop"}}))
                   .find("No active monitoring session") == 0u);
    ok(c.call("system_monitor", {{"command", "start"}}));
    BOOST_TEST(error(c.call("system_monitor", {{"command", "start"}}))
                   .find("A monitoring session is already active") == 0u);
    BOOST_TEST(error(c.call("system_monitor", {{"command", "pause"}}))
                   .find("arguments.command must be one of") != std::string::npos);
    BOOST_TEST(error(c.call("system_monitor", {{"command", "start"}, {"interval_ms", 50}}))
                   .find("arguments.interval_ms must be >= 100") != std::string::npos);
    BOOST_TEST(error(c.call("system_monitor", {{"command", "stop"}, {"interval_ms", 500}}))
                   .find("interval_ms only applies to command 'start'") == 0u);
    ok(c.call("system_monitor", {{"command", "stop"}}));
    BOOST_TEST(!ok(c.call("system_monitor", {{"command", "status"}})).at("running").as_bool());
}

BOOST_AUTO_TEST_CASE(runqlat_can_be_turned_off) {
    std::string off = write_config(dir, "  - name: monitor\n    settings: {runqlat: false}\n");
    McpClient c(off);
    c.initialize();
    ok(c.call("system_monitor", {{"command", "start"}, {"interval_ms", 100}}));
    std::this_thread::sleep_for(300ms);
    auto s = ok(c.call("system_monitor", {{"command", "stop"}})).at("summary").as_object();
    BOOST_TEST(bj::serialize(s.at("runqlat")) ==
               R"({"available":false,"reason":"disabled by the monitor's runqlat setting"})");
}

BOOST_AUTO_TEST_CASE(cli_monitor_json) {
    auto r = run({bin("schedcp-cli"), "--config", cfg, "monitor", "-d", "2", "--json"});
    BOOST_TEST(r.status == 0, r.err);
    boost::system::error_code ec;
    auto v = bj::parse(r.out, ec);
    BOOST_REQUIRE_MESSAGE(!ec, "not JSON: " << r.out.substr(0, 200));
    BOOST_TEST(v.at("sample_count").as_int64() >= 2);
    BOOST_TEST(v.as_object().contains("runqlat"));
    r = run({bin("schedcp-cli"), "--config", cfg, "monitor", "-d", "1", "--interval", "200"});
    BOOST_TEST(r.out.find("=== System Monitoring Summary ===") != std::string::npos, r.out);
    r = run({bin("schedcp-cli"), "--config", cfg, "monitor", "--interval", "5"});
    BOOST_TEST(r.status == 2);
}

BOOST_AUTO_TEST_SUITE_END()
