// The sockets the HTTP transport accepts on: a TCP address it binds itself (--http
// ADDRESS:PORT), or listening sockets systemd passes it (--http systemd; TCP or AF_UNIX,
// systemd_sockets.hpp). Both are held as asio's generic stream protocol, so one acceptor
// and one connection type serve every address family.
#pragma once

#include <string>

#include <boost/asio/basic_socket_acceptor.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>

#include "listen_address.hpp"

namespace schedcp::host::mcp::http {

using StreamProtocol = boost::asio::generic::stream_protocol;
using Acceptor = boost::asio::basic_socket_acceptor<StreamProtocol>;

// Binds and listens on `where`; sets where.port to the real port (0 asks for any).
// Throws std::runtime_error naming the address when it cannot.
Acceptor listen_tcp(boost::asio::io_context& io, ListenAddress& where);

// "http://127.0.0.1:8765", "http://[::1]:8765" or "unix:/run/schedcp/http.sock": where the
// acceptor listens, as the start-up line and the log say it.
std::string describe_listener(const Acceptor& acceptor);

// Whether a client of this acceptor is on this machine: a loopback TCP address, or a unix
// socket (its file's permissions say who may connect).
bool local_only(const Acceptor& acceptor);

}  // namespace schedcp::host::mcp::http
