#include "benchmarks.hpp"

#include <cmath>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::evaluator {

namespace bj = boost::json;

namespace {

using Values = std::map<std::string, std::string>;

BenchmarkParameter integer(std::string name, std::int64_t min, std::int64_t max, std::int64_t def,
                           std::string help) {
    return {.name = std::move(name),
            .help = std::move(help),
            .minimum = min,
            .maximum = max,
            .default_integer = def};
}

BenchmarkParameter choice(std::string name, std::vector<std::string> choices, std::string help) {
    std::string def = choices.front();
    return {.name = std::move(name),
            .help = std::move(help),
            .choices = std::move(choices),
            .default_choice = std::move(def)};
}

double to_double(const std::string& s) {
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    if (used != s.size() || !std::isfinite(v)) throw std::runtime_error("not a number: " + s);
    return v;
}

// The last capture of `re` in `output`, as a number; throws naming `what` when absent.
double last_number(std::string_view output, const std::regex& re, const std::string& what) {
    std::optional<double> v;
    const std::string text(output);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
         ++it)
        v = to_double((*it)[1].str());
    if (!v) throw std::runtime_error("no '" + what + "' line");
    return *v;
}

// hackbench (rt-tests): "Time: 0.053" seconds for the whole exchange.
Figures parse_hackbench(std::string_view out) {
    static const std::regex re(R"(Time:\s*([0-9]+(?:\.[0-9]+)?))");
    return {{"time_s", last_number(out, re, "Time:")}};
}

// perf bench sched messaging|pipe: "Total time: 0.050 [sec]"; pipe adds usecs/op, ops/sec.
Figures parse_perf_sched(std::string_view out) {
    static const std::regex total(R"(Total time:\s*([0-9]+(?:\.[0-9]+)?)\s*\[sec\])");
    static const std::regex usecs(R"(([0-9]+(?:\.[0-9]+)?)\s+usecs/op)");
    static const std::regex ops(R"(([0-9]+)\s+ops/sec)");
    Figures f{{"time_s", last_number(out, total, "Total time")}};
    try {
        f["usecs_per_op"] = last_number(out, usecs, "usecs/op");
        f["ops_per_s"] = last_number(out, ops, "ops/sec");
    } catch (const std::runtime_error&) {
        // messaging prints only the total time
    }
    return f;
}

// sysbench cpu|threads: "total number of events: N" over "total time: Ts" (threads prints no
// events-per-second line; cpu's equals this ratio).
Figures parse_sysbench(std::string_view out) {
    static const std::regex events(R"(total number of events:\s*([0-9]+))");
    static const std::regex time(R"(total time:\s*([0-9]+(?:\.[0-9]+)?)s)");
    const double n = last_number(out, events, "total number of events");
    const double t = last_number(out, time, "total time");
    if (t <= 0) throw std::runtime_error("total time is 0");
    return {{"events_per_s", n / t}, {"events", n}, {"time_s", t}};
}

// stress-ng --metrics-brief: "stress-ng: metrc: [pid] cpu 1090 1.00 0.51 0.00 1087.25 2110.81"
// (bogo ops, real, usr, sys seconds, bogo ops/s real time, bogo ops/s usr+sys time). Older
// releases say "info:" instead of "metrc:".
Figures parse_stress_ng(std::string_view out) {
    static const std::regex row(
        R"((?:metrc|info):\s+\[[0-9]+\]\s+[a-z0-9-]+\s+([0-9]+)\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+\s+([0-9.]+))");
    const std::string text(out);
    std::optional<Figures> f;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), row);
         it != std::sregex_iterator(); ++it)
        f = Figures{{"bogo_ops", to_double((*it)[1].str())},
                    {"bogo_ops_per_s", to_double((*it)[2].str())}};
    if (!f) throw std::runtime_error("no metrics row (--metrics-brief)");
    return *f;
}

