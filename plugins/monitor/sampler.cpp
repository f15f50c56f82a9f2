#include "sampler.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace schedcp::plugins::monitor {

namespace bj = boost::json;
namespace fs = std::filesystem;

namespace {

std::optional<std::string> read(const fs::path& p) {
    std::ifstream in(p);
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bj::object available() {
    return bj::object{{"available", true}};
}
bj::object unavailable(const std::string& why) {
    return bj::object{{"available", false}, {"reason", why}};
}

double round2(double v) {
    return std::round(v * 100.0) / 100.0;
}

}  // namespace

Sample take_sample(const Sources& s, double t) {
    Sample out;
    out.t = t;
    if (auto text = read(s.proc_root / "stat")) out.stat = parse_proc_stat(*text);
    if (auto text = read(s.proc_root / "meminfo")) out.mem = parse_meminfo(*text);
    if (auto text = read(s.proc_root / "schedstat")) out.schedstat = parse_schedstat(*text);
    if (auto text = read(s.proc_root / "pressure" / "cpu")) out.pressure = parse_pressure(*text);
    if (auto text = read(s.proc_root / "loadavg")) out.load1 = parse_loadavg(*text);
    out.sched_ext = sdk::sched_ext::read_status(s.sched_ext_root);
    return out;
}

bj::object probe_sources(const Sources& s) {
    bj::object o;
    auto text = read(s.proc_root / "stat");
    o["cpu"] = text && parse_proc_stat(*text)
                   ? available()
                   : unavailable((s.proc_root / "stat").string() + " is missing or unreadable");
    text = read(s.proc_root / "meminfo");
    o["memory"] =
        text && parse_meminfo(*text)
            ? available()
            : unavailable((s.proc_root / "meminfo").string() + " is missing or unreadable");
    text = read(s.proc_root / "schedstat");
    if (!text) {
        o["schedstat"] = unavailable((s.proc_root / "schedstat").string() +
                                     " does not exist on this kernel (it needs CONFIG_SCHEDSTATS)");
    } else {
        std::string why;
        auto parsed = parse_schedstat(*text, &why);
        if (parsed) {
            bj::object a = available();
            a["version"] = parsed->version;
            o["schedstat"] = std::move(a);
        } else {
            o["schedstat"] = unavailable(why);
        }
    }
    text = read(s.proc_root / "pressure" / "cpu");
    o["cpu_pressure"] = text && parse_pressure(*text)
                            ? available()
                            : unavailable((s.proc_root / "pressure/cpu").string() +
                                          " does not exist on this kernel (it needs CONFIG_PSI, "
                                          "and psi=1 if disabled by default)");
    text = read(s.proc_root / "loadavg");
    o["load_average"] = text && parse_loadavg(*text)
                            ? available()
                            : unavailable((s.proc_root / "loadavg").string() + " is missing");
    o["sched_ext"] = sdk::sched_ext::read_status(s.sched_ext_root).present
                         ? available()
                         : unavailable(sdk::sched_ext::no_sched_ext_message(s.sched_ext_root));
    return o;
}

bj::object series_stats(std::vector<double> v) {
    if (v.empty()) return bj::object{{"available", false}, {"reason", "fewer than two samples"}};
    double sum = 0;
    for (double x : v) sum += x;
    std::sort(v.begin(), v.end());
    // Nearest rank: the smallest value with at least 95% of the values at or below it.
    std::size_t rank = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(v.size())));
    double p95 = v[std::max<std::size_t>(rank, 1) - 1];
    return bj::object{{"avg", round2(sum / static_cast<double>(v.size()))},
                      {"max", round2(v.back())},
                      {"p95", round2(p95)},
                      {"min", round2(v.front())}};
}

double histogram_percentile_us(const unsigned long long* slots, int n, double q) {
    unsigned long long total = 0;
    for (int i = 0; i < n; ++i) total += slots[i];
    if (total == 0) return 0;
    double target = q * static_cast<double>(total);
    double seen = 0;
    for (int i = 0; i < n; ++i) {
        if (slots[i] == 0) continue;
        if (seen + static_cast<double>(slots[i]) >= target) {
            double lo = i == 0 ? 0 : static_cast<double>(1ULL << i);
            double hi = static_cast<double>(1ULL << (i + 1));
            double frac = (target - seen) / static_cast<double>(slots[i]);
            return (lo + frac * (hi - lo)) / 1000.0;
        }
        seen += static_cast<double>(slots[i]);
    }
    return static_cast<double>(1ULL << n) / 1000.0;
}

