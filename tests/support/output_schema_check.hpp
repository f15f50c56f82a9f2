// Test support: checks a server's tool results against the outputSchema each tool declares
// in tools/list, with the SDK's own validator (the one the host uses when
// server.validate_tool_results is on), from the client's side. Each structured success
// must be valid, and must stop being valid when any of its top-level fields is renamed:
// a schema that lets a renamed field through does not describe the result. It also
// remembers which tools (and, for multi-command tools, which commands) were checked.
#pragma once

#include <map>
#include <set>
#include <string>

#include <boost/json.hpp>

#include "mcp_client.hpp"

namespace schedcp::test {

class OutputSchemaCheck {
  public:
    // Reads tools/list from an initialized client.
    explicit OutputSchemaCheck(McpClient& client);

    // Calls `tool` and checks its result; returns the whole response. An error result
    // (isError) is returned unchecked: it is the error shape, which no output schema covers.
    bj::object call(const std::string& tool, const bj::object& args = {},
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // Checks a response already received for a call of `tool` with `args`.
    void check(const std::string& tool, const bj::object& args, const bj::object& response);

    // Every listed tool's name, and which of them declare no output schema.
    const std::set<std::string>& tools() const { return tools_; }
    std::set<std::string> without_schema() const;
    // "tool" or "tool command" for every structured success checked.
    const std::set<std::string>& checked() const { return checked_; }

  private:
    McpClient& client_;
    std::set<std::string> tools_;
    std::map<std::string, bj::object> schemas_;
    std::set<std::string> checked_;
};

}  // namespace schedcp::test
