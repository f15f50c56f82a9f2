#include "server_args.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <iostream>

#include "logging.hpp"

#ifndef SCHEDCP_VERSION
#define SCHEDCP_VERSION "0.0.0"
#endif

namespace schedcp::host {

namespace {

constexpr const char* kUsage =
    "Usage: schedcp [--config FILE] [--http ADDRESS:PORT | --http systemd | --stdio]\n"
    "\n"
    "The schedcp MCP server: speaks the Model Context Protocol (JSON-RPC, one message per\n"
    "line) on stdin/stdout, serving the tools of the plugins the config loads. MCP clients\n"
    "start it as a subprocess; see README.md for Claude Desktop / Claude Code set-up.\n"
    "With --http (or server.http.listen in the config) it serves MCP's Streamable HTTP\n"
    "transport instead, at http://ADDRESS:PORT/mcp (docs/http-transport.md).\n"
    "Protocol revisions: 2026-07-28 (per-request _meta), and 2025-11-25, 2025-06-18,\n"
    "2025-03-26, 2024-11-05 (initialize handshake); the client's first message decides.\n"
    "\n"
    "Options:\n"
    "  --config FILE   config file (default: $SCHEDCP_CONFIG, else the one installed\n"
    "                  beside the executable)\n"
    "  --http ADDRESS:PORT  serve Streamable HTTP there (e.g. 127.0.0.1:8765; port 0: any\n"
    "                  free port, printed on stderr); loopback only unless the config sets\n"
    "                  server.http.auth (bearer tokens) or server.http.allow_non_loopback\n"
    "  --http systemd  serve Streamable HTTP on the listening sockets systemd passes\n"
    "                  (socket activation: schedcp-http.socket; TCP or unix sockets)\n"
    "  --stdio         serve stdio even when the config sets server.http.listen\n"
    "  -h, --help      show this help\n"
    "  --version       print the version\n";

}  // namespace

std::variant<ServerArgs, int> parse_server_args(int argc, char** argv) {
    ServerArgs args;
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
            args.config = argv[++i];
        } else if (a.rfind("--config=", 0) == 0) {
            args.config = a.substr(9);
        } else if (a == "--http" && i + 1 < argc) {
            args.http_listen = argv[++i];
        } else if (a.rfind("--http=", 0) == 0) {
            args.http_listen = a.substr(7);
        } else if (a == "--stdio") {
            args.force_stdio = true;
        } else {
            std::cerr << "schedcp: unknown argument '" << a << "'\nTry 'schedcp --help'.\n";
            return 2;
        }
    }
    if (args.http_listen && args.force_stdio) {
        std::cerr << "schedcp: --http and --stdio exclude each other\nTry 'schedcp --help'.\n";
        return 2;
    }
    return args;
}

bool guard_stdout() {
    std::signal(SIGPIPE, SIG_IGN);
    if (::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        std::cerr << "schedcp: cannot set up stdout: " << std::strerror(errno) << "\n";
        return false;
    }
    return true;
}

int keep_stdout_for_the_protocol() {
    const int protocol_out = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (protocol_out < 0) {
        std::cerr << "schedcp: cannot set up stdout: " << std::strerror(errno) << "\n";
        return -1;
    }
    if (!guard_stdout()) {
        ::close(protocol_out);
        return -1;
    }
    return protocol_out;
}

void finish_serving(BootResult& boot) {
    SCHEDCP_LOG(boot.host->logger(), info) << "schedcp stopped";
    flush_logging();
    boot.host.reset();
}

}  // namespace schedcp::host
