// The servers mcp_rtt measures and how each is started: the floor (bench/pipe_floor),
// schedcp with the build's default config and a throw-away data dir (or any server given
// on the command line), and the reference server on the official TypeScript SDK.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <chrono>
#include <memory>

#include "mcp_session.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace schedcp::bench {

struct ServerTarget {
    std::string label;
    std::vector<std::string> argv;
    std::optional<std::filesystem::path> cwd;
};

// pipe_floor answering every request with `bytes` bytes.
ServerTarget floor_target(std::size_t bytes);
// pipe_floor answering every request with the answer line in `answer_file` (its id
// replaced by the request's): the very bytes of the server it is the floor for.
ServerTarget floor_replaying(const std::filesystem::path& answer_file);

// `server_argv` when given (measured as it is), else build/bin/schedcp with the build's
// default config (every plugin) plus a data_dir inside `scratch`.
ServerTarget schedcp_target(const std::vector<std::string>& server_argv, const TempDir& scratch);

// node bench/ts-server/server.mjs, or nullopt when node or the server's node_modules are
// missing; `why_not` then says what to do.
std::optional<ServerTarget> ts_target(std::string& why_not);

// The build's default config with data_dir set inside `scratch`: every plugin, as deployed.
std::filesystem::path default_config_in(const TempDir& scratch);

// A started server with its MCP session, the handshake done; on CPU `cpu` when given (it
// and every thread it starts), else where the calling thread may run.
struct Launched {
    std::unique_ptr<ServerProcess> process;
    std::unique_ptr<McpSession> session;
};
Launched launch(const ServerTarget& target, std::chrono::milliseconds timeout,
                std::optional<int> cpu = std::nullopt);

// build/bin/<name>.
std::string bin_path(const std::string& name);

}  // namespace schedcp::bench
