// Measures what one monitor sample costs: reading and parsing /proc/stat, meminfo,
// schedstat, pressure/cpu, loadavg and the sched_ext state (take_sample), and the
// summary of a long session. Prints wall and CPU time per operation.
//   bench/monitor_sample_bench [ITERATIONS]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "monitor/sampler.hpp"
#include "monitor/summary.hpp"
#include "support/cpu_time.hpp"

using namespace schedcp::plugins::monitor;

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 2000;
    Sources sources;
    std::vector<Sample> samples;
    samples.reserve(static_cast<std::size_t>(n));
    auto t0 = std::chrono::steady_clock::now();
    double c0 = schedcp::bench::cpu_seconds();
    for (int i = 0; i < n; ++i) samples.push_back(take_sample(sources, i));
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double cpu = schedcp::bench::cpu_seconds() - c0;
    std::printf("take_sample: %d samples, %.1f us wall and %.1f us CPU per sample\n", n,
                wall / n * 1e6, cpu / n * 1e6);
    std::printf("  at one sample per second that is %.4f%% of one CPU\n", cpu / n * 100.0);

    auto sources_json = probe_sources(sources);
    t0 = std::chrono::steady_clock::now();
    auto summary = summarize(samples, sources_json, {.interval_secs = 1.0});
    wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("summarize: %d samples in %.2f ms\n", n, wall * 1e3);
    return summary.at("sample_count").as_int64() == n ? 0 : 1;
}