// cyclictest -q -h N: the histogram ("000123 000045": latency in us, count, per thread
// columns), "# Histogram Overflows:", "# Avg Latencies:" and "# Max Latencies:" (one
// column per thread). p99 is read from the histogram summed over threads, counting the
// overflows as beyond its end (then p99 is the largest latency, the max).
Figures parse_cyclictest(std::string_view out) {
    std::istringstream in{std::string(out)};
    std::vector<std::uint64_t> counts;
    std::uint64_t overflows = 0, total = 0;
    std::optional<double> avg_sum, max;
    std::size_t threads = 0;
    for (std::string line; std::getline(in, line);) {
        std::istringstream f(line);
        auto numbers = [&](const std::string& prefix) {
            std::vector<double> v;
            std::istringstream rest(line.substr(prefix.size()));
            for (std::string x; rest >> x;) v.push_back(to_double(x));
            return v;
        };
        if (line.rfind("# Avg Latencies:", 0) == 0) {
            auto v = numbers("# Avg Latencies:");
            threads = v.size();
            avg_sum = 0;
            for (double x : v) *avg_sum += x;
        } else if (line.rfind("# Max Latencies:", 0) == 0) {
            for (double x : numbers("# Max Latencies:")) max = std::max(max.value_or(0), x);
        } else if (line.rfind("# Histogram Overflows:", 0) == 0) {
            for (double x : numbers("# Histogram Overflows:"))
                overflows += static_cast<std::uint64_t>(x);
        } else if (!line.empty() && line[0] != '#') {
            std::string first;
            if (!(f >> first) || first.find_first_not_of("0123456789") != std::string::npos)
                continue;
            std::uint64_t c = 0;
            for (std::string x; f >> x;) c += std::stoull(x);
            counts.push_back(c);
            total += c;
        }
    }
    if (!avg_sum || !max || threads == 0)
        throw std::runtime_error("no '# Avg Latencies' / '# Max Latencies' lines (-q -h needed)");
    total += overflows;
    if (total == 0) throw std::runtime_error("the histogram is empty");
    const auto rank = static_cast<std::uint64_t>(std::ceil(0.99 * static_cast<double>(total)));
    double p99 = *max;
    std::uint64_t seen = 0;
    for (std::size_t us = 0; us < counts.size(); ++us) {
        seen += counts[us];
        if (seen >= rank) {
            p99 = static_cast<double>(us);
            break;
        }
    }
    return {{"avg_us", *avg_sum / static_cast<double>(threads)},
            {"p99_us", p99},
            {"max_us", *max},
            {"samples", static_cast<double>(total)}};
}

std::vector<Benchmark> make_benchmarks() {
    std::vector<Benchmark> b;
    b.push_back({
        .name = "hackbench",
        .package = "rt-tests",
        .program = "hackbench",
        .description = "groups of senders and receivers exchanging messages: scheduler "
                       "wake-up and context-switch throughput (time, lower is better)",
        .parameters = {integer("groups", 1, 64, 4, "sender/receiver groups (-g)"),
                       integer("loops", 1, 100000, 200, "messages per sender (-l)"),
                       integer("fds", 1, 100, 20, "file descriptors (senders) per group (-f)"),
                       choice("mode", {"process", "thread"}, "processes or threads"),
                       choice("ipc", {"socket", "pipe"}, "socketpairs or pipes")},
        .figure = "time_s",
        .unit = "s",
        .direction = Direction::lower,
        .arguments =
            [](const Values& v) {
                std::vector<std::string> a{"-g",          v.at("groups"), "-l",
                                           v.at("loops"), "-f",           v.at("fds")};
                if (v.at("mode") == "thread") a.push_back("-T");
                if (v.at("ipc") == "pipe") a.push_back("-p");
                return a;
            },
        .parse = parse_hackbench,
    });
    b.push_back({
        .name = "perf-sched",
        .package = "linux-perf",
        .program = "perf",
        .description = "perf bench sched messaging (hackbench-like) or pipe (two tasks "
                       "ping-ponging on a pipe): total time, lower is better",
        .parameters = {choice("test", {"messaging", "pipe"}, "which sched benchmark"),
                       integer("groups", 1, 64, 4, "messaging: groups (-g)"),
                       integer("loops", 1, 10000000, 100000,
                               "messaging: messages per sender (-l; capped at 100000); pipe: "
                               "round trips (-l)")},
        .figure = "time_s",
        .unit = "s",
        .direction = Direction::lower,
        .arguments = [](const Values& v) -> std::vector<std::string> {
            if (v.at("test") == "pipe") return {"bench", "sched", "pipe", "-l", v.at("loops")};
            std::string loops = std::stoll(v.at("loops")) > 100000 ? "100000" : v.at("loops");
            return {"bench", "sched", "messaging", "-g", v.at("groups"), "-l", loops};
        },
        .parse = parse_perf_sched,
    });
    b.push_back({
        .name = "sysbench",
        .package = "sysbench",
        .program = "sysbench",
        .description = "sysbench cpu (prime numbers) or threads (mutex and yield contention): "
                       "events per second, higher is better",
        .parameters = {choice("test", {"cpu", "threads"}, "which sysbench test"),
                       integer("threads", 1, 1024, 2, "worker threads (--threads)"),
                       integer("seconds", 1, 3600, 10, "duration (--time)")},
        .figure = "events_per_s",
        .unit = "events/s",
        .direction = Direction::higher,
        .arguments = [](const Values& v) -> std::vector<std::string> {
            return {v.at("test"), "--threads=" + v.at("threads"), "--time=" + v.at("seconds"),
                    "run"};
        },
        .parse = parse_sysbench,
    });
    b.push_back({
        .name = "stress-ng",
        .package = "stress-ng",
        .program = "stress-ng",
        .description = "one stress-ng stressor for a fixed time: bogo operations per second "
                       "(real time), higher is better",
        .parameters = {choice("stressor",
                              {"cpu", "switch", "pipe", "futex", "yield", "matrix", "sem", "fork",
                               "mq", "vm"},
                              "the stressor"),
                       integer("workers", 0, 1024, 0, "instances (0: one per CPU)"),
                       integer("seconds", 1, 3600, 10, "duration (-t)")},
        .figure = "bogo_ops_per_s",
        .unit = "bogo ops/s",
        .direction = Direction::higher,
        .arguments = [](const Values& v) -> std::vector<std::string> {
            return {"--" + v.at("stressor"), v.at("workers"), "-t", v.at("seconds"),
                    "--metrics-brief"};
        },
        .parse = parse_stress_ng,
    });
    b.push_back({
        .name = "cyclictest",
        .package = "rt-tests",
        .program = "cyclictest",
        .description = "wake-up latency of periodic threads (avg, p99 from its histogram, max "
                       "in microseconds); the figure is p99, lower is better",
        .parameters = {integer("threads", 1, 256, 1, "measuring threads (-t)"),
                       integer("interval_us", 100, 1000000, 1000, "wake-up interval (-i)"),
                       integer("seconds", 1, 3600, 10, "duration (-D)"),
                       integer(
                           "priority", 0, 99, 0,
                           "SCHED_FIFO priority (-p; 0: SCHED_OTHER, what sched_ext schedules)")},
        .figure = "p99_us",
        .unit = "us",
        .direction = Direction::lower,
        .arguments = [](const Values& v) -> std::vector<std::string> {
            return {"-q", "-m",
                    "-h", "10000",
                    "-t", v.at("threads"),
                    "-i", v.at("interval_us"),
                    "-D", v.at("seconds"),
                    "-p", v.at("priority")};
        },
        .parse = parse_cyclictest,
    });
    return b;
}

}  // namespace

