#include "listeners.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <stdexcept>

#include <boost/asio/ip/tcp.hpp>

namespace schedcp::host::mcp::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// The acceptor's address as a TCP endpoint, for AF_INET/AF_INET6 acceptors.
tcp::endpoint tcp_endpoint_of(const StreamProtocol::endpoint& ep) {
    tcp::endpoint out;
    std::memcpy(out.data(), ep.data(), std::min<std::size_t>(ep.size(), out.capacity()));
    out.resize(std::min<std::size_t>(ep.size(), out.capacity()));
    return out;
}

}  // namespace

Acceptor listen_tcp(net::io_context& io, ListenAddress& where) {
    const tcp::endpoint ep(where.address, where.port);
    // Bound as TCP (port lookup and options read naturally), then held generically.
    tcp::acceptor bound(io);
    boost::system::error_code ec;
    bound.open(ep.protocol(), ec);
    if (!ec) bound.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) bound.bind(ep, ec);
    if (!ec) bound.listen(net::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + where.text() + ": " + ec.message());
    where.port = bound.local_endpoint().port();
    const int family = ep.protocol().family();
    Acceptor acceptor(io);
    acceptor.assign(StreamProtocol(family, IPPROTO_TCP), bound.release());
    return acceptor;
}

std::string describe_listener(const Acceptor& acceptor) {
    boost::system::error_code ec;
    const auto ep = acceptor.local_endpoint(ec);
    if (ec) return "(closed socket)";
    if (ep.protocol().family() == AF_UNIX) {
        const auto* un = reinterpret_cast<const sockaddr_un*>(ep.data());
        const std::size_t len = ep.size() - offsetof(sockaddr_un, sun_path);
        if (len == 0) return "unix:(unnamed)";
        if (un->sun_path[0] == '\0')  // abstract: systemd's ListenStream=@name
            return "unix:@" + std::string(un->sun_path + 1, len - 1);
        return "unix:" + std::string(un->sun_path, strnlen(un->sun_path, len));
    }
    const auto t = tcp_endpoint_of(ep);
    const auto a = t.address();
    return "http://" + ListenAddress{.address = a, .port = t.port()}.text();
}

bool local_only(const Acceptor& acceptor) {
    boost::system::error_code ec;
    const auto ep = acceptor.local_endpoint(ec);
    if (ec) return false;
    if (ep.protocol().family() == AF_UNIX) return true;
    return tcp_endpoint_of(ep).address().is_loopback();
}

}  // namespace schedcp::host::mcp::http
