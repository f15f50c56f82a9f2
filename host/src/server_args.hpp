// The MCP server's command line and start-up, shared by `schedcp` (stdio) and
// `schedcp-http` (Streamable HTTP), which schedcp runs in its place, with the same
// arguments, when it is asked to serve HTTP (server_main.cpp says why).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <variant>

#include "bootstrap.hpp"

namespace schedcp::host {

struct ServerArgs {
    std::optional<std::filesystem::path> config;
    std::optional<std::string> http_listen;  // --http: ADDRESS:PORT, or "systemd"
    bool force_stdio = false;                // --stdio
};

// The arguments, or the exit code when there is nothing to serve: --help and --version
// print and give 0; a usage error is reported on stderr and gives 2.
std::variant<ServerArgs, int> parse_server_args(int argc, char** argv);

// Points fd 1 at stderr, so a stray print from any library goes to stderr, never to
// a client, and ignores SIGPIPE: a client that goes away must show up as a write error, not
// kill the server mid-cleanup. False (reported on stderr) if fd 1 cannot be moved.
bool guard_stdout();

// For a stdio server, where only MCP messages may reach the client: a close-on-exec copy of
// the real stdout for the protocol, then guard_stdout(). -1 (reported) on failure.
int keep_stdout_for_the_protocol();

// After serving (the host stopped): logs so, flushes the log, then destroys the host.
void finish_serving(BootResult& boot);

}  // namespace schedcp::host
