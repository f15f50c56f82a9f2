// One sample of the system (from /proc and sysfs) and the summary of a series of them.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "proc_sources.hpp"
#include "schedcp/sdk/sched_ext.hpp"

namespace schedcp::plugins::monitor {

struct Sources {
    std::filesystem::path proc_root = "/proc";  // stat, meminfo, schedstat, pressure/cpu, loadavg
    std::filesystem::path sched_ext_root = sdk::sched_ext::kDefaultRoot;
};

struct Sample {
    double t = 0;  // seconds since the session started
    std::optional<ProcStat> stat;
    std::optional<MemInfo> mem;
    std::optional<SchedStat> schedstat;
    std::optional<Pressure> pressure;
    std::optional<double> load1;
    sdk::sched_ext::Status sched_ext;  // present = false when the kernel has no sched_ext
};

Sample take_sample(const Sources& sources, double t);

// Whether each source exists on this kernel, and why not: {"cpu": {"available": true},
// "schedstat": {"available": false, "reason": "..."}, ...}.
boost::json::object probe_sources(const Sources& sources);

// avg / max / p95 (nearest rank) / min of a series; {"available": false} when empty.
boost::json::object series_stats(std::vector<double> values);

// Percentile estimate from log2 buckets (slot i = [2^i, 2^(i+1)) ns; slot 0 = [0, 2)),
// interpolated linearly within the bucket; in microseconds.
double histogram_percentile_us(const unsigned long long* slots, int n, double q);

// SchedCP's summary.scheduler, from /proc/schedstat over the window from the first to the
// last sample that has it: {"available": true, "total_timeslices": timeslices run on all
// CPUs, "avg_run_time_ns": run time / timeslices}, or {"available": false, "reason": ...}
// when schedstat is missing or of an unknown version, or no timeslice ran.
boost::json::object scheduler_summary(const std::vector<Sample>& samples,
                                      const boost::json::object& sources);

// The summary of a session's samples (rates come from consecutive pairs). `sources` is
// probe_sources() at the start: sources that do not exist are reported as such, never
// as zeros.
boost::json::object summarize(const std::vector<Sample>& samples,
                              const boost::json::object& sources);

}  // namespace schedcp::plugins::monitor
