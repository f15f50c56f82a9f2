#include "summary.hpp"

#include <cmath>
#include <map>
#include <set>

#include "series.hpp"

namespace schedcp::plugins::monitor {

namespace bj = boost::json;

namespace {

bj::object available() {
    return bj::object{{"available", true}};
}
bj::object unavailable(const std::string& why) {
    return bj::object{{"available", false}, {"reason", why}};
}
double round2(double v) {
    return std::round(v * 100.0) / 100.0;
}
bj::value stat_or_null(const bj::object& stats, const char* key) {
    return stats.if_contains(key) ? stats.at(key) : bj::value(nullptr);
}
// SchedCP's flat avg_percent / max_percent / p95_percent of a percentage series.
void put_percent_stats(bj::object& o, const bj::object& stats) {
    for (const char* key : {"avg", "max", "p95"})
        o[std::string(key) + "_percent"] = stat_or_null(stats, key);
}

// One counter's deltas over the rate intervals.
struct EventSeries {
    std::uint64_t total = 0;
    std::vector<WeightedValue> per_interval, per_sec;
};

// sched_ext's event counters over the session: per counter, the total over the intervals
// in which the same scheduler stayed loaded (the kernel resets them when one loads), and
// the per-interval and per-second deltas.
bj::object events_summary(const std::vector<Sample>& samples, const std::vector<std::size_t>& idx,
                          const SummaryOptions& options) {
    std::map<std::string, EventSeries> series;
    bool any_pair = false, any_reading = false;
    for (std::size_t k = 0; k < idx.size(); ++k) {
        const auto& b = samples[idx[k]].sched_ext;
        any_reading = any_reading || b.events.has_value();
        if (k == 0) continue;
        const auto& a = samples[idx[k - 1]].sched_ext;
        const double dt = samples[idx[k]].t - samples[idx[k - 1]].t;
        if (dt <= 0 || !a.events || !b.events || a.enable_seq != b.enable_seq) continue;
        any_pair = true;
        for (const auto& after : *b.events)
            for (const auto& before : *a.events)
                if (before.name == after.name && after.value >= before.value) {
                    const auto delta = after.value - before.value;
                    auto& s = series[after.name];
                    s.total += delta;
                    s.per_interval.push_back({static_cast<double>(delta), dt});
                    s.per_sec.push_back({static_cast<double>(delta) / dt, dt});
                }
    }
    if (!any_pair) {
        if (any_reading)
            return unavailable(
                "fewer than two readings of the event counters while the same scheduler was "
                "loaded");
        return unavailable(samples.empty() ? "no samples"
                                           : sdk::sched_ext::events_unavailable_reason(
                                                 samples.back().sched_ext, options.sched_ext_root));
    }
    bj::object counters;
    for (auto& [name, s] : series)
        counters[name] = bj::object{{"total", s.total},
                                    {"per_interval", series_stats(std::move(s.per_interval))},
                                    {"per_sec", series_stats(std::move(s.per_sec))}};
    bj::object o = available();
    o["counters"] = std::move(counters);
    return o;
}

// The scheduler's own statistics (scx_stats) over the session: each numeric field's
// series, time-weighted like the other levels.
bj::object scheduler_stats_summary(const std::vector<Sample>& samples,
                                   const std::vector<double>& weights) {
    std::map<std::string, std::vector<WeightedValue>> series;
    std::size_t read = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        if (!samples[i].scheduler_stats) continue;
        ++read;
        for (const auto& [name, value] : samples[i].scheduler_stats->fields)
            series[name].push_back({value, weights[i]});
    }
    if (read == 0)
        return unavailable(samples.empty() ? "no samples" : samples.back().scheduler_stats_reason);
    bj::object fields;
    for (auto& [name, values] : series) fields[name] = series_stats(std::move(values));
    bj::object o = available();
    o["samples"] = read;
    o["fields"] = std::move(fields);
    return o;
}

}  // namespace

