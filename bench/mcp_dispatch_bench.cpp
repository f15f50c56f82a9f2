// The server's own share of a request, without pipes or the kernel: the real host with the
// deployed plugins handles MCP lines in-process (McpSession::on_line, the path stdio and
// HTTP share) and its answers go to a sink. Per request: nanoseconds for ping, the
// filtered and unfiltered list_schedulers, and tools/list, with ping as the floor the
// others are compared to. What mcp_rtt adds on top is the transport (read, write, wake-ups).
//   mcp_dispatch_bench [--requests N] [--config FILE] [--only NAME]   (NAME: a row, e.g. "list rusty")
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "bootstrap.hpp"
#include "mcp/session.hpp"
#include "stats.hpp"
#include "temp_dir.hpp"

namespace {

using namespace schedcp;

// Keeps the size of the last answer, so that nothing is optimised away.
class Sink final : public host::mcp::Outbound {
  public:
    void send(std::string serialised, const boost::json::value&, host::mcp::OutboundKind) override {
        bytes = serialised.size();
        ++answers;
    }
    std::size_t bytes = 0;
    std::size_t answers = 0;
};

// Runs the event loop until `sink` has `count` answers (10 s at most).
bool answered(host::Host& h, const Sink& sink, std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    h.io().restart();
    while (sink.answers < count && std::chrono::steady_clock::now() < deadline)
        h.io().run_one_for(std::chrono::milliseconds(10));
    if (sink.answers >= count) return true;
    std::cerr << "mcp_dispatch_bench: " << sink.answers << " answers, " << count << " expected\n";
    return false;
}

struct Row {
    const char* name;
    std::string params;  // the request's "method" and "params", as JSON members
};

}  // namespace

int main(int argc, char** argv) {
    int requests = 200000;
    std::optional<std::filesystem::path> config;
    std::string only;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--requests" && i + 1 < argc) {
            requests = std::atoi(argv[++i]);
        } else if (a == "--config" && i + 1 < argc) {
            config = argv[++i];
        } else if (a == "--only" && i + 1 < argc) {
            only = argv[++i];
        } else {
            std::cerr << "usage: mcp_dispatch_bench [--requests N] [--config FILE] [--only NAME]\n";
            return 2;
        }
    }
    bench::TempDir scratch("mcp-dispatch");
    if (!config)
        config = scratch.write("schedcp.yaml",
                               "data_dir: " + (scratch.path() / "data").string() + "\n" +
                                   bench::read_file(SCHEDCP_DEFAULT_CONFIG));
    auto booted = host::boot(config, sdk::HostMode::server);
    if (!booted.host) {
        std::cerr << "mcp_dispatch_bench: " << booted.error << "\n";
        return 1;
    }
    auto& h = *booted.host;
    auto sink = std::make_shared<Sink>();
    auto session = std::make_shared<host::mcp::McpSession>(h, sink);
    session->on_line(
        R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
        R"("capabilities":{},"clientInfo":{"name":"bench","version":"1"}}})");
    session->on_line(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    const std::vector<Row> rows = {
        {"ping", R"("method":"ping")"},
        {"list rusty",
         R"("method":"tools/call","params":{"name":"list_schedulers","arguments":{"name":"rusty"}})"},
        {"list all", R"("method":"tools/call","params":{"name":"list_schedulers","arguments":{}})"},
        {"tools/list", R"("method":"tools/list")"},
    };
    std::printf("%-12s %9s %12s %10s\n", "request", "bytes", "ns/request", "/ping");
    double ping_ns = 0;
    for (const auto& row : rows) {
        if (!only.empty() && only != row.name && std::string(row.name) != "ping") continue;
        std::vector<std::string> lines;
        lines.reserve(static_cast<std::size_t>(requests));
        for (int i = 1; i <= requests; ++i)
            lines.push_back(R"({"jsonrpc":"2.0","id":)" + std::to_string(i) + "," + row.params + "}");
        // The first answers fill what is kept (the host's fit, cached pieces): not timed.
        const std::size_t warm = sink->answers + 100;
        for (int i = 0; i < 100; ++i) session->on_line(lines[static_cast<std::size_t>(i)]);
        if (!answered(h, *sink, warm)) return 1;
        const std::size_t before = sink->answers;
        const auto start = std::chrono::steady_clock::now();
        for (auto& line : lines) session->on_line(std::move(line));
        // Calls that went to a handler finish on the event loop.
        if (!answered(h, *sink, before + static_cast<std::size_t>(requests))) return 1;
        const double ns =
            std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
                .count() /
            requests;
        if (ping_ns == 0) ping_ns = ns;
        std::printf("%-12s %9zu %12.0f %10.2f\n", row.name, sink->bytes, ns, ns / ping_ns);
    }
    session->close();
    h.stop();
    return 0;
}
