// Socket activation: the listening sockets systemd hands a service (schedcp-http.socket ->
// schedcp-http.service, `schedcp --http systemd`), by sd_listen_fds(3)'s protocol:
// LISTEN_PID names this process, LISTEN_FDS counts the sockets, which are descriptors 3,
// 4, ...; LISTEN_FDNAMES (colon-separated) names them. Written here rather than linking
// libsystemd: the protocol is these three variables, and the container image and hosts
// without systemd (the DaemonSet) then need no libsystemd0 for a feature they never use.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "listeners.hpp"

namespace schedcp::host::mcp::http {

// The first descriptor systemd passes (SD_LISTEN_FDS_START).
constexpr int kSystemdFirstFd = 3;

struct InheritedSockets {
    std::vector<int> fds;            // each a listening SOCK_STREAM socket, now close-on-exec
    std::vector<std::string> names;  // LISTEN_FDNAMES, one per fd ("" when not given)
};

// Takes the sockets passed to this process, or says why there are none usable. Like
// sd_listen_fds(1), it unsets LISTEN_PID/LISTEN_FDS/LISTEN_FDNAMES (children such as
// schedulers must not think the sockets are theirs) and marks the descriptors
// close-on-exec. Every descriptor must be a listening stream socket (TCP or AF_UNIX): a
// datagram or a connected socket (Accept=yes) is refused with its number.
std::variant<InheritedSockets, std::string> take_systemd_sockets();

// Wraps the descriptors in acceptors on `io` (which then own them).
std::vector<Acceptor> adopt_sockets(boost::asio::io_context& io, const InheritedSockets& sockets);

}  // namespace schedcp::host::mcp::http
