// mcp_rtt's command line.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace schedcp::bench {

struct RttOptions {
    enum class Mode { table, rss, startup };
    Mode mode = Mode::table;
    std::size_t rounds = 3;                    // interleaved rounds; each figure is its best round
    std::size_t requests = 3000;               // per row and round
    std::size_t depth = 16;                    // requests in flight in the pipelined rows
    std::size_t warmup = 300;                  // unmeasured requests per row before the first round
    std::chrono::milliseconds timeout{10000};  // for every answer
    bool reference = true;  // measure the TypeScript SDK server when it is installed
    std::size_t rss_calls = 100000;
    std::size_t startup_runs = 10;
    std::vector<std::string> server_argv;  // after --: the server to measure instead of schedcp
    // Placement (see bench/support/cpu_placement.hpp for why): the benchmark's own threads
    // and, unless server_cpu says otherwise, every server it starts run on client_cpu.
    std::optional<int> client_cpu;  // --cpu N
    std::optional<int> server_cpu;  // --server-cpu N: every server (floor included) on N
};

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

extern const char* const kRttUsage;

// Throws UsageError naming the bad argument.
RttOptions parse_rtt_options(int argc, char** argv);

}  // namespace schedcp::bench
