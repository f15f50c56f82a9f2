#include "options.hpp"

#include <charconv>

#include "cpu_placement.hpp"

namespace schedcp::bench {

const char* const kRttUsage =
    "usage: mcp_rtt [--rounds N] [--requests N] [--depth N] [--warmup N] [--timeout-ms N]\n"
    "               [--no-reference] [--cpu N] [--server-cpu N]\n"
    "               [--rss [--rss-calls N]] [--startup [--runs N]] [-- SERVER ARGS...]\n"
    "  Round trips of MCP requests over stdio: the floor (bench/pipe_floor), schedcp (or the\n"
    "  server after --) and the TypeScript SDK reference server (bench/ts-server), in\n"
    "  interleaved rounds; p50/p99/p99.9 in microseconds, requests/s, ratios to the floor;\n"
    "  and each server's own CPU time and thread wake-ups per request (its threads'\n"
    "  /proc/PID/task/*/schedstat), which do not depend on where the processes run.\n"
    "  --cpu N         run the benchmark and every server on CPU N: each round trip is two\n"
    "                  context switches, the same for the floor and every server. Unpinned,\n"
    "                  wall-clock figures on a VM with halting idle vCPUs are bimodal between\n"
    "                  runs: they measure whether a wake-up had to rouse another vCPU\n"
    "  --server-cpu N  run every server (the floor too) on CPU N (with --cpu M, M != N: every\n"
    "                  round trip crosses CPUs)\n"
    "  --rss      the server's VmRSS after 1,000 and after --rss-calls calls (100,000)\n"
    "  --startup  time to the initialize answer, and schedcp-cli --version / list wall time\n";

namespace {

std::size_t count_value(int argc, char** argv, int& i, std::size_t min) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) throw UsageError(flag + " needs a value");
    const std::string text = argv[++i];
    std::size_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < min)
        throw UsageError(flag + " takes an integer >= " + std::to_string(min) + ", not '" + text +
                         "'");
    return v;
}

int cpu_value(int argc, char** argv, int& i) {
    const std::string flag = argv[i];
    const std::size_t cpu = count_value(argc, argv, i, 0);
    if (cpu >= CPU_SETSIZE || !cpu_allowed(static_cast<int>(cpu)))
        throw UsageError(flag + " " + std::to_string(cpu) +
                         ": this process may not run on that CPU (it may on " + allowed_cpus() +
                         ")");
    return static_cast<int>(cpu);
}

}  // namespace

RttOptions parse_rtt_options(int argc, char** argv) {
    RttOptions o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--") {
            o.server_argv.assign(argv + i + 1, argv + argc);
            if (o.server_argv.empty()) throw UsageError("-- must be followed by a server's argv");
            break;
        }
        if (a == "--rounds")
            o.rounds = count_value(argc, argv, i, 1);
        else if (a == "--requests")
            o.requests = count_value(argc, argv, i, 1);
        else if (a == "--depth")
            o.depth = count_value(argc, argv, i, 1);
        else if (a == "--warmup")
            o.warmup = count_value(argc, argv, i, 0);
        else if (a == "--timeout-ms")
            o.timeout = std::chrono::milliseconds(count_value(argc, argv, i, 1));
        else if (a == "--no-reference")
            o.reference = false;
        else if (a == "--cpu")
            o.client_cpu = cpu_value(argc, argv, i);
        else if (a == "--server-cpu")
            o.server_cpu = cpu_value(argc, argv, i);
        else if (a == "--rss")
            o.mode = RttOptions::Mode::rss;
        else if (a == "--rss-calls")
            o.rss_calls = count_value(argc, argv, i, 2000);
        else if (a == "--startup")
            o.mode = RttOptions::Mode::startup;
        else if (a == "--runs")
            o.startup_runs = count_value(argc, argv, i, 1);
        else
            throw UsageError("unknown argument '" + a + "'");
    }
    return o;
}

}  // namespace schedcp::bench
