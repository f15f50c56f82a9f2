// mcp_rtt's other two modes: start-up time (spawn until the initialize answer, and the
// CLI's wall time) and the server's memory after many calls.
#pragma once

#include "options.hpp"

namespace schedcp::bench {

// Spawn-to-initialize-answer of the floor, schedcp (or the server after --) and the
// reference server; wall time of `schedcp-cli --version` and `schedcp-cli list`. Medians
// and minimums of `startup_runs` runs each.
void run_startup(const RttOptions& options);

// The server's VmRSS after 1,000 calls and after `rss_calls` calls (every workload in
// turn, pipelined), and their ratio.
void run_rss(const RttOptions& options);

}  // namespace schedcp::bench
