#include "proc_sources.hpp"

#include <charconv>
#include <sstream>

namespace schedcp::plugins::monitor {

namespace {

std::vector<std::string_view> split_ws(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        std::size_t j = i;
        while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
        if (j > i) out.push_back(line.substr(i, j - i));
        i = j;
    }
    return out;
}

template <class T>
bool number(std::string_view s, T& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

template <class F>
void for_each_line(std::string_view text, F f) {
    while (!text.empty()) {
        auto nl = text.find('\n');
        f(text.substr(0, nl));
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
}

}  // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view text) {
    ProcStat s;
    bool have_all = false;
    bool bad = false;
    for_each_line(text, [&](std::string_view line) {
        auto f = split_ws(line);
        if (f.empty()) return;
        if (f[0].starts_with("cpu")) {
            // user nice system idle iowait irq softirq steal [guest guest_nice]
            if (f.size() < 5) {
                bad = true;
                return;
            }
            std::uint64_t v[8] = {};
            for (std::size_t i = 1; i < f.size() && i <= 8; ++i)
                if (!number(f[i], v[i - 1])) bad = true;
            CpuTimes t;
            t.busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
            t.idle = v[3] + v[4];
            if (f[0] == "cpu") {
                s.all = t;
                have_all = true;
            } else {
                int id = 0;
                if (!number(f[0].substr(3), id)) bad = true;
                s.cpus.push_back(t);
                s.cpu_ids.push_back(id);
            }
        } else if (f[0] == "ctxt" && f.size() >= 2) {
            number(f[1], s.context_switches);
        } else if (f[0] == "procs_running" && f.size() >= 2) {
            number(f[1], s.procs_running);
        }
    });
    if (!have_all || bad) return std::nullopt;
    return s;
}

std::optional<MemInfo> parse_meminfo(std::string_view text) {
    MemInfo m;
    bool total = false, available = false;
    for_each_line(text, [&](std::string_view line) {
        auto f = split_ws(line);
        if (f.size() < 2) return;
        if (f[0] == "MemTotal:") total = number(f[1], m.total_kb);
        if (f[0] == "MemAvailable:") available = number(f[1], m.available_kb);
    });
    if (!total || !available || m.available_kb > m.total_kb) return std::nullopt;
    return m;
}

std::optional<SchedStat> parse_schedstat(std::string_view text, std::string* why) {
    SchedStat s;
    bool bad = false;
    for_each_line(text, [&](std::string_view line) {
        auto f = split_ws(line);
        if (f.empty()) return;
        if (f[0] == "version" && f.size() >= 2) {
            number(f[1], s.version);
        } else if (f[0].starts_with("cpu") && f[0].size() > 3) {
            // cpuN yld 0 sched goidle ttwu ttwu_local run_time run_delay pcount
            if (f.size() < 10) {
                bad = true;
                return;
            }
            SchedStat::Cpu c;
            if (!number(f[0].substr(3), c.id) || !number(f[7], c.run_time_ns) ||
                !number(f[8], c.run_delay_ns) || !number(f[9], c.timeslices))
                bad = true;
            s.cpus.push_back(c);
        }
    });
    if (s.version < 15 || s.version > 17) {
        if (why)
            *why = s.version ? "/proc/schedstat version " + std::to_string(s.version) +
                                   " is not supported (15 to 17 are)"
                             : "/proc/schedstat has no version line";
        return std::nullopt;
    }
    if (bad || s.cpus.empty()) {
        if (why) *why = "/proc/schedstat cpu lines are not in the expected format";
        return std::nullopt;
    }
    return s;
}

std::optional<Pressure> parse_pressure(std::string_view text) {
    std::optional<Pressure> out;
    for_each_line(text, [&](std::string_view line) {
        auto f = split_ws(line);
        if (f.empty() || f[0] != "some") return;
        Pressure p;
        bool avg = false, total = false;
        for (std::size_t i = 1; i < f.size(); ++i) {
            auto eq = f[i].find('=');
            if (eq == std::string_view::npos) continue;
            auto key = f[i].substr(0, eq), val = f[i].substr(eq + 1);
            if (key == "avg10")
                avg = std::from_chars(val.data(), val.data() + val.size(), p.some_avg10).ec ==
                      std::errc();
            if (key == "total") total = number(val, p.some_total_us);
        }
        if (avg && total) out = p;
    });
    return out;
}

std::optional<double> parse_loadavg(std::string_view text) {
    auto f = split_ws(text.substr(0, text.find('\n')));
    double v = 0;
    if (f.empty() || std::from_chars(f[0].data(), f[0].data() + f[0].size(), v).ec != std::errc())
        return std::nullopt;
    return v;
}

}  // namespace schedcp::plugins::monitor
