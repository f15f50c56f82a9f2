#include "startup_and_rss.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>

#include "run_to_exit.hpp"
#include "stats.hpp"
#include "targets.hpp"
#include "workloads.hpp"

namespace schedcp::bench {

namespace {

void print_times(const std::string& what, std::size_t runs, const std::function<double()>& once) {
    std::vector<double> ms;
    for (std::size_t i = 0; i < runs; ++i) ms.push_back(once() * 1e3);
    std::printf("  %-40s median %8.2f ms  min %8.2f ms  (%zu runs)\n", what.c_str(), median(ms),
                *std::min_element(ms.begin(), ms.end()), runs);
}

double seconds_to_initialize(const ServerTarget& target, const RttOptions& o) {
    const auto start = std::chrono::steady_clock::now();
    Launched server =
        launch(target, o.timeout, o.server_cpu);  // returns once the initialize answer is read
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void run_startup(const RttOptions& o) {
    TempDir scratch("schedcp-bench-startup");
    const ServerTarget subject = schedcp_target(o.server_argv, scratch);
    std::printf("start-up: spawn until the initialize answer is read\n");
    print_times("floor (pipe_floor)", o.startup_runs,
                [&] { return seconds_to_initialize(floor_target(100), o); });
    print_times(subject.label + " (all plugins of its config)", o.startup_runs,
                [&] { return seconds_to_initialize(subject, o); });
    std::string why_not;
    if (auto ts = ts_target(why_not); ts && o.reference)
        print_times("ts-sdk (node bench/ts-server)", o.startup_runs,
                    [&] { return seconds_to_initialize(*ts, o); });
    else if (o.reference)
        std::cerr << "note: the TypeScript SDK reference server is skipped: " << why_not << "\n";

    std::printf("command line: spawn until exit\n");
    const std::string cli = bin_path("schedcp-cli");
    const std::string config = default_config_in(scratch).string();
    print_times("schedcp-cli --version", o.startup_runs, [&] {
        return time_to_exit({cli, "--version"}, o.timeout);
    });
    print_times("schedcp-cli list", o.startup_runs, [&] {
        return time_to_exit({cli, "--config", config, "list"}, o.timeout);
    });
}

void run_rss(const RttOptions& o) {
    constexpr std::size_t kEarlyCalls = 1000;
    TempDir scratch("schedcp-bench-rss");
    const ServerTarget subject = schedcp_target(o.server_argv, scratch);
    Launched server = launch(subject, o.timeout, o.server_cpu);
    const std::vector<Workload> workloads = prepare_workloads(*server.session);
    for (const auto& w : workloads) check_workload(*server.session, w);

    // Every workload in turn, in batches of 100 calls, so both readings follow the same mix.
    constexpr std::size_t kBatch = 100;
    std::size_t done = 0, next = 0;
    auto calls_until = [&](std::size_t target) {
        while (done < target) {
            const std::size_t n = std::min(kBatch, target - done);
            measure_round_trips(*server.session, workloads[next++ % workloads.size()].request, n,
                                o.depth);
            done += n;
        }
    };
    calls_until(kEarlyCalls);
    const long early = server.process->rss_kib();
    const auto start = std::chrono::steady_clock::now();
    calls_until(o.rss_calls);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const long late = server.process->rss_kib();
    std::printf(
        "%s VmRSS: %ld KiB after %zu calls, %ld KiB after %zu calls: ratio %.3f "
        "(issue #14: within 1.10); %zu workloads in turn, %zu in flight, %.1f s\n",
        subject.label.c_str(), early, kEarlyCalls, late, o.rss_calls,
        static_cast<double>(late) / static_cast<double>(early), workloads.size(), o.depth, seconds);
}

}  // namespace schedcp::bench
