#include "schedcp/sdk/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace schedcp::sdk {

std::uint64_t LatencyHistogram::count() const {
    std::uint64_t n = 0;
    for (auto c : slots) n += c;
    return n;
}

LatencyHistogram& LatencyHistogram::operator+=(const LatencyHistogram& other) {
    for (int i = 0; i < kSlots; ++i) slots[i] += other.slots[i];
    max_us = std::max(max_us, other.max_us);
    return *this;
}

double LatencyHistogram::slot_from_us(int slot) {
    return slot == 0 ? 0.0 : std::ldexp(1.0, slot);
}

double LatencyHistogram::slot_to_us(int slot) {
    return std::ldexp(1.0, slot + 1);
}

double LatencyHistogram::percentile_us(double q) const {
    const std::uint64_t total = count();
    if (total == 0) return 0;
    const double target = q * static_cast<double>(total);
    double seen = 0;
    for (int i = 0; i < kSlots; ++i) {
        if (slots[i] == 0) continue;
        const double here = static_cast<double>(slots[i]);
        if (seen + here >= target) {
            const double lo = slot_from_us(i), hi = slot_to_us(i);
            return std::min(lo + (target - seen) / here * (hi - lo), max_us);
        }
        seen += here;
    }
    return max_us;
}

}  // namespace schedcp::sdk