std::vector<std::size_t> rate_sample_indices(const std::vector<Sample>& samples,
                                             double interval_secs) {
    std::vector<std::size_t> idx(samples.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    const std::size_t n = samples.size();
    if (n >= 3 && samples[n - 1].t - samples[n - 2].t < interval_secs / 2)
        idx.erase(idx.begin() + static_cast<std::ptrdiff_t>(n - 2));
    return idx;
}

bj::object summarize(const std::vector<Sample>& samples, const bj::object& sources,
                     const SummaryOptions& options) {
    bj::object out;
    out["sample_count"] = static_cast<std::int64_t>(samples.size());
    out["duration_secs"] = samples.size() >= 2 ? round2(samples.back().t - samples.front().t) : 0.0;

    // Levels, each weighted by the time around its sample.
    std::vector<WeightedValue> mem_pct, mem_used, mem_avail, load, psi_avg10;
    std::vector<double> times;
    for (const auto& s : samples) times.push_back(s.t);
    const auto weights = level_weights(times);
    double mem_total_mb = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const Sample& s = samples[i];
        const double w = weights[i];
        if (s.mem) {
            mem_pct.push_back({s.mem->used_percent(), w});
            mem_used.push_back(
                {static_cast<double>(s.mem->total_kb - s.mem->available_kb) / 1024.0, w});
            mem_avail.push_back({static_cast<double>(s.mem->available_kb) / 1024.0, w});
            mem_total_mb = static_cast<double>(s.mem->total_kb) / 1024.0;
        }
        if (s.load1) load.push_back({*s.load1, w});
        if (s.pressure) psi_avg10.push_back({s.pressure->some_avg10, w});
    }

    // Rates, each weighted by its interval's length (the run delay per timeslice by its
    // timeslices, so its mean is the total delay over the total timeslices).
    std::vector<WeightedValue> cpu, ctxt, psi_stall, run_ms, delay_ms, slices, wait_per_slice;
    std::vector<std::vector<WeightedValue>> per_cpu;
    std::vector<int> cpu_ids;
    const auto idx = rate_sample_indices(samples, options.interval_secs);
    for (std::size_t k = 1; k < idx.size(); ++k) {
        const Sample& a = samples[idx[k - 1]];
        const Sample& b = samples[idx[k]];
        const double dt = b.t - a.t;
        if (dt <= 0) continue;
        if (a.stat && b.stat) {
            auto pct = [](const CpuTimes& x, const CpuTimes& y) -> std::optional<double> {
                if (y.total() <= x.total() || y.busy < x.busy) return std::nullopt;
                return 100.0 * static_cast<double>(y.busy - x.busy) /
                       static_cast<double>(y.total() - x.total());
            };
            if (auto p = pct(a.stat->all, b.stat->all)) cpu.push_back({*p, dt});
            if (a.stat->cpus.size() == b.stat->cpus.size()) {
                if (per_cpu.size() != b.stat->cpus.size()) {
                    per_cpu.assign(b.stat->cpus.size(), {});
                    cpu_ids = b.stat->cpu_ids;
                }
                for (std::size_t c = 0; c < b.stat->cpus.size(); ++c)
                    if (auto p = pct(a.stat->cpus[c], b.stat->cpus[c]))
                        per_cpu[c].push_back({*p, dt});
            }
            if (b.stat->context_switches >= a.stat->context_switches)
                ctxt.push_back(
                    {static_cast<double>(b.stat->context_switches - a.stat->context_switches) / dt,
                     dt});
        }
        if (a.pressure && b.pressure && b.pressure->some_total_us >= a.pressure->some_total_us)
            psi_stall.push_back(
                {100.0 *
                     static_cast<double>(b.pressure->some_total_us - a.pressure->some_total_us) /
                     (dt * 1e6),
                 dt});
        if (a.schedstat && b.schedstat && a.schedstat->cpus.size() == b.schedstat->cpus.size()) {
            double run = 0, delay = 0, n = 0;
            for (std::size_t c = 0; c < b.schedstat->cpus.size(); ++c) {
                const auto &x = a.schedstat->cpus[c], &y = b.schedstat->cpus[c];
                if (y.run_time_ns < x.run_time_ns || y.run_delay_ns < x.run_delay_ns ||
                    y.timeslices < x.timeslices)
                    continue;
                run += static_cast<double>(y.run_time_ns - x.run_time_ns);
                delay += static_cast<double>(y.run_delay_ns - x.run_delay_ns);
                n += static_cast<double>(y.timeslices - x.timeslices);
            }
            run_ms.push_back({run / 1e6 / dt, dt});
            delay_ms.push_back({delay / 1e6 / dt, dt});
            slices.push_back({n / dt, dt});
            if (n > 0) wait_per_slice.push_back({delay / n / 1e3, n});
        }
    }

    auto section = [&](const char* source) -> bj::object {
        const auto* s = sources.if_contains(source);
        if (s && s->is_object() && !s->as_object().at("available").as_bool()) return s->as_object();
        return available();
    };

    bj::object c = section("cpu");
    if (c.at("available").as_bool()) {
        put_percent_stats(c, series_stats(std::move(cpu)));
        bj::array cpus;
        for (std::size_t i = 0; i < per_cpu.size(); ++i) {
            auto s = series_stats(std::move(per_cpu[i]));
            s["cpu"] = cpu_ids.size() > i ? cpu_ids[i] : static_cast<int>(i);
            cpus.push_back(std::move(s));
        }
        c["per_cpu_percent"] = std::move(cpus);
    }
    out["cpu"] = std::move(c);

    bj::object m = section("memory");
    if (m.at("available").as_bool()) {
        put_percent_stats(m, series_stats(std::move(mem_pct)));
        m["used_mb"] = series_stats(std::move(mem_used));
        m["available_mb"] = series_stats(std::move(mem_avail));
        m["avg_used_mb"] = stat_or_null(m["used_mb"].as_object(), "avg");
        m["total_mb"] = round2(mem_total_mb);
    }
    out["memory"] = std::move(m);

    out["context_switches_per_sec"] =
        section("cpu").at("available").as_bool() ? series_stats(std::move(ctxt)) : section("cpu");
    bj::object l = section("load_average");
    if (l.at("available").as_bool()) l["one_minute"] = series_stats(std::move(load));
    out["load_average"] = std::move(l);

    bj::object p = section("cpu_pressure");
    if (p.at("available").as_bool()) {
        p["some_avg10_percent"] = series_stats(std::move(psi_avg10));
        p["some_stall_percent"] = series_stats(std::move(psi_stall));
    }
    out["cpu_pressure"] = std::move(p);

    bj::object ss = section("schedstat");
    if (ss.at("available").as_bool()) {
        ss["run_time_ms_per_sec"] = series_stats(std::move(run_ms));
        ss["run_delay_ms_per_sec"] = series_stats(std::move(delay_ms));
        ss["timeslices_per_sec"] = series_stats(std::move(slices));
        ss["run_delay_us_per_timeslice"] = series_stats(std::move(wait_per_slice));
    }
    out["schedstat"] = std::move(ss);

    bj::object se = section("sched_ext");
    if (se.at("available").as_bool()) {
        std::set<std::string> states, ops;
        for (const auto& s : samples) {
            if (s.sched_ext.present) states.insert(s.sched_ext.state_text());
            if (s.sched_ext.ops) ops.insert(*s.sched_ext.ops);
        }
        bj::array st, op;
        for (const auto& x : states) st.push_back(bj::string(x));
        for (const auto& x : ops) op.push_back(bj::string(x));
        se["states_seen"] = std::move(st);
        se["ops_seen"] = std::move(op);
        se["events"] = events_summary(samples, idx, options);
    }
    out["sched_ext"] = std::move(se);
    out["scheduler"] = scheduler_summary(samples, sources);
    out["scheduler_stats"] = scheduler_stats_summary(samples, weights);
    return out;
}

