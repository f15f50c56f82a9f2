// Test support: a minimal MCP client over a real `schedcp` process's stdio. Every line
// the server writes must be one valid JSON value; anything else fails the test.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <boost/json.hpp>

#include "subprocess.hpp"

namespace schedcp::test {

namespace bj = boost::json;

class McpClient {
  public:
    // Starts `schedcp --config <config>`.
    explicit McpClient(const std::string& config,
                       const std::map<std::string, std::string>& env = {});
    // Starts an explicit command line (e.g. the server under another user).
    McpClient(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env);

    Subprocess& process() { return *proc_; }

    void send_raw(const std::string& line) { proc_->write_line(line); }
    void send(const bj::object& message) { send_raw(bj::serialize(message)); }
    void notify(const std::string& method, bj::object params = {});
    // Sends a request with a fresh integer id and waits for the response with that id.
    bj::object request(const std::string& method, bj::object params = {},
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));
    bj::object request_with_id(bj::value id, const std::string& method, bj::object params = {},
                               std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // The next message from the server (responses and notifications in order).
    std::optional<bj::value> next(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // Waits for the response with `id`; notifications seen meanwhile are kept.
    std::optional<bj::object> response(
        const bj::value& id, std::chrono::milliseconds timeout = std::chrono::seconds(10));
    std::deque<bj::object>& notifications() { return notifications_; }

    bj::object initialize(const std::string& version = "2025-11-25");
    bj::object call(const std::string& tool, bj::object args = {}, bj::object meta = {});

  private:
    std::unique_ptr<Subprocess> proc_;
    std::deque<bj::value> pending_;  // messages read but not yet claimed
    std::deque<bj::object> notifications_;
    std::int64_t next_id_ = 1;
};

// Minimal config for a test: data dir in `dir`, the given plugins entries (YAML list
// items, already indented by two spaces), plugin_dirs including the test plugins, and
// server.validate_tool_results on. `extra` is more top-level YAML; a `server: {...}` line
// must come first in it.
std::string write_config(const TempDir& dir, const std::string& plugins_yaml,
                         const std::string& extra = {});

}  // namespace schedcp::test
