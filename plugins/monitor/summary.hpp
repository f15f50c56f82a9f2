// The summary of a monitoring session's samples: every series' avg / max / p95 / min, rates
// from consecutive samples, all averages time-weighted (series.hpp).
#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

#include <boost/json/object.hpp>

#include "sampler.hpp"

namespace schedcp::plugins::monitor {

struct SummaryOptions {
    double interval_secs = 1.0;  // the session's sampling interval
    // Where the sched_ext event counters' absence is explained from.
    std::filesystem::path sched_ext_root = sdk::sched_ext::kDefaultRoot;
};

// The samples that bound the rate intervals, by index: all of them, except that a final
// interval shorter than half the sampling interval is merged into the one before it (the
// sample between the two is skipped). The stop sample lands a few milliseconds after the
// last timer sample: alone, that sliver would weigh like a full interval in a plain mean,
// and it is shorter than PSI's resolution (one tick), so it reads no stall at all.
std::vector<std::size_t> rate_sample_indices(const std::vector<Sample>& samples,
                                             double interval_secs);

// `sources` is probe_sources() at the start: sources that do not exist are reported as
// such, never as zeros.
boost::json::object summarize(const std::vector<Sample>& samples,
                              const boost::json::object& sources, const SummaryOptions& options);

// SchedCP's summary.scheduler, from /proc/schedstat over the window from the first to the
// last sample that has it: {"available": true, "total_timeslices": timeslices run on all
// CPUs, "avg_run_time_ns": run time / timeslices}, or {"available": false, "reason": ...}
// when schedstat is missing or of an unknown version, or no timeslice ran.
boost::json::object scheduler_summary(const std::vector<Sample>& samples,
                                      const boost::json::object& sources);

}  // namespace schedcp::plugins::monitor
