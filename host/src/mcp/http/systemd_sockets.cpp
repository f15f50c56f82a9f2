#include "systemd_sockets.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <optional>

namespace schedcp::host::mcp::http {

namespace {

std::optional<long> number(const char* text) {
    if (!text || !*text) return std::nullopt;
    long value = 0;
    const char* end = text + std::strlen(text);
    auto [p, ec] = std::from_chars(text, end, value);
    if (ec != std::errc() || p != end) return std::nullopt;
    return value;
}

std::vector<std::string> split_names(const char* text) {
    std::vector<std::string> out;
    if (!text) return out;
    std::string s(text);
    std::size_t start = 0;
    for (;;) {
        auto colon = s.find(':', start);
        out.push_back(s.substr(start, colon - start));
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    return out;
}

int socket_option(int fd, int option) {
    int value = 0;
    socklen_t len = sizeof value;
    if (::getsockopt(fd, SOL_SOCKET, option, &value, &len) != 0) return -1;
    return value;
}

}  // namespace

std::variant<InheritedSockets, std::string> take_systemd_sockets() {
    const auto pid = number(std::getenv("LISTEN_PID"));
    const auto count = number(std::getenv("LISTEN_FDS"));
    const char* names_text = std::getenv("LISTEN_FDNAMES");
    std::vector<std::string> names = split_names(names_text);
    ::unsetenv("LISTEN_PID");
    ::unsetenv("LISTEN_FDS");
    ::unsetenv("LISTEN_FDNAMES");
    if (!count)
        return std::string(
            "no sockets from systemd (LISTEN_FDS is not set): start schedcp-http.socket, or "
            "give --http ADDRESS:PORT");
    if (!pid || *pid != ::getpid())
        return "LISTEN_PID does not name this process (" + std::to_string(::getpid()) +
               "): the sockets are another process's";
    if (*count < 1 || *count > 64)
        return "LISTEN_FDS=" + std::to_string(*count) + ": expected 1 to 64 sockets";
    if (!names.empty() && names.size() != static_cast<std::size_t>(*count))
        return "LISTEN_FDNAMES names " + std::to_string(names.size()) + " sockets, LISTEN_FDS " +
               std::to_string(*count);
    InheritedSockets out;
    for (int fd = kSystemdFirstFd; fd < kSystemdFirstFd + *count; ++fd) {
        const std::string which = "descriptor " + std::to_string(fd);
        if (::fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
            return which + " from systemd: " + std::strerror(errno);
        if (socket_option(fd, SO_TYPE) != SOCK_STREAM)
            return which + " from systemd is not a stream socket (ListenStream= is needed)";
        if (socket_option(fd, SO_ACCEPTCONN) != 1)
            return which +
                   " from systemd is not listening (Accept=yes passes connections; use "
                   "Accept=no)";
        sockaddr_storage addr{};
        socklen_t len = sizeof addr;
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
            return which + " from systemd: " + std::strerror(errno);
        if (addr.ss_family != AF_INET && addr.ss_family != AF_INET6 && addr.ss_family != AF_UNIX)
            return which + " from systemd is neither TCP nor a unix socket";
        out.fds.push_back(fd);
        out.names.push_back(names.empty() ? std::string() : names[fd - kSystemdFirstFd]);
    }
    return out;
}

std::vector<Acceptor> adopt_sockets(boost::asio::io_context& io, const InheritedSockets& sockets) {
    std::vector<Acceptor> out;
    for (int fd : sockets.fds) {
        sockaddr_storage addr{};
        socklen_t len = sizeof addr;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
        const int protocol = addr.ss_family == AF_UNIX ? 0 : IPPROTO_TCP;
        Acceptor a(io);
        a.assign(StreamProtocol(addr.ss_family, protocol), fd);
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace schedcp::host::mcp::http
