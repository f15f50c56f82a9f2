#include "keepalive_http.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace schedcp::test {

namespace {
// Longer than any answer takes on a loaded machine; a hung server fails the caller.
constexpr int kReadTimeoutMs = 60000;

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
}  // namespace

std::string KeepAliveAnswer::header(const std::string& name) const {
    const std::string needle = "\r\n" + lower(name) + ":";
    const std::string lowered = lower(head);
    auto at = lowered.find(needle);
    if (at == std::string::npos) return {};
    auto start = head.find_first_not_of(' ', at + needle.size());
    auto end = head.find("\r\n", start);
    return head.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

KeepAliveHttp::KeepAliveHttp(int port) : port_(port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        const std::string why = std::strerror(errno);
        if (fd_ >= 0) ::close(fd_);
        throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port) + ": " +
                                 why);
    }
    // Requests are written whole; don't let Nagle hold one back behind the previous answer.
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

KeepAliveHttp::~KeepAliveHttp() {
    ::close(fd_);
}

KeepAliveAnswer KeepAliveHttp::post(const std::string& body, const std::string& session) {
    std::string request = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                          "\r\nContent-Type: application/json\r\n"
                          "Accept: application/json, text/event-stream\r\n";
    if (!session.empty()) request += "Mcp-Session-Id: " + session + "\r\n";
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return exchange(request);
}

KeepAliveAnswer KeepAliveHttp::end_session(const std::string& session) {
    return exchange("DELETE /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                    "\r\nMcp-Session-Id: " + session + "\r\nContent-Length: 0\r\n\r\n");
}

bool KeepAliveHttp::fill() {
    pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, kReadTimeoutMs) <= 0) return false;
    char chunk[16384];
    auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
}

KeepAliveAnswer KeepAliveHttp::exchange(const std::string& request) {
    for (std::size_t sent = 0; sent < request.size();) {
        auto n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return {};
        sent += static_cast<std::size_t>(n);
    }
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
        if (!fill()) return {};
    KeepAliveAnswer answer;
    answer.head = buffer_.substr(0, end);
    if (answer.head.size() < 12) return {};
    const std::string length = answer.header("Content-Length");
    if (length.empty()) return {};
    const std::size_t body_size = std::stoul(length);
    while (buffer_.size() < end + 4 + body_size)
        if (!fill()) return {};
    answer.status = std::stoi(answer.head.substr(9, 3));
    answer.body = buffer_.substr(end + 4, body_size);
    buffer_.erase(0, end + 4 + body_size);
    return answer;
}

}  // namespace schedcp::test
