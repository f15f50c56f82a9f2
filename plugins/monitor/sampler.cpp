#include "sampler.hpp"

#include <fstream>
#include <sstream>

namespace schedcp::plugins::monitor {

namespace bj = boost::json;
namespace fs = std::filesystem;

std::optional<std::string> read_text(const fs::path& p) {
    std::ifstream in(p);
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

namespace {

const auto read = read_text;

bj::object available() {
    return bj::object{{"available", true}};
}
bj::object unavailable(const std::string& why) {
    return bj::object{{"available", false}, {"reason", why}};
}

}  // namespace

Sample take_system_sample(const Sources& s, double t) {
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

// Only a socket that is there is asked: a missing one costs one stat, not a connect.
bool socket_exists(const Sources& s) {
    std::error_code ec;
    return std::filesystem::exists(s.scx_stats_socket, ec);
}

std::string no_socket_reason(const Sources& s) {
    return "no scx_stats socket at " + s.scx_stats_socket.string() +
           " (the running scheduler publishes no statistics: scx's Rust schedulers do, the C "
           "ones do not)";
}

StatsReading read_scheduler_stats(const Sources& s) {
    if (!socket_exists(s)) return {.stats = std::nullopt, .reason = no_socket_reason(s)};
    auto r = sdk::scx_stats::read_stats(
        s.scx_stats_socket, "top", {.timeout = std::chrono::milliseconds(s.scx_stats_timeout_ms)});
    if (r.at("available").as_bool()) return {.stats = numeric_fields(r.at("stats")), .reason = ""};
    return {.stats = std::nullopt, .reason = std::string(r.at("reason").as_string())};
}

Sample take_sample(const Sources& s, double t) {
    Sample out = take_system_sample(s, t);
    auto reading = read_scheduler_stats(s);
    out.scheduler_stats = std::move(reading.stats);
    out.scheduler_stats_reason = std::move(reading.reason);
    return out;
}

namespace {
void flatten(const bj::value& v, const std::string& name, int depth, SchedulerStats& out) {
    if (out.fields.size() >= kMaxSchedulerStatsFields) return;
    if (v.is_number()) {
        out.fields.push_back({name, v.to_number<double>()});
    } else if (v.is_bool()) {
        out.fields.push_back({name, v.as_bool() ? 1.0 : 0.0});
    } else if (const auto* o = v.if_object(); o && depth < 4) {
        for (const auto& [k, child] : *o)
            flatten(child, name.empty() ? std::string(k) : name + "." + std::string(k), depth + 1,
                    out);
    }
}
}  // namespace

SchedulerStats numeric_fields(const bj::value& stats) {
    SchedulerStats out;
    flatten(stats, "", 0, out);
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

}  // namespace schedcp::plugins::monitor
