// MCP over a ServerProcess for the benchmarks: request lines with increasing integer ids,
// the 2025-11-25 handshake, and one fully parsed and checked call for set-up and for
// checking what a workload answers before it is measured.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "server_process.hpp"

namespace schedcp::bench {

// {"jsonrpc":"2.0","id":ID,"method":METHOD[,"params":PARAMS]}\n; `params_json` is a JSON
// object's text, or empty for none.
std::string request_line(std::int64_t id, std::string_view method, std::string_view params_json);

class McpSession {
  public:
    explicit McpSession(ServerProcess& server) : server_(server) {}

    ServerProcess& server() { return server_; }
    std::int64_t next_id() { return next_id_++; }

    // initialize (protocol 2025-11-25), its answer checked, then notifications/initialized.
    void handshake();
    // One request, its answer checked (id, no error) and parsed: the result object.
    // `answer_line`, when given, receives the answer line as it came (without its newline).
    boost::json::object call(std::string_view method, std::string_view params_json,
                             std::string* answer_line = nullptr);

  private:
    ServerProcess& server_;
    std::int64_t next_id_ = 1;
};

}  // namespace schedcp::bench
