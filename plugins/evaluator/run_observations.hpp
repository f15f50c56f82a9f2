// What the monitor observed while a configuration's counted runs ran, merged over the
// runs: run-queue latency bucket by bucket (p50/p99 read from the merged histogram, so
// they are percentiles of all the waits, never averages of per-run percentiles) and CPU %
// weighted by each run's length (busy ticks over all ticks, summed over the runs: a run
// twice as long counts twice). A part that no run has is missing with the reason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "schedcp/sdk/latency_histogram.hpp"
#include "schedcp/sdk/services/workload_monitor.hpp"

namespace schedcp::plugins::evaluator {

struct MergedObservations {
    std::optional<sdk::LatencyHistogram> runqlat;  // present when some wait was counted
    std::size_t runqlat_runs = 0;
    std::string runqlat_reason;
    std::optional<sdk::services::CpuTicks> cpu;  // present when some tick was counted
    std::size_t cpu_runs = 0;
    std::string cpu_reason;
};

// `runs`: the observations of one configuration's counted runs that succeeded.
// `missing`: why nothing was observed at all ("" when the runs were observed).
MergedObservations merge_observations(const std::vector<const sdk::services::RunObservation*>& runs,
                                      const std::string& missing);

// Busy ticks over all ticks, in percent; nullopt when no tick was counted.
std::optional<double> cpu_percent(const sdk::services::CpuTicks& t);

// The report's per-configuration objects:
//   {"available": true, "runs", "count", "p50_us", "p99_us", "max_us"} and
//   {"available": true, "runs", "percent"}, or {"available": false, "reason"}.
boost::json::object runqlat_json(const MergedObservations& m);
boost::json::object cpu_json(const MergedObservations& m);

// One run's figures in its report entry: "cpu_percent", and "run_queue_latency":
// {"count", "p50_us", "p99_us", "max_us"} of its own waits, each when observed.
void add_run_observation(boost::json::object& run, const sdk::services::RunObservation& o);

}  // namespace schedcp::plugins::evaluator