bj::object scheduler_summary(const std::vector<Sample>& samples, const bj::object& sources) {
    if (const auto* s = sources.if_contains("schedstat");
        s && s->is_object() && !s->as_object().at("available").as_bool())
        return s->as_object();
    const Sample* first = nullptr;
    const Sample* last = nullptr;
    for (const auto& s : samples) {
        if (!s.schedstat) continue;
        if (!first)
            first = &s;
        else
            last = &s;
    }
    if (!first || !last)
        return unavailable("fewer than two readings of /proc/schedstat in the monitoring window");
    // Only CPUs in both readings count (one may have gone offline or come online between).
    std::uint64_t run_ns = 0, timeslices = 0;
    for (const auto& b : last->schedstat->cpus)
        for (const auto& a : first->schedstat->cpus)
            if (a.id == b.id && b.run_time_ns >= a.run_time_ns && b.timeslices >= a.timeslices) {
                run_ns += b.run_time_ns - a.run_time_ns;
                timeslices += b.timeslices - a.timeslices;
            }
    if (timeslices == 0)
        return unavailable("no timeslices ran during the monitoring window (/proc/schedstat)");
    bj::object o = available();
    o["total_timeslices"] = timeslices;
    o["avg_run_time_ns"] = run_ns / timeslices;
    return o;
}

}  // namespace schedcp::plugins::monitor
