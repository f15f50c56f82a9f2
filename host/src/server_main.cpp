// schedcp: the MCP server. JSON-RPC on stdin/stdout; logs go to the log file only.
#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

#include "bootstrap.hpp"
#include "logging.hpp"
#include "mcp/stdio_server.hpp"

#ifndef SCHEDCP_VERSION
#define SCHEDCP_VERSION "0.0.0"
#endif

namespace {

constexpr const char* kUsage =
    "Usage: schedcp [--config FILE]\n"
    "\n"
    "The schedcp MCP server: speaks the Model Context Protocol (JSON-RPC, one message per\n"
    "line) on stdin/stdout, serving the tools of the plugins the config loads. MCP clients\n"
    "start it as a subprocess; see README.md for Claude Desktop / Claude Code set-up.\n"
    "Protocol revisions: 2026-07-28 (per-request _meta), and 2025-11-25, 2025-06-18,\n"
    "2025-03-26, 2024-11-05 (initialize handshake); the client's first message decides.\n"
    "\n"
    "Options:\n"
    "  --config FILE   config file (default: $SCHEDCP_CONFIG, else the one installed\n"
    "                  beside the executable)\n"
    "  -h, --help      show this help\n"
    "  --version       print the version\n";

}  // namespace

int main(int argc, char** argv) {
    std::optional<std::filesystem::path> config;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "-h" || a == "--help") {
            std::cout << kUsage;
            return 0;
        }
        if (a == "--version") {
            std::cout << "schedcp " << SCHEDCP_VERSION << "\n";
            return 0;
        }
        if (a == "--config" && i + 1 < argc) {
            config = argv[++i];
        } else if (a.rfind("--config=", 0) == 0) {
            config = a.substr(9);
        } else {
            std::cerr << "schedcp: unknown argument '" << a << "'\nTry 'schedcp --help'.\n";
            return 2;
        }
    }

    // A client that goes away must show up as a write error, not kill us mid-cleanup.
    std::signal(SIGPIPE, SIG_IGN);
    // Only MCP messages may reach the client: keep the real stdout for the protocol and
    // point fd 1 at stderr, so a stray print from any library cannot corrupt the stream.
    int protocol_out = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (protocol_out < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        std::cerr << "schedcp: cannot set up stdout: " << std::strerror(errno) << "\n";
        return 2;
    }
    auto boot = schedcp::host::boot(config, schedcp::sdk::HostMode::server);
    if (!boot.host) {
        std::cerr << "schedcp: " << boot.error << "\n";
        return 2;
    }
    auto& host = *boot.host;
    {
        schedcp::host::mcp::StdioServer server(host, STDIN_FILENO, protocol_out);
        server.start();
        host.io().run();
        host.stop();
    }
    SCHEDCP_LOG(host.logger(), info) << "schedcp stopped";
    schedcp::host::flush_logging();
    boot.host.reset();
    ::close(protocol_out);
    return 0;
}
