// MCP tools/call round trips over Streamable HTTP against stdio, on the same server
// (schedcp with the catalog plugin) and the same call (list_schedulers), in the same run:
//  - sequential: one call at a time, over a stdio pipe and over one keep-alive HTTP
//    connection in one 2025-11-25 session;
//  - concurrent: CLIENTS calls in flight: stdio pipelined at that depth on one pipe, HTTP
//    as CLIENTS keep-alive connections, each its own session.
// Prints p50/p99 per transport and HTTP's as a ratio of stdio's (issue #18's load item;
// the load test in tests/integration/http_load_test.cpp checks correctness and memory,
// never time).
//   mcp_http_rtt [--calls N (2000)] [--clients C (16)]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "keepalive_http.hpp"
#include "mcp_session.hpp"
#include "round_trips.hpp"
#include "server_process.hpp"
#include "stats.hpp"
#include "temp_dir.hpp"

namespace {

using namespace schedcp::bench;
using Clock = std::chrono::steady_clock;
constexpr auto kTimeout = std::chrono::seconds(30);
const RequestKind kCall{.method = "tools/call",
                        .params_json = R"({"name":"list_schedulers","arguments":{}})"};

struct Options {
    std::size_t calls = 2000;
    std::size_t clients = 16;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::size_t {
            if (i + 1 >= argc) throw std::invalid_argument(a + " needs a number");
            char* end = nullptr;
            const auto v = std::strtoul(argv[++i], &end, 10);
            if (*end || v == 0) throw std::invalid_argument(a + " needs a number above 0");
            return v;
        };
        if (a == "--calls")
            o.calls = value();
        else if (a == "--clients")
            o.clients = value();
        else
            throw std::invalid_argument("unknown argument '" + a + "'");
    }
    return o;
}

std::vector<std::string> server_argv(const std::string& config) {
    return {std::string(SCHEDCP_BIN_DIR) + "/schedcp", "--config", config};
}

// The port `schedcp --http 127.0.0.1:0` reports on stderr.
int wait_for_port(const ServerProcess& server) {
    static const std::regex listening(R"(listening on http://127\.0\.0\.1:([0-9]+)/)");
    const auto until = Clock::now() + kTimeout;
    while (Clock::now() < until) {
        std::smatch m;
        const std::string tail = server.stderr_tail();
        if (std::regex_search(tail, m, listening)) return std::stoi(m[1]);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("schedcp --http did not report its port: " + server.stderr_tail());
}

// `calls` sequential calls in a fresh session on one keep-alive connection; latencies in µs.
std::vector<double> http_calls(int port, std::size_t calls) {
    schedcp::test::KeepAliveHttp c(port);
    const auto init = c.post(
        R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"mcp_http_rtt","version":"0"}}})");
    const std::string session = init.header("Mcp-Session-Id");
    if (init.status != 200 || session.empty())
        throw std::runtime_error("initialize over HTTP failed: " + init.body);
    c.post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", session);
    std::vector<double> out;
    out.reserve(calls);
    for (std::size_t i = 0; i < calls; ++i) {
        const std::string body =
            request_line(static_cast<std::int64_t>(i + 2), kCall.method, kCall.params_json);
        const auto t0 = Clock::now();
        const auto answer = c.post(body, session);
        const auto t1 = Clock::now();
        if (answer.status != 200 || answer.body.find("\"error\"") != std::string::npos ||
            answer.body.find("\"isError\":true") != std::string::npos)
            throw std::runtime_error("call over HTTP failed: " + std::to_string(answer.status) +
                                     " " + answer.body.substr(0, 300));
        out.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    c.end_session(session);
    return out;
}

LatencySummary http_round_trips(int port, std::size_t calls, std::size_t clients) {
    std::vector<std::vector<double>> per_client(clients);
    std::vector<std::string> errors(clients);
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (std::size_t k = 0; k < clients; ++k)
        threads.emplace_back([&, k] {
            try {
                per_client[k] = http_calls(port, calls / clients);
            } catch (const std::exception& e) {
                errors[k] = e.what();
            }
        });
    for (auto& t : threads) t.join();
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    for (const auto& e : errors)
        if (!e.empty()) throw std::runtime_error(e);
    std::vector<double> all;
    for (auto& v : per_client) all.insert(all.end(), v.begin(), v.end());
    return summarize(std::move(all), wall);
}

void row(const char* label, const LatencySummary& stdio, const LatencySummary& http) {
    std::printf("%-28s %10.1f %10.1f %10.1f %10.1f %8.2fx %8.2fx\n", label, stdio.p50_us,
                stdio.p99_us, http.p50_us, http.p99_us, http.p50_us / stdio.p50_us,
                http.p99_us / stdio.p99_us);
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    try {
        options = parse(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mcp_http_rtt: %s\nusage: mcp_http_rtt [--calls N] [--clients C]\n",
                     e.what());
        return 2;
    }
    try {
        TempDir scratch("mcp_http_rtt");
        const std::string config =
            scratch
                .write("schedcp.yaml",
                       "data_dir: " + (scratch.path() / "data").string() +
                           "\nlog: {file: schedcp.log, level: warning}\n"
                           "server: {max_concurrent_requests: 256, http: {max_connections: 256, "
                           "max_sessions: 256}}\nplugins:\n  - name: catalog\n")
                .string();

        auto stdio_argv = server_argv(config);
        stdio_argv.push_back("--stdio");
        ServerProcess stdio_server("schedcp --stdio", stdio_argv, kTimeout);
        McpSession session(stdio_server);
        session.handshake();
        measure_round_trips(session, kCall, 200, 1);  // warm-up
        const auto stdio_seq = measure_round_trips(session, kCall, options.calls, 1);
        const auto stdio_conc = measure_round_trips(session, kCall, options.calls, options.clients);

        auto http_argv = server_argv(config);
        http_argv.insert(http_argv.end(), {"--http", "127.0.0.1:0"});
        ServerProcess http_server("schedcp --http", http_argv, kTimeout);
        const int port = wait_for_port(http_server);
        http_round_trips(port, 200, 1);  // warm-up
        const auto http_seq = http_round_trips(port, options.calls, 1);
        const auto http_conc = http_round_trips(port, options.calls, options.clients);

        std::printf("tools/call list_schedulers, %zu calls; latencies in microseconds\n",
                    options.calls);
        std::printf("%-28s %10s %10s %10s %10s %9s %9s\n", "", "stdio p50", "stdio p99", "http p50",
                    "http p99", "p50 x", "p99 x");
        row("sequential (1 in flight)", stdio_seq, http_seq);
        const std::string label = std::to_string(options.clients) + " in flight";
        row(label.c_str(), stdio_conc, http_conc);
        std::printf(
            "(stdio: one pipe, pipelined; HTTP: one keep-alive connection and session "
            "per client. x = HTTP / stdio.)\n");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mcp_http_rtt: FAILED: %s\n", e.what());
        return 1;
    }
    return 0;
}
