// MCP request round trips over stdio: schedcp against the floor (bench/pipe_floor, a
// program that answers without parsing) and a server on the official TypeScript SDK,
// measured in the same run. See rtt/options.cpp for the command line; issue #14 for the
// figures it reports.
#include <cstdio>
#include <exception>

#include "cpu_placement.hpp"
#include "rtt/options.hpp"
#include "rtt/rtt_table.hpp"
#include "rtt/startup_and_rss.hpp"

int main(int argc, char** argv) {
    using namespace schedcp::bench;
    RttOptions options;
    try {
        options = parse_rtt_options(argc, argv);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "mcp_rtt: %s\n%s", e.what(), kRttUsage);
        return 2;
    }
    try {
        // Before any thread or server is started: they all inherit it.
        if (options.client_cpu) pin_this_thread(*options.client_cpu);
        if (options.mode == RttOptions::Mode::rss)
            run_rss(options);
        else if (options.mode == RttOptions::Mode::startup)
            run_startup(options);
        else
            run_rtt_table(options);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mcp_rtt: FAILED: %s\n", e.what());
        return 1;
    }
    return 0;
}
