// Run-queue latency from BPF: loads the embedded runqlat program (bpf/runqlat.bpf.c,
// compiled at build time) with libbpf, attaches it to the scheduler tracepoints, and
// summarises its log2 microsecond histogram (runqlat's buckets). Needs root or CAP_BPF +
// CAP_PERFMON; when it cannot load, open() says why and the monitor goes on without it.
// Each instance has its own maps: a monitoring session and evaluations never share counts.
#pragma once

#include <memory>
#include <string>

#include <boost/json/object.hpp>

#include "schedcp/sdk/latency_histogram.hpp"

struct bpf_object;
struct bpf_link;

namespace schedcp::plugins::monitor {

class RunqLat {
  public:
    // nullptr, with the reason in `why`, when it cannot be loaded or attached.
    static std::unique_ptr<RunqLat> open(std::string& why);
    ~RunqLat();

    // {"available": true, "count", "p50_us", "p95_us", "p99_us", "max_us" (exact),
    //  "histogram": [{"from_us", "to_us", "count"}, ...] (the non-empty log2 buckets)}
    boost::json::object summary() const;
    // The waits counted since it was attached or last reset (66 map reads).
    sdk::LatencyHistogram histogram() const;
    // Empties the histogram and the maximum (66 map writes), so the next histogram() holds
    // only the waits that end from now on (the evaluator's per-run window).
    void reset();

  private:
    RunqLat() = default;
    bpf_object* obj_ = nullptr;
    bpf_link* links_[3] = {nullptr, nullptr, nullptr};
};

}  // namespace schedcp::plugins::monitor
