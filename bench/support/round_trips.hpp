// Measures request round trips over an MCP session: `count` requests of one kind with
// `depth` of them in flight (1 = sequential: send one, wait for its answer). Each latency
// runs from just before the request is written to just after its whole answer line is
// read; every answer is checked (its id is one in flight and not answered yet, no error),
// and the first bad answer aborts the measurement.
#pragma once

#include <cstddef>
#include <string>

#include "mcp_session.hpp"
#include "stats.hpp"

namespace schedcp::bench {

struct RequestKind {
    std::string method;
    std::string params_json;  // empty: no params
};

LatencySummary measure_round_trips(McpSession& session, const RequestKind& request,
                                   std::size_t count, std::size_t depth);

}  // namespace schedcp::bench
