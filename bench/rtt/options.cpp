#include "options.hpp"

#include <charconv>

namespace schedcp::bench {

const char* const kRttUsage =
    "usage: mcp_rtt [--rounds N] [--requests N] [--depth N] [--warmup N] [--timeout-ms N]\n"
    "               [--no-reference] [--rss [--rss-calls N]] [--startup [--runs N]]\n"
    "               [-- SERVER ARGS...]\n"
    "  Round trips of MCP requests over stdio: the floor (bench/pipe_floor), schedcp (or the\n"
    "  server after --) and the TypeScript SDK reference server (bench/ts-server), in\n"
    "  interleaved rounds; p50/p99/p99.9 in microseconds, requests/s, ratios to the floor.\n"
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
