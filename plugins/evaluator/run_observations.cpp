#include "run_observations.hpp"

#include <unistd.h>

#include <cmath>

namespace schedcp::plugins::evaluator {

namespace bj = boost::json;
using sdk::services::CpuTicks;
using sdk::services::RunObservation;

namespace {

double round2(double v) {
    return std::round(v * 100.0) / 100.0;
}

bj::object unavailable(const std::string& why) {
    return bj::object{{"available", false}, {"reason", why}};
}

bj::object histogram_json(const sdk::LatencyHistogram& h) {
    return bj::object{{"count", h.count()},
                      {"p50_us", round2(h.percentile_us(0.50))},
                      {"p99_us", round2(h.percentile_us(0.99))},
                      {"max_us", round2(h.max_us)}};
}

}  // namespace

std::optional<double> cpu_percent(const CpuTicks& t) {
    if (t.total == 0) return std::nullopt;
    return 100.0 * static_cast<double>(t.busy) / static_cast<double>(t.total);
}

MergedObservations merge_observations(const std::vector<const RunObservation*>& runs,
                                      const std::string& missing) {
    MergedObservations m;
    if (!missing.empty()) {
        m.runqlat_reason = m.cpu_reason = missing;
        return m;
    }
    if (runs.empty()) {
        m.runqlat_reason = m.cpu_reason = "no counted run has succeeded";
        return m;
    }
    sdk::LatencyHistogram waits;
    CpuTicks ticks;
    for (const RunObservation* r : runs) {
        if (r->runqlat) {
            waits += *r->runqlat;
            ++m.runqlat_runs;
        } else if (m.runqlat_reason.empty()) {
            m.runqlat_reason = r->runqlat_reason;
        }
        if (r->cpu) {
            ticks.busy += r->cpu->busy;
            ticks.total += r->cpu->total;
            ++m.cpu_runs;
        } else if (m.cpu_reason.empty()) {
            m.cpu_reason = r->cpu_reason;
        }
    }
    if (m.runqlat_runs > 0 && waits.count() > 0)
        m.runqlat = waits;
    else if (m.runqlat_runs > 0)
        m.runqlat_reason = "no task waited in a run queue during the runs";
    if (m.cpu_runs > 0 && ticks.total > 0)
        m.cpu = ticks;
    else if (m.cpu_runs > 0)
        m.cpu_reason = "the runs were shorter than one /proc/stat clock tick (1/" +
                       std::to_string(::sysconf(_SC_CLK_TCK)) + " s)";
    return m;
}

void add_run_observation(bj::object& run, const RunObservation& o) {
    if (o.cpu)
        if (auto pct = cpu_percent(*o.cpu)) run["cpu_percent"] = round2(*pct);
    if (o.runqlat) run["run_queue_latency"] = histogram_json(*o.runqlat);
}

bj::object runqlat_json(const MergedObservations& m) {
    if (!m.runqlat) return unavailable(m.runqlat_reason);
    bj::object o = histogram_json(*m.runqlat);
    o.emplace("available", true);
    o.emplace("runs", m.runqlat_runs);
    return o;
}

bj::object cpu_json(const MergedObservations& m) {
    if (!m.cpu) return unavailable(m.cpu_reason);
    return bj::object{
        {"available", true}, {"runs", m.cpu_runs}, {"percent", round2(*cpu_percent(*m.cpu))}};
}

}  // namespace schedcp::plugins::evaluator
