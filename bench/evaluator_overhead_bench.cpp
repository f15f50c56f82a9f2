// What the evaluator costs per run beyond the workload itself: spawning the workload,
// waiting for it, reading its figure, the statistics and, with a workload_id, recording
// the run in the profile's history, and with the monitor observing each run (CPU from
// /proc/stat, run-queue latency from BPF when root), the two reads around the run.
// evaluate_scheduler runs /bin/true under `default` through a real schedcp server (catalog,
// runner on a fake sched_ext sysfs, workloads, monitor, evaluator; no settle time, no
// warm-up), once with few and once with many repeats (three times each, the median
// reported, the modes interleaved): the
// difference divided by the difference in runs is the cost of one more run, with the
// evaluation's fixed cost (request, checks, report) taken out. The workload's own cost
// is /bin/true spawned and reaped directly (posix_spawn + waitpid), the floor any harness
// pays; the overhead is the per-run cost minus that floor.
//   bench/evaluator_overhead_bench [--runs N]   (N counted runs in the long evaluation,
//                                                default 200, at most 1000)
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "support/mcp_session.hpp"
#include "support/stats.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace bj = boost::json;
namespace fs = std::filesystem;
namespace sb = schedcp::bench;

namespace {

constexpr int kShortRuns = 10;  // the short evaluation: its fixed cost, and a few runs
constexpr int kRounds = 3;      // measurements of each mode; the median is reported

int parse_runs(int argc, char** argv) {
    if (argc == 1) return 200;
    const std::string a = argc > 1 ? argv[1] : "";
    if (argc != 3 || a != "--runs")
        throw std::invalid_argument("usage: evaluator_overhead_bench [--runs N]");
    const int n = std::atoi(argv[2]);
    if (n < 2 * kShortRuns || n > 1000)
        throw std::invalid_argument("--runs takes an integer from " +
                                    std::to_string(2 * kShortRuns) + " to 1000");
    return n;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The floor: /bin/true spawned and reaped directly, median of `n`, in seconds.
double bare_true_seconds(int n) {
    std::vector<double> samples;
    for (int i = 0; i < n; ++i) {
        char* const args[] = {const_cast<char*>("/bin/true"), nullptr};
        const auto t0 = std::chrono::steady_clock::now();
        pid_t pid = 0;
        if (posix_spawn(&pid, "/bin/true", nullptr, nullptr, args, environ) != 0)
            throw std::runtime_error("cannot spawn /bin/true");
        int status = 0;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            throw std::runtime_error("/bin/true did not exit 0");
        samples.push_back(seconds_since(t0));
    }
    return sb::median(samples);
}

struct Evaluated {
    double seconds = 0;       // the tool call, request written to answer read
    double workload_sum = 0;  // the runs' own wall_seconds, as the evaluator measured them
};

// What one line of the bench measures.
struct Mode {
    const char* name;
    bool observe = false;  // the monitor observes each run
    bool record = false;   // each run recorded in a workload's history
};

Evaluated evaluate(sb::McpSession& session, int repeats, bool observe,
                   const std::string& workload_id) {
    bj::object args{{"command", bj::array{"/bin/true"}},
                    {"schedulers", bj::array{"default"}},
                    {"repeats", repeats},
                    {"warmup", 0},
                    {"settle_ms", 0},
                    {"monitor", observe}};
    if (!workload_id.empty()) args["workload_id"] = workload_id;
    const std::string params =
        bj::serialize(bj::object{{"name", "evaluate_scheduler"}, {"arguments", std::move(args)}});
    const auto t0 = std::chrono::steady_clock::now();
    const bj::object result = session.call("tools/call", params);
    Evaluated e{.seconds = seconds_since(t0)};
    if (result.at("isError").as_bool())
        throw std::runtime_error("evaluate_scheduler failed: " + bj::serialize(result));
    const auto& r = result.at("structuredContent").as_object();
    const auto& runs = r.at("runs").as_array();
    if (r.at("state").as_string() != "completed" || runs.size() != std::size_t(repeats))
        throw std::runtime_error("evaluation did not complete: " + bj::serialize(r).substr(0, 500));
    for (const auto& run : runs) e.workload_sum += run.at("wall_seconds").to_number<double>();
    if (observe) {
        const auto& c = r.at("configurations").at(0).as_object();
        for (const char* k : {"cpu", "run_queue_latency"})
            if (!c.at(k).at("available").as_bool())
                std::printf("  (%s not observed: %s)\n", k,
                            std::string(c.at(k).at("reason").as_string()).c_str());
    }
    return e;
}

std::string new_workload(sb::McpSession& session) {
    const bj::object r = session.call(
        "tools/call",
        R"({"name":"workload","arguments":{"command":"create","description":"overhead bench"}})");
    return std::string(r.at("structuredContent").at("workload_id").as_string());
}

// One measurement of a mode's per-run cost: (long - short) / (runs - kShortRuns), each
// with a fresh profile when recording, so both histories start empty.
struct PerRun {
    double seconds = 0;   // the evaluation's time per run
    double workload = 0;  // the runs' own wall_seconds per run
    double fixed = 0;     // the evaluation's fixed cost
};

PerRun measure_once(sb::McpSession& session, int runs, const Mode& mode) {
    const auto short_eval = evaluate(session, kShortRuns, mode.observe,
                                     mode.record ? new_workload(session) : std::string());
    const auto long_eval =
        evaluate(session, runs, mode.observe, mode.record ? new_workload(session) : std::string());
    const double extra = runs - kShortRuns;
    PerRun p{.seconds = (long_eval.seconds - short_eval.seconds) / extra,
             .workload = (long_eval.workload_sum - short_eval.workload_sum) / extra};
    p.fixed = short_eval.seconds - kShortRuns * p.seconds;
    return p;
}

// Medians over `rounds` measurements of each mode, the modes interleaved (A B C A B C) so
// the load of a shared machine spreads over all of them.
void measure(sb::McpSession& session, int runs, int rounds, const std::vector<Mode>& modes,
             double floor) {
    std::vector<std::vector<PerRun>> seen(modes.size());
    for (int r = 0; r < rounds; ++r)
        for (std::size_t m = 0; m < modes.size(); ++m)
            seen[m].push_back(measure_once(session, runs, modes[m]));
    for (std::size_t m = 0; m < modes.size(); ++m) {
        std::vector<double> per_run, workload, outside, fixed;
        for (const auto& p : seen[m]) {
            per_run.push_back(p.seconds);
            workload.push_back(p.workload);
            outside.push_back(p.seconds - p.workload);
            fixed.push_back(p.fixed);
        }
        const double t = sb::median(per_run);
        std::printf(
            "%-26s %8.3f ms per run; the runs' own wall_seconds %.3f ms; the harness outside "
            "the run %.3f ms; overhead beyond /bin/true spawned directly %.3f ms "
            "(fixed cost per evaluation %.1f ms)\n",
            modes[m].name, t * 1e3, sb::median(workload) * 1e3, sb::median(outside) * 1e3,
            (t - floor) * 1e3, sb::median(fixed) * 1e3);
    }
}

}  // namespace

int main(int argc, char** argv) try {
    const int runs = parse_runs(argc, argv);
    sb::TempDir scratch("schedcp-bench-evaluator");
    const fs::path sysfs = scratch.path() / "sysfs";
    fs::create_directories(sysfs);
    scratch.write("sysfs/state", "disabled\n");
    scratch.write("sysfs/enable_seq", "0\n");
    const fs::path config = scratch.write(
        "schedcp.yaml",
        "data_dir: " + (scratch.path() / "data").string() +
            "\nplugins:\n  - name: catalog\n  - name: runner\n    settings: "
            "{sched_ext_root: " +
            sysfs.string() +
            "}\n  - name: workloads\n  - name: monitor\n  - name: evaluator\n    settings: "
            "{max_repeats: 1000}\n");
    sb::ServerProcess server(
        "schedcp", {std::string(SCHEDCP_BIN_DIR) + "/schedcp", "--config", config.string()},
        std::chrono::minutes(5));
    sb::McpSession session(server);
    session.handshake();

    const double floor = bare_true_seconds(runs);
    std::printf("/bin/true spawned and reaped directly: %.3f ms (median of %d)\n", floor * 1e3,
                runs);
    std::printf("evaluate_scheduler /bin/true under default, %d vs %d runs, median of %d:\n", runs,
                kShortRuns, kRounds);
    measure(session, runs, kRounds,
            {Mode{.name = "unobserved, no history:"},
             Mode{.name = "observed, no history:", .observe = true},
             Mode{.name = "observed, with history:", .observe = true, .record = true}},
            floor);
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "evaluator_overhead_bench: %s\n", e.what());
    return 1;
}
