#include "targets.hpp"

#include "cpu_placement.hpp"

namespace schedcp::bench {

namespace fs = std::filesystem;

ServerTarget floor_target(std::size_t bytes) {
    return {.label = "floor",
            .argv = {std::string(SCHEDCP_BENCH_DIR) + "/pipe_floor", std::to_string(bytes)},
            .cwd = std::nullopt};
}

ServerTarget floor_replaying(const fs::path& answer_file) {
    return {.label = "floor",
            .argv = {std::string(SCHEDCP_BENCH_DIR) + "/pipe_floor", "--answer",
                     answer_file.string()},
            .cwd = std::nullopt};
}

std::string bin_path(const std::string& name) {
    return std::string(SCHEDCP_BIN_DIR) + "/" + name;
}

fs::path default_config_in(const TempDir& scratch) {
    // The default config sets no data_dir (root's is /var/lib/schedcp): prepending one
    // keeps every plugin and setting as deployed while leaving the system's data alone.
    const std::string config = "data_dir: " + (scratch.path() / "data").string() + "\n" +
                               read_file(SCHEDCP_DEFAULT_CONFIG);
    return scratch.write("schedcp.yaml", config);
}

ServerTarget schedcp_target(const std::vector<std::string>& server_argv, const TempDir& scratch) {
    if (!server_argv.empty())
        return {.label = fs::path(server_argv.front()).filename().string(),
                .argv = server_argv,
                .cwd = std::nullopt};
    return {.label = "schedcp",
            .argv = {bin_path("schedcp"), "--config", default_config_in(scratch).string()},
            .cwd = std::nullopt};
}

std::optional<ServerTarget> ts_target(std::string& why_not) {
    const fs::path dir = SCHEDCP_TS_SERVER_DIR;
    const std::string node = SCHEDCP_NODE_EXECUTABLE;
    if (node.empty()) {
        why_not = "node was not found when the build was configured";
        return std::nullopt;
    }
    if (!fs::exists(dir / "node_modules" / "@modelcontextprotocol" / "sdk")) {
        why_not = "run `npm ci` in " + dir.string();
        return std::nullopt;
    }
    return ServerTarget{
        .label = "ts-sdk", .argv = {node, (dir / "server.mjs").string()}, .cwd = dir};
}

}  // namespace schedcp::bench

namespace schedcp::bench {

Launched launch(const ServerTarget& target, std::chrono::milliseconds timeout,
                std::optional<int> cpu) {
    Launched l;
    {
        // The child inherits the spawning thread's mask; this thread goes back after.
        std::optional<ScopedPinning> pinned;
        if (cpu) pinned.emplace(*cpu);
        l.process = std::make_unique<ServerProcess>(target.label, target.argv, timeout, target.cwd);
    }
    l.session = std::make_unique<McpSession>(*l.process);
    l.session->handshake();
    return l;
}

}  // namespace schedcp::bench