const std::vector<Benchmark>& benchmarks() {
    static const std::vector<Benchmark> all = make_benchmarks();
    return all;
}

const Benchmark* find_benchmark(std::string_view name) {
    for (const auto& b : benchmarks())
        if (b.name == name) return &b;
    return nullptr;
}

std::map<std::string, std::string> benchmark_values(const Benchmark& b, const bj::object& params) {
    std::map<std::string, std::string> out;
    for (const auto& p : b.parameters)
        out[p.name] = p.choices.empty() ? std::to_string(p.default_integer) : p.default_choice;
    for (const auto& kv : params) {
        const std::string key(kv.key());
        const BenchmarkParameter* p = nullptr;
        std::string names;
        for (const auto& q : b.parameters) {
            if (q.name == key) p = &q;
            names += (names.empty() ? "" : ", ") + q.name;
        }
        if (!p)
            throw sdk::InvalidArgument(b.name + " has no parameter '" +
                                       sdk::text::sanitize(key, 50) + "' (it has: " + names + ")");
        const bj::value& v = kv.value();
        if (p->choices.empty()) {
            // Integers; "4" from the command line too.
            std::optional<std::int64_t> n;
            if (v.is_int64())
                n = v.get_int64();
            else if (v.is_uint64() && v.get_uint64() <= INT64_MAX)
                n = static_cast<std::int64_t>(v.get_uint64());
            else if (v.is_string()) {
                const std::string s(v.get_string());
                if (!s.empty() && s.size() < 19 &&
                    s.find_first_not_of("0123456789") == std::string::npos)
                    n = std::stoll(s);
            }
            if (!n || *n < p->minimum || *n > p->maximum)
                throw sdk::InvalidArgument(
                    b.name + " parameter " + key + " must be an integer from " +
                    std::to_string(p->minimum) + " to " + std::to_string(p->maximum));
            out[key] = std::to_string(*n);
        } else {
            const std::string s = v.is_string() ? std::string(v.get_string()) : std::string();
            bool known = false;
            std::string list;
            for (const auto& c : p->choices) {
                known = known || c == s;
                list += (list.empty() ? "" : ", ") + c;
            }
            if (!known)
                throw sdk::InvalidArgument(b.name + " parameter " + key + " must be one of " +
                                           list);
            out[key] = s;
        }
    }
    return out;
}

bj::object benchmark_params_schema() {
    bj::array names;
    std::string help = "a built-in benchmark instead of a command:";
    std::string params_help = "the benchmark's parameters (integers, or one of the choices):";
    for (const auto& b : benchmarks()) {
        names.push_back(bj::string(b.name));
        help += " " + b.name + " (" + b.package + "): " + b.description + ";";
        params_help += " " + b.name + ":";
        for (const auto& p : b.parameters)
            params_help += " " + p.name + " (" +
                           (p.choices.empty() ? std::to_string(p.minimum) + ".." +
                                                    std::to_string(p.maximum) + ", default " +
                                                    std::to_string(p.default_integer)
                                              : [&] {
                                                    std::string s;
                                                    for (const auto& c : p.choices)
                                                        s += (s.empty() ? "" : "|") + c;
                                                    return s;
                                                }()) +
                           ")";
        params_help += ";";
    }
    return bj::object{
        {"benchmark", bj::object{{"enum", std::move(names)}, {"description", help}}},
        {"params",
         bj::object{{"type", "object"},
                    {"additionalProperties",
                     bj::object{{"type", bj::array{"integer", "string"}}, {"maxLength", 32}}},
                    {"description", params_help}}}};
}

}  // namespace schedcp::plugins::evaluator
