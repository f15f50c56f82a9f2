// Run-queue latency as a log2 histogram in microseconds, the buckets runqlat prints in bcc
// and libbpf-tools (slot i holds [2^i, 2^(i+1)) us, slot 0 holds [0, 2) us), and the
// arithmetic on it: merging histograms bucket by bucket (so percentiles over several
// measurements come from all their waits, never from averaging their percentiles) and
// percentiles read from the buckets. The monitor fills it from BPF; the evaluator merges a
// configuration's runs.
#pragma once

#include <array>
#include <cstdint>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk {

struct SCHEDCP_SDK_API LatencyHistogram {
    static constexpr int kSlots = 64;
    std::array<std::uint64_t, kSlots> slots{};
    double max_us = 0;  // the exact longest wait; percentiles never exceed it

    // The waits counted: the sum of the buckets.
    std::uint64_t count() const;
    // Adds `other`'s waits bucket by bucket; the maximum is the larger one.
    LatencyHistogram& operator+=(const LatencyHistogram& other);
    // The q-quantile (0 < q <= 1) in microseconds, interpolated linearly inside the bucket
    // it falls in and never above max_us; 0 when nothing was counted.
    double percentile_us(double q) const;

    // A bucket's edges in microseconds.
    static double slot_from_us(int slot);
    static double slot_to_us(int slot);
};

}  // namespace schedcp::sdk
