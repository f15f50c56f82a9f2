#include "stats.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace schedcp::bench {

double percentile(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) throw std::invalid_argument("percentile of no samples");
    if (q < 0 || q > 1) throw std::invalid_argument("percentile outside [0, 1]");
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
    return sorted[rank == 0 ? 0 : rank - 1];
}

double median(std::vector<double> samples) {
    if (samples.empty()) throw std::invalid_argument("median of no samples");
    auto mid = samples.begin() + static_cast<std::ptrdiff_t>(samples.size() / 2);
    std::nth_element(samples.begin(), mid, samples.end());
    return *mid;
}

LatencySummary summarize(std::vector<double> latencies_us, double wall_seconds) {
    if (latencies_us.empty()) throw std::invalid_argument("summary of no samples");
    if (!(wall_seconds > 0)) throw std::invalid_argument("summary over no time");
    std::sort(latencies_us.begin(), latencies_us.end());
    return LatencySummary{
        .count = latencies_us.size(),
        .p50_us = percentile(latencies_us, 0.50),
        .p99_us = percentile(latencies_us, 0.99),
        .p999_us = percentile(latencies_us, 0.999),
        .max_us = latencies_us.back(),
        .per_second = static_cast<double>(latencies_us.size()) / wall_seconds,
    };
}

LatencySummary best_of(const std::vector<LatencySummary>& runs) {
    if (runs.empty()) throw std::invalid_argument("best of no runs");
    LatencySummary best = runs.front();
    for (const auto& r : runs) {
        best.p50_us = std::min(best.p50_us, r.p50_us);
        best.p99_us = std::min(best.p99_us, r.p99_us);
        best.p999_us = std::min(best.p999_us, r.p999_us);
        best.max_us = std::min(best.max_us, r.max_us);
        best.per_second = std::max(best.per_second, r.per_second);
    }
    return best;
}

}  // namespace schedcp::bench
