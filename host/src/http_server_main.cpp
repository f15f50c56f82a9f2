// schedcp-http: the MCP server over Streamable HTTP (docs/http-transport.md).
//
// Installed in <prefix>/lib/schedcp/libexec; `schedcp --http ...`, or schedcp with a config
// that sets server.http.listen, runs this program in its place with the same arguments
// (server_main.cpp). It alone links OpenSSL (TLS, JWT signatures).
#include <unistd.h>

#include <iostream>
#include <optional>
#include <string>
#include <variant>

#include "mcp/http/http_server.hpp"
#include "mcp/http/systemd_sockets.hpp"
#include "schedcp/sdk/install_layout.hpp"
#include "server_args.hpp"

namespace {

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
        if (host.config().http.tls && where.starts_with("http://")) where.insert(4, "s");
        std::cerr << "schedcp: listening on " << where << host.config().http.path << std::endl;
    }
    host.io().run();
    host.stop();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    namespace http = schedcp::host::mcp::http;
    auto parsed = schedcp::host::parse_server_args(argc, argv);
    if (const int* exit_code = std::get_if<int>(&parsed)) return *exit_code;
    auto& args = std::get<schedcp::host::ServerArgs>(parsed);
    if (args.force_stdio) {
        std::cerr << "schedcp-http serves HTTP only; run schedcp --stdio\n";
        return 2;
    }
    // Socket activation: the sockets are taken (and made close-on-exec) before anything
    // else runs, so no child process inherits them.
    std::optional<http::InheritedSockets> inherited;
    if (args.http_listen == "systemd") {
        auto taken = http::take_systemd_sockets();
        if (auto* why = std::get_if<std::string>(&taken)) {
            std::cerr << "schedcp: --http systemd: " << *why << "\n";
            return 2;
        }
        inherited = std::get<http::InheritedSockets>(std::move(taken));
    } else if (args.http_listen) {
        auto where = http::parse_listen_address(*args.http_listen);
        if (auto* why = std::get_if<std::string>(&where)) {
            std::cerr << "schedcp: --http " << *why << "\n";
            return 2;
        }
    }
    if (!schedcp::host::guard_stdout()) return 2;  // HTTP speaks on sockets, not stdout
    // The programs schedcp and schedcp-cli are in <prefix>/bin: the config beside them and
    // the plugins are found from there, as they are for schedcp itself.
    namespace layout = schedcp::sdk::install_layout;
    const auto bin_dir = layout::prefix_of_lib_schedcp_dir(schedcp::host::executable_dir()) / "bin";
    auto config = schedcp::host::load_host_config(args.config, bin_dir);
    if (auto* error = std::get_if<std::string>(&config)) {
        std::cerr << "schedcp: " << *error << "\n";
        return 2;
    }
    auto& host_config = std::get<schedcp::host::HostConfig>(config);
    const auto listen = args.http_listen ? args.http_listen : host_config.http.listen;
    if (!listen) {
        std::cerr << "schedcp-http: nothing to serve: give --http ADDRESS:PORT or set "
                     "server.http.listen in the config\n";
        return 2;
    }
    auto boot =
        schedcp::host::boot(std::move(host_config), schedcp::sdk::HostMode::server, bin_dir);
    if (!boot.host) {
        std::cerr << "schedcp: " << boot.error << "\n";
        return 2;
    }
    auto& host = *boot.host;
    const int rc = inherited ? serve_http_inherited(host, *inherited) : serve_http(host, *listen);
    if (rc != 0) return rc;
    schedcp::host::finish_serving(boot);
    return 0;
}
