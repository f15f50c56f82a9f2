// schedcp: the MCP server. JSON-RPC on stdin/stdout; logs go to the log file only.
#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <variant>

#include "bootstrap.hpp"
#include "logging.hpp"
#include "mcp/http/http_server.hpp"
#include "mcp/http/systemd_sockets.hpp"
#include "mcp/stdio_server.hpp"

#ifndef SCHEDCP_VERSION
#define SCHEDCP_VERSION "0.0.0"
#endif

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

// Serves Streamable HTTP until a signal; returns the exit code.
int serve_http(schedcp::host::Host& host, const std::string& listen) {
    namespace http = schedcp::host::mcp::http;
    auto where = std::get<http::ListenAddress>(http::parse_listen_address(listen));
    const auto& http_config = host.config().http;
    if (!where.address.is_loopback() && !http_config.auth && !http_config.allow_non_loopback) {
        std::cerr << "schedcp: --http " << where.text()
                  << ": not a loopback address, and server.http.auth is not set: anyone who "
                     "reaches the port could run schedulers as root. Configure bearer tokens "
                     "(server.http.auth), or set server.http.allow_non_loopback: true when a "
                     "trusted reverse proxy in front authenticates every request\n";
        return 2;
    }
    http::HttpServer server(host, where);
    try {
        server.start();
    } catch (const std::exception& e) {
        std::cerr << "schedcp: " << e.what() << "\n";
        return 2;
    }
    // The one line a supervisor or a test reads to learn the port (port 0 asks for any).
    std::cerr << "schedcp: listening on " << (http_config.tls ? "https://" : "http://")
              << server.bound().text() << http_config.path << std::endl;
    host.io().run();
    host.stop();
    return 0;
}

// Serves Streamable HTTP on the sockets systemd passed (--http systemd) until a signal.
int serve_http_inherited(schedcp::host::Host& host,
                         const schedcp::host::mcp::http::InheritedSockets& sockets) {
    namespace http = schedcp::host::mcp::http;
    auto acceptors = http::adopt_sockets(host.io(), sockets);
    for (const auto& a : acceptors) {
        if (!http::local_only(a) && !host.config().http.auth &&
            !host.config().http.allow_non_loopback) {
            std::cerr << "schedcp: --http systemd: the socket " << http::describe_listener(a)
                      << " is not a loopback address, and server.http.auth is not set; schedcp "
                         "listens beyond this machine only with bearer tokens (server.http.auth) "
                         "or when the config sets server.http.allow_non_loopback: true\n";
            return 2;
        }
    }
    http::HttpServer server(host, std::move(acceptors));
    try {
        server.start();
    } catch (const std::exception& e) {
        std::cerr << "schedcp: " << e.what() << "\n";
        return 2;
    }
    for (std::string where : server.listeners()) {
        // Over TLS a TCP socket is https; describe_listener names the plain scheme.
        if (host.config().http.tls && where.starts_with("http://"))
            where.insert(4, "s");
        std::cerr << "schedcp: listening on " << where << host.config().http.path << std::endl;
    }
    host.io().run();
    host.stop();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::optional<std::filesystem::path> config;
    std::optional<std::string> http_listen;
    bool force_stdio = false;
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
        } else if (a == "--http" && i + 1 < argc) {
            http_listen = argv[++i];
        } else if (a.rfind("--http=", 0) == 0) {
            http_listen = a.substr(7);
        } else if (a == "--stdio") {
            force_stdio = true;
        } else {
            std::cerr << "schedcp: unknown argument '" << a << "'\nTry 'schedcp --help'.\n";
            return 2;
        }
    }

    if (http_listen && force_stdio) {
        std::cerr << "schedcp: --http and --stdio exclude each other\nTry 'schedcp --help'.\n";
        return 2;
    }
    // Socket activation: the sockets are taken (and made close-on-exec) before anything
    // else runs, so no child process inherits them.
    std::optional<schedcp::host::mcp::http::InheritedSockets> inherited;
    if (http_listen == "systemd") {
        auto taken = schedcp::host::mcp::http::take_systemd_sockets();
        if (auto* why = std::get_if<std::string>(&taken)) {
            std::cerr << "schedcp: --http systemd: " << *why << "\n";
            return 2;
        }
        inherited = std::get<schedcp::host::mcp::http::InheritedSockets>(std::move(taken));
    } else if (http_listen) {
        auto parsed = schedcp::host::mcp::http::parse_listen_address(*http_listen);
        if (auto* why = std::get_if<std::string>(&parsed)) {
            std::cerr << "schedcp: --http " << *why << "\n";
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
    if (!http_listen && !force_stdio) http_listen = host.config().http.listen;
    if (inherited) {
        if (int rc = serve_http_inherited(host, *inherited); rc != 0) return rc;
    } else if (http_listen) {
        if (int rc = serve_http(host, *http_listen); rc != 0) return rc;
    } else {
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
