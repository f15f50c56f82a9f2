// Latency statistics for the benchmarks: nearest-rank percentiles, medians, and the
// summary of one measured run (what the tables print).
#pragma once

#include <cstddef>
#include <vector>

namespace schedcp::bench {

// The nearest-rank percentile (q in [0, 1]) of `sorted` (ascending, not empty): the
// smallest sample with at least q of all samples at or below it. No interpolation, so
// the figure is always a latency that was actually measured.
double percentile(const std::vector<double>& sorted, double q);

// The middle sample (the upper one of an even count); `samples` must not be empty.
double median(std::vector<double> samples);

struct LatencySummary {
    std::size_t count = 0;
    double p50_us = 0;
    double p99_us = 0;
    double p999_us = 0;
    double max_us = 0;
    double per_second = 0;  // requests answered per second of wall time
};

// Summarises `latencies_us` (any order, not empty) measured over `wall_seconds` (> 0).
LatencySummary summarize(std::vector<double> latencies_us, double wall_seconds);

// The best of several runs of the same measurement, figure by figure: the lowest of each
// percentile and the highest throughput (rounds that met other load lose, as with `timeit`).
LatencySummary best_of(const std::vector<LatencySummary>& runs);

}  // namespace schedcp::bench