bj::object summarize(const std::vector<Sample>& samples, const bj::object& sources) {
    bj::object out;
    out["sample_count"] = static_cast<std::int64_t>(samples.size());
    out["duration_secs"] = samples.size() >= 2 ? round2(samples.back().t - samples.front().t) : 0.0;

    std::vector<double> cpu, mem_pct, mem_used, mem_avail, ctxt, load, psi_avg10, psi_stall, run_ms,
        delay_ms, slices, wait_per_slice;
    std::vector<std::vector<double>> per_cpu;
    std::vector<int> cpu_ids;
    double mem_total_mb = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const Sample& b = samples[i];
        if (b.mem) {
            mem_pct.push_back(b.mem->used_percent());
            mem_used.push_back(static_cast<double>(b.mem->total_kb - b.mem->available_kb) / 1024.0);
            mem_avail.push_back(static_cast<double>(b.mem->available_kb) / 1024.0);
            mem_total_mb = static_cast<double>(b.mem->total_kb) / 1024.0;
        }
        if (b.load1) load.push_back(*b.load1);
        if (b.pressure) psi_avg10.push_back(b.pressure->some_avg10);
        if (i == 0) continue;
        const Sample& a = samples[i - 1];
        const double dt = b.t - a.t;
        if (dt <= 0) continue;
        if (a.stat && b.stat) {
            auto pct = [](const CpuTimes& x, const CpuTimes& y) -> std::optional<double> {
                if (y.total() <= x.total() || y.busy < x.busy) return std::nullopt;
                return 100.0 * static_cast<double>(y.busy - x.busy) /
                       static_cast<double>(y.total() - x.total());
            };
            if (auto p = pct(a.stat->all, b.stat->all)) cpu.push_back(*p);
            if (a.stat->cpus.size() == b.stat->cpus.size()) {
                if (per_cpu.size() != b.stat->cpus.size()) {
                    per_cpu.assign(b.stat->cpus.size(), {});
                    cpu_ids = b.stat->cpu_ids;
                }
                for (std::size_t c = 0; c < b.stat->cpus.size(); ++c)
                    if (auto p = pct(a.stat->cpus[c], b.stat->cpus[c])) per_cpu[c].push_back(*p);
            }
            if (b.stat->context_switches >= a.stat->context_switches)
                ctxt.push_back(
                    static_cast<double>(b.stat->context_switches - a.stat->context_switches) / dt);
        }
        if (a.pressure && b.pressure && b.pressure->some_total_us >= a.pressure->some_total_us)
            psi_stall.push_back(
                100.0 * static_cast<double>(b.pressure->some_total_us - a.pressure->some_total_us) /
                (dt * 1e6));
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
            run_ms.push_back(run / 1e6 / dt);
            delay_ms.push_back(delay / 1e6 / dt);
            slices.push_back(n / dt);
            if (n > 0) wait_per_slice.push_back(delay / n / 1e3);
        }
    }

    auto section = [&](const char* source) -> bj::object {
        const auto* s = sources.if_contains(source);
        if (s && s->is_object() && !s->as_object().at("available").as_bool()) return s->as_object();
        return bj::object{{"available", true}};
    };

    bj::object c = section("cpu");
    if (c.at("available").as_bool()) {
        auto st = series_stats(cpu);
        c["avg_percent"] = st.if_contains("avg") ? st.at("avg") : bj::value(nullptr);
        c["max_percent"] = st.if_contains("max") ? st.at("max") : bj::value(nullptr);
        c["p95_percent"] = st.if_contains("p95") ? st.at("p95") : bj::value(nullptr);
        bj::array cpus;
        for (std::size_t i = 0; i < per_cpu.size(); ++i) {
            auto s = series_stats(per_cpu[i]);
            s["cpu"] = cpu_ids.size() > i ? cpu_ids[i] : static_cast<int>(i);
            cpus.push_back(std::move(s));
        }
        c["per_cpu_percent"] = std::move(cpus);
    }
    out["cpu"] = std::move(c);

    bj::object m = section("memory");
    if (m.at("available").as_bool()) {
        auto pct = series_stats(mem_pct);
        m["avg_percent"] = pct.if_contains("avg") ? pct.at("avg") : bj::value(nullptr);
        m["max_percent"] = pct.if_contains("max") ? pct.at("max") : bj::value(nullptr);
        m["p95_percent"] = pct.if_contains("p95") ? pct.at("p95") : bj::value(nullptr);
        m["used_mb"] = series_stats(mem_used);
        m["available_mb"] = series_stats(mem_avail);
        m["avg_used_mb"] = m["used_mb"].as_object().if_contains("avg") ? m["used_mb"].at("avg")
                                                                       : bj::value(nullptr);
        m["total_mb"] = round2(mem_total_mb);
    }
    out["memory"] = std::move(m);

    out["context_switches_per_sec"] =
        section("cpu").at("available").as_bool() ? series_stats(ctxt) : section("cpu");
    bj::object l = section("load_average");
    if (l.at("available").as_bool()) l["one_minute"] = series_stats(load);
    out["load_average"] = std::move(l);

    bj::object p = section("cpu_pressure");
    if (p.at("available").as_bool()) {
        p["some_avg10_percent"] = series_stats(psi_avg10);
        p["some_stall_percent"] = series_stats(psi_stall);
    }
    out["cpu_pressure"] = std::move(p);

    bj::object ss = section("schedstat");
    if (ss.at("available").as_bool()) {
        ss["run_time_ms_per_sec"] = series_stats(run_ms);
        ss["run_delay_ms_per_sec"] = series_stats(delay_ms);
        ss["timeslices_per_sec"] = series_stats(slices);
        ss["run_delay_us_per_timeslice"] = series_stats(wait_per_slice);
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
    }
    out["sched_ext"] = std::move(se);
    out["scheduler"] = scheduler_summary(samples, sources);
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
