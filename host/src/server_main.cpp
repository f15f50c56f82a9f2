// schedcp: the MCP server. JSON-RPC on stdin/stdout; logs go to the log file only.
//
// Asked to serve Streamable HTTP (--http, or server.http.listen in the config), it runs
// schedcp-http in its place with the same arguments (execv: the same process and pid, so
// systemd's socket activation and supervision are unchanged; its name in ps becomes
// schedcp-http). That program alone links
// OpenSSL, for TLS and JWT signatures: loading and relocating libcrypto and libssl took
// about a millisecond of every start-up, which an MCP client that spawns the stdio server
// per session waits for.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <variant>

#include "mcp/stdio_server.hpp"
#include "schedcp/sdk/install_layout.hpp"
#include "server_args.hpp"

namespace {

// Runs schedcp-http with our arguments; returns only when it cannot.
int run_http_server(const std::filesystem::path& bin_dir, char** argv) {
    namespace layout = schedcp::sdk::install_layout;
    const auto program =
        layout::prefix_of_bin_dir(bin_dir) / "lib" / "schedcp" / "libexec" / "schedcp-http";
    ::execv(program.c_str(), argv);
    std::cerr << "schedcp: cannot run " << program.string()
              << ", which serves Streamable HTTP: " << std::strerror(errno) << "\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    auto parsed = schedcp::host::parse_server_args(argc, argv);
    if (const int* exit_code = std::get_if<int>(&parsed)) return *exit_code;
    const auto& args = std::get<schedcp::host::ServerArgs>(parsed);
    const auto bin_dir = schedcp::host::executable_dir();
    // Before anything else (the sudo password, systemd's sockets, the environment): all
    // of it is schedcp-http's to take.
    if (args.http_listen) return run_http_server(bin_dir, argv);
    auto config = schedcp::host::load_host_config(args.config, bin_dir);
    if (auto* error = std::get_if<std::string>(&config)) {
        std::cerr << "schedcp: " << *error << "\n";
        return 2;
    }
    auto& host_config = std::get<schedcp::host::HostConfig>(config);
    if (host_config.http.listen && !args.force_stdio) return run_http_server(bin_dir, argv);

    const int protocol_out = schedcp::host::keep_stdout_for_the_protocol();
    if (protocol_out < 0) return 2;
    auto boot =
        schedcp::host::boot(std::move(host_config), schedcp::sdk::HostMode::server, bin_dir);
    if (!boot.host) {
        std::cerr << "schedcp: " << boot.error << "\n";
        return 2;
    }
    schedcp::host::mcp::StdioServer server(*boot.host, STDIN_FILENO, protocol_out);
    server.start();
    boot.host->io().run();
    boot.host->stop();
    schedcp::host::finish_serving(boot);
    ::close(protocol_out);
    return 0;
}
