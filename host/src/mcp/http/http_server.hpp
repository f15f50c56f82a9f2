// The MCP server on Streamable HTTP (docs/http-transport.md): one endpoint (server.http.path,
// /mcp) that serves both protocol eras with the same McpSession code stdio uses.
//
//  - 2025 era: POST `initialize` opens a session, named by the Mcp-Session-Id header the
//    answer carries; every later POST names it. A POSTed request is answered with one JSON
//    body when its response is the first thing the session has for it, else with an SSE
//    stream (progress, log records, then the response). GET opens the session's standalone
//    SSE stream (messages that belong to no request); DELETE ends the session.
//  - 2026-07-28: a POST whose request carries the `_meta` envelope and names no session is
//    served by a session made for it alone (stateless); its headers must agree with its
//    body; JSON-RPC errors get the HTTP status the revision gives them.
//
// GET /healthz answers "ok" before any check (health_endpoint.hpp).
//
// Bounded whatever clients do: Host/Origin checked first (403), bodies over
// server.max_message_bytes refused unread (413), at most max_connections connections (more
// are closed at once) and max_sessions sessions, a connection idle for idle_seconds (also
// while it sends a request) is closed, a session unused for session_idle_seconds is ended,
// a stream whose client leaves more than server.max_outgoing_bytes unread, or reads nothing
// for server.stalled_client_seconds, is cut off.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "../../host.hpp"
#include "listen_address.hpp"
#include "listeners.hpp"

namespace schedcp::host::mcp::http {

class HttpServer {
  public:
    HttpServer(Host& host, ListenAddress where);
    // Serves sockets already listening (socket activation, systemd_sockets.hpp): TCP or
    // AF_UNIX, several at once, all sharing one set of sessions and limits.
    HttpServer(Host& host, std::vector<Acceptor> inherited);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and starts accepting; returns immediately (the host's io_context then runs the
    // server until a signal arrives). Throws std::runtime_error when it cannot listen.
    void start();
    // The address listened on (the real port when 0 was asked for); valid after start().
    ListenAddress bound() const;
    // Where it listens, one entry per socket ("http://127.0.0.1:8765", "unix:/run/x.sock").
    std::vector<std::string> listeners() const;

    struct State;

  private:
    std::shared_ptr<State> state_;
};

}  // namespace schedcp::host::mcp::http
