// mcp_rtt's main mode: every workload against the floor, schedcp and the reference server
// in interleaved rounds, printed as a table with ratios to the floor measured in the same
// run, and the figures issue #14's acceptance is stated in.
#pragma once

#include "options.hpp"

namespace schedcp::bench {

void run_rtt_table(const RttOptions& options);

}  // namespace schedcp::bench
