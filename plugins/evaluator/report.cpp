#include "report.hpp"

#include <cstdio>
#include <utility>
#include <vector>

#include "run_observations.hpp"
#include "schedcp/sdk/text.hpp"
#include "statistics.hpp"

namespace schedcp::plugins::evaluator {

namespace bj = boost::json;

namespace {

std::string fmt(double v, const char* f = "%.4g") {
    char buf[40];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::size_t baseline_of(const EvaluationSpec& s) {
    for (std::size_t i = 0; i < s.configurations.size(); ++i)
        if (s.configurations[i].kernel_default) return i;
    return 0;
}

// How many times better `mean` is than `base` (> 1: better), in the figure's direction.
double improvement(double mean, double base, Direction d) {
    return d == Direction::lower ? base / mean : mean / base;
}

std::string verdict(const std::string& label, double factor, std::optional<WelchTest> w,
                    std::size_t n, std::size_t n_base, Direction d) {
    if (!w)
        return "not enough runs to test " + label + " (n = " + std::to_string(n) +
               ", baseline n = " + std::to_string(n_base) + "; at least 2 each)";
    if (w->p >= kSignificance)
        return "no significant difference at n = " + std::to_string(n) + " (" + label + " " +
               fmt(factor, "%.2f") + "x, p = " + fmt(w->p, "%.2g") + ")";
    const bool better = factor >= 1;
    const char* word =
        d == Direction::lower ? (better ? "faster" : "slower") : (better ? "better" : "worse");
    return label + " is " + fmt(better ? factor : 1 / factor, "%.2f") + "x " + word +
           ", p = " + fmt(w->p, "%.2g");
}

std::string runqlat_cell(const bj::object& c) {
    const auto& q = c.at("run_queue_latency").as_object();
    if (!q.at("available").as_bool()) return "-";
    return fmt(q.at("p50_us").to_number<double>()) + "/" + fmt(q.at("p99_us").to_number<double>());
}

std::string cpu_cell(const bj::object& c) {
    const auto& u = c.at("cpu").as_object();
    return u.at("available").as_bool() ? fmt(u.at("percent").to_number<double>(), "%.1f") : "-";
}

// Why a column shows "-": once when every configuration has the same reason, else per
// configuration.
std::string missing_lines(const bj::object& r, const char* key, const std::string& what) {
    std::vector<std::pair<std::string, std::string>> missing;  // label, reason
    const auto& configs = r.at("configurations").as_array();
    for (const auto& v : configs) {
        const auto& m = v.at(key).as_object();
        if (!m.at("available").as_bool())
            missing.emplace_back(std::string(v.at("label").as_string()),
                                 std::string(m.at("reason").as_string()));
    }
    if (missing.empty()) return "";
    bool same = missing.size() == configs.size();
    for (const auto& [label, why] : missing) same = same && why == missing.front().second;
    if (same) return what + ": not available: " + missing.front().second + "\n";
    std::string out;
    for (const auto& [label, why] : missing)
        out += what + " of " + label + ": not available: " + why + "\n";
    return out;
}

bj::value optional_number(std::optional<double> v) {
    return v ? bj::value(*v) : bj::value(nullptr);
}

}  // namespace

bj::object evaluation_report(const Evaluation& e) {
    const auto& spec = e.spec();
    const auto& w = spec.workload;
    const std::size_t base = baseline_of(spec);
    std::vector<std::vector<double>> values(spec.configurations.size());
    std::vector<std::vector<const sdk::services::RunObservation*>> observed(
        spec.configurations.size());
    bj::array runs, failed;
    for (const auto& r : e.runs()) {
        bj::object o{{"run", r.number},
                     {"configuration", spec.configurations[r.configuration].label},
                     {"counted", r.counted},
                     {"ok", r.ok},
                     {"figure", optional_number(r.figure)},
                     {"wall_seconds", r.wall_seconds},
                     {"execution_id", r.execution_id}};
        if (!r.figures.empty()) {
            bj::object f;
            for (const auto& [k, v] : r.figures) f[k] = v;
            o["figures"] = std::move(f);
        }
        if (r.history_id) o["history_id"] = *r.history_id;
        if (r.observed) add_run_observation(o, *r.observed);
        if (!r.ok) {
            o["error"] = r.error;
            failed.push_back(bj::object{{"run", r.number},
                                        {"configuration", o.at("configuration")},
                                        {"counted", r.counted},
                                        {"error", r.error},
                                        {"output", r.output}});
        }
        if (r.ok && r.counted) {
            values[r.configuration].push_back(*r.figure);
            if (r.observed) observed[r.configuration].push_back(&*r.observed);
        }
        runs.push_back(std::move(o));
    }

    bj::array configs;
    std::optional<std::size_t> best;
    double best_mean = 0;
    for (std::size_t i = 0; i < spec.configurations.size(); ++i) {
        const auto& c = spec.configurations[i];
        bj::array vals;
        for (double v : values[i]) vals.push_back(v);
        bj::object o{{"label", c.label},
                     {"scheduler", c.kernel_default ? "default" : c.scheduler},
                     {"baseline", i == base},
                     {"values", std::move(vals)}};
        if (c.args) {
            bj::array a;
            for (const auto& x : *c.args) a.push_back(bj::string(x));
            o["args"] = std::move(a);
        }
        if (c.mode) o["mode"] = *c.mode;
        o["n"] = values[i].size();
        const MergedObservations seen = merge_observations(observed[i], e.unobserved());
        o["run_queue_latency"] = runqlat_json(seen);
        o["cpu"] = cpu_json(seen);
        if (!values[i].empty()) {
            const Summary s = summarize(values[i]);
            o["mean"] = s.mean;
            o["median"] = s.median;
            o["stddev"] = s.stddev;
            o["cv"] = s.cv;
            o["min"] = s.min;
            o["max"] = s.max;
            o["ci95"] = s.ci_low ? bj::value(bj::array{*s.ci_low, *s.ci_high}) : bj::value(nullptr);
            if (!best || improvement(s.mean, best_mean, w.direction) > 1) {
                best = i;
                best_mean = s.mean;
            }
            if (i != base && !values[base].empty()) {
                const double base_mean = summarize(values[base]).mean;
                const double factor = improvement(s.mean, base_mean, w.direction);
                const auto test = welch_test(values[i], values[base]);
                o["ratio_to_baseline"] = s.mean / base_mean;
                o["improvement"] = factor;
                o["p_value"] = test ? bj::value(test->p) : bj::value(nullptr);
                o["significant"] = test && test->p < kSignificance;
                o["verdict"] = verdict(c.label, factor, test, values[i].size(), values[base].size(),
                                       w.direction);
            }
        }
        configs.push_back(std::move(o));
    }

    bj::object out{
        {"evaluation_id", e.id()},
        {"state", state_name(e.state())},
        {"workload", bj::object{{"description", w.description},
                                {"figure", w.figure_name},
                                {"unit", w.unit},
                                {"better", direction_name(w.direction)},
                                {"source", w.figure == FigureSource::wall_time ? "wall_time"
                                           : w.figure == FigureSource::regex   ? "regex"
                                                                               : "parser"}}},
        {"order", spec.order == Order::interleaved ? "interleaved" : "blocked"},
        {"repeats", spec.repeats},
        {"warmup", spec.warmup},
        {"runs_done", e.runs().size()},
        {"runs_total", e.total_runs()},
        {"baseline", spec.configurations[base].label},
        {"configurations", std::move(configs)},
        {"runs", std::move(runs)},
        {"failed_runs", std::move(failed)}};
    if (best) {
        const auto& label = spec.configurations[*best].label;
        out["best"] = label;
        std::string v = label + " has the best mean " + w.figure_name;
        if (*best != base)
            if (const auto* c =
                    out.at("configurations").as_array()[*best].as_object().if_contains("verdict"))
                v = std::string(c->as_string());
        if (*best == base) v = "the baseline " + label + " is best";
        out["verdict"] = v;
    } else {
        out["best"] = nullptr;
        out["verdict"] = "no configuration has a counted run that succeeded";
    }
    if (!e.error().empty()) out["error"] = e.error();
    if (!e.restored().empty()) out["sched_ext_after"] = e.restored();
    if (spec.workload_id) out["workload_id"] = *spec.workload_id;
    return out;
}

std::string render_report(const bj::object& r) {
    const auto& w = r.at("workload").as_object();
    std::string unit(w.at("unit").as_string());
    std::string out = "Evaluation " + std::string(r.at("evaluation_id").as_string()) + " (" +
                      std::string(r.at("state").as_string()) +
                      "): " + std::string(w.at("description").as_string()) + "\n" +
                      std::string(w.at("figure").as_string()) +
                      (unit.empty() ? "" : " in " + unit) + ", " +
                      std::string(w.at("better").as_string()) + " is better; " +
                      std::to_string(r.at("runs_done").to_number<std::int64_t>()) + "/" +
                      std::to_string(r.at("runs_total").to_number<std::int64_t>()) + " runs, " +
                      std::string(r.at("order").as_string()) + "\n\n";
    sdk::text::Table t({"CONFIGURATION", "N", "MEAN", "MEDIAN", "STDDEV", "CV", "95% CI",
                        "VS BASELINE", "P", "RUNQ P50/P99 US", "CPU %"});
    for (const auto& v : r.at("configurations").as_array()) {
        const auto& c = v.as_object();
        auto num = [&](const char* k, const char* f = "%.4g") {
            const auto* x = c.if_contains(k);
            return x && x->is_number() ? fmt(x->to_number<double>(), f) : std::string("-");
        };
        std::string ci = "-";
        if (const auto* x = c.if_contains("ci95"); x && x->is_array())
            ci = fmt(x->as_array()[0].to_number<double>()) + " .. " +
                 fmt(x->as_array()[1].to_number<double>());
        std::string vs = c.at("baseline").as_bool() ? "baseline" : num("improvement", "%.2fx");
        t.add_row({std::string(c.at("label").as_string()),
                   std::to_string(c.at("n").to_number<std::int64_t>()), num("mean"), num("median"),
                   num("stddev"),
                   (c.if_contains("cv") ? fmt(c.at("cv").to_number<double>() * 100, "%.1f") + "%"
                                        : std::string("-")),
                   ci, vs, num("p_value", "%.2g"), runqlat_cell(c), cpu_cell(c)});
    }
    out += t.render() + "\n";
    out += missing_lines(r, "run_queue_latency", "Run-queue latency") +
           missing_lines(r, "cpu", "CPU %");
    for (const auto& v : r.at("configurations").as_array())
        if (const auto* x = v.as_object().if_contains("verdict"))
            out += "- " + std::string(x->as_string()) + "\n";
    if (r.at("best").is_string()) out += "Best: " + std::string(r.at("best").as_string()) + "\n";
    for (const auto& v : r.at("failed_runs").as_array()) {
        const auto& f = v.as_object();
        out += "Failed run " + std::to_string(f.at("run").to_number<std::int64_t>()) + " (" +
               std::string(f.at("configuration").as_string()) +
               "): " + std::string(f.at("error").as_string()) + "\n";
    }
    if (const auto* s = r.if_contains("sched_ext_after"))
        out += "sched_ext afterwards: " + std::string(s->as_string()) + "\n";
    if (const auto* s = r.if_contains("error"))
        out += "Error: " + std::string(s->as_string()) + "\n";
    return out;
}

}  // namespace schedcp::plugins::evaluator
