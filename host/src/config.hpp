// The host's YAML configuration: which plugins to load, their settings, logging, data dir.
//
//   log: {file: schedcp.log, level: info}   # file relative to data_dir
//   data_dir: /var/lib/schedcp              # default: /var/lib/schedcp as root, else
//                                           # ${XDG_DATA_HOME:-~/.local/share}/schedcp
//   plugin_dirs: [dir, ...]                 # searched before the built-in plugin dir
//   server: {max_message_bytes: 4194304, max_concurrent_requests: 64,
//            max_outgoing_bytes: 16777216, stalled_client_seconds: 120,
//            client_request_seconds: 600, max_client_requests: 16,
//            validate_tool_results: false,
//            max_tasks: 64, max_tasks_per_principal: 32, task_ttl_seconds: 3600,
//            http: {listen: 127.0.0.1:8765, ...}}   # see HttpConfig
//   plugins:
//     - name: catalog                      # loads <name>.so
//       path: /opt/x/catalog.so            # optional explicit file
//       enabled: true                      # optional
//       settings: {...}                    # the plugin's own section
//
// Unknown keys and wrong types are errors naming the key, the file and the line.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "schedcp/sdk/log.hpp"

namespace schedcp::host {

class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct PluginConfig {
    std::string name;
    std::optional<std::filesystem::path> path;  // absolute once loaded
    bool enabled = true;
    boost::json::object settings;
    int line = 0;  // 1-based line of the entry in the config file
};

// server.http.auth: the HTTP transport as an OAuth 2.1 resource server (docs/http-transport.md,
// "Authorization"). Paths are absolute once loaded (relative ones are resolved against the
// config file's directory); the files themselves are read, and their permissions checked,
// when the server starts.
struct HttpAuthConfig {
    // Bearer tokens: one `id:sha256-hex:scope[,scope]` per line (`schedcp-cli token new`),
    // mode 0600 or stricter, owned by the server's user.
    std::optional<std::filesystem::path> token_file;
    // JWTs (RS256, ES256, EdDSA) signed by a key of this JWK Set; needs `issuer` and an
    // audience (`audience`, else `resource`).
    std::optional<std::filesystem::path> jwks_file;
    std::optional<std::string> issuer;    // a JWT's `iss` must equal it
    std::optional<std::string> audience;  // a JWT's `aud` must hold it; default: resource
    // The endpoint's canonical URI (RFC 9728 `resource`), e.g. https://mcp.example.org/mcp;
    // unset: built from the request's Host header, the scheme and server.http.path.
    std::optional<std::string> resource;
    // RFC 9728 `authorization_servers` (issuer URLs); default: [issuer] when issuer is set.
    std::vector<std::string> authorization_servers;
    std::string read_scope = "read";      // scope name that may call read-only tools
    std::string admin_scope = "admin";    // scope name that may call every tool
    std::size_t clock_skew_seconds = 60;  // leeway on a JWT's exp and nbf
};

// server.http.tls: HTTPS (TLS 1.2 or later) with these PEM files.
struct HttpTlsConfig {
    std::filesystem::path certificate;  // the chain, leaf first
    std::filesystem::path key;          // the private key (unencrypted PEM)
};

// The Streamable HTTP transport (docs/http-transport.md). `schedcp` serves HTTP instead
// of stdio when `listen` is set here or `--http ADDR:PORT` is given.
struct HttpConfig {
    std::optional<std::string> listen;  // ADDRESS:PORT, checked by parse_listen_address
    std::string path = "/mcp";          // the MCP endpoint
    // Without `auth`, only a loopback address may be listened on unless this is set (e.g.
    // behind a trusted reverse proxy that authenticates).
    bool allow_non_loopback = false;
    // Host and Origin values accepted besides the loopback names (localhost, 127.0.0.1,
    // [::1], any port): DNS-rebinding protection (403 for anything else).
    std::vector<std::string> allowed_hosts;    // "mcp.example.org" or "mcp.example.org:443"
    std::vector<std::string> allowed_origins;  // "https://app.example.org"
    std::size_t max_connections = 64;          // open TCP connections; more are closed at once
    std::size_t max_sessions = 32;             // 2025-era sessions (Mcp-Session-Id)
    std::size_t idle_seconds = 30;             // a connection may sit this long between requests
    std::size_t session_idle_seconds = 1800;   // a session unused this long is ended
    std::optional<HttpAuthConfig> auth;        // unset: no authorization (everything allowed)
    std::optional<HttpTlsConfig> tls;          // unset: plain HTTP
};

struct HostConfig {
    std::filesystem::path source;  // the config file (absolute)
    std::filesystem::path data_dir;
    std::filesystem::path log_file;
    sdk::LogLevel log_level = sdk::LogLevel::info;
    std::vector<std::filesystem::path> plugin_dirs;
    std::size_t max_message_bytes = 4 * 1024 * 1024;
    std::size_t max_concurrent_requests = 64;
    // Answers waiting for a client that does not read: above a quarter of this the server
    // serves no more requests until the client reads; a notification above all of it
    // disconnects the client (answers of requests already running are kept: at most
    // max_concurrent_requests of them), and so does reading nothing for
    // stalled_client_seconds while answers wait.
    std::size_t max_outgoing_bytes = 16 * 1024 * 1024;
    std::size_t stalled_client_seconds = 120;
    // A tool's question to its client (elicitation, sampling, roots; 2025 revisions, where
    // the server waits for the answer) fails after this long, and at most this many may
    // wait per session (more fail at once): a client that never answers holds nothing.
    std::size_t client_request_seconds = 600;
    std::size_t max_client_requests = 16;
    // Check every successful tool result against its tool's outputSchema and report a
    // mismatch as the plugin's internal error. Off by default: the check walks the whole
    // result on every call, and the shipped plugins' results are checked by the test
    // suite, which turns it on (tests/support/mcp_client.cpp write_config).
    bool validate_tool_results = false;
    // MCP tasks (2026-07-28 tasks extension; host/src/mcp/tasks): at most this many kept per
    // server (running or finished, until they expire), at most max_tasks_per_principal of
    // them per principal; each kept task_ttl_seconds after its creation (ttlMs), a task
    // still running then is cancelled. A full store turns an `optional` tool's call into
    // a synchronous one and refuses a `required` tool's call (-31000).
    std::size_t max_tasks = 64;
    std::size_t max_tasks_per_principal = 32;
    std::size_t task_ttl_seconds = 3600;
    HttpConfig http;
    std::vector<PluginConfig> plugins;
};

// Parses and validates a config file. Relative paths (plugin_dirs, plugins[].path) are
// resolved against the file's directory; log.file against data_dir.
HostConfig load_config(const std::filesystem::path& file);
HostConfig parse_config(const std::string& yaml_text, const std::filesystem::path& source);

// The config file to use: `explicit_path` (--config), else $SCHEDCP_CONFIG, else the
// default beside the executable (<exe>/../etc/schedcp/schedcp.yaml, then
// <exe>/../config/schedcp.yaml). Throws ConfigError when none exists.
std::filesystem::path resolve_config_path(const std::optional<std::filesystem::path>& explicit_path,
                                          const std::filesystem::path& exe_dir);

std::filesystem::path default_data_dir();

}  // namespace schedcp::host
