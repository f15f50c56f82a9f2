// What mcp_rtt measures: each workload's request, which servers serve it, and the check of
// a server's first answer to it (fully parsed) before any of its answers are timed.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "mcp_session.hpp"
#include "round_trips.hpp"

namespace schedcp::bench {

struct Workload {
    std::string name;  // as the table shows it
    RequestKind request;
    bool schedcp_only;  // the reference server has no such tool
};

// ping, tools/list, list_schedulers filtered and unfiltered, and a workload `get`, for
// which a profile is created first. Workloads whose tool the server lacks are left out
// (with a note on stderr).
std::vector<Workload> prepare_workloads(McpSession& schedcp);

// Calls `w` once on `session`, checks what a correct answer holds, and returns the answer
// line (without its newline). Throws std::runtime_error saying what is wrong.
std::string check_workload(McpSession& session, const Workload& w);

}  // namespace schedcp::bench
