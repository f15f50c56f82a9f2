#include "schedcp/sdk/scx_stats.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace schedcp::sdk::scx_stats {

namespace bj = boost::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

bj::object unavailable(std::string why) {
    return bj::object{{"available", false}, {"reason", std::move(why)}};
}

// Closes the socket however request() returns.
struct CloseFd {
    void operator()(const int* fd) const { ::close(*fd); }
};

// Waits until `fd` is ready for `events` or the deadline passes.
bool wait_ready(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return false;
        pollfd p{.fd = fd, .events = events, .revents = 0};
        const int n = ::poll(&p, 1, static_cast<int>(left));
        if (n > 0) return true;
        if (n < 0 && errno != EINTR) return false;
    }
}

std::string connect_error(const fs::path& socket, int err) {
    switch (err) {
        case ENOENT:
            return "no scx_stats socket at " + socket.string() +
                   " (no scheduler publishes statistics there: scx's Rust schedulers do while "
                   "they run, the C ones never)";
        case ECONNREFUSED:
            return "nothing listens on " + socket.string() +
                   " (the scheduler that served statistics there has exited)";
        case EACCES:
        case EPERM:
            return "not permitted to connect to " + socket.string() + " (it needs root)";
        default:
            return "cannot connect to " + socket.string() + ": " + std::strerror(err);
    }
}

}  // namespace

bj::object request(const fs::path& socket, std::string_view req, const bj::object& args,
                   Limits limits) {
    const auto deadline = Clock::now() + limits.timeout;
    const std::string timed_out = "no answer from " + socket.string() + " within " +
                                  std::to_string(limits.timeout.count()) + " ms";
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (socket.string().size() >= sizeof addr.sun_path)
        return unavailable("the socket path " + socket.string() + " is too long");
    std::memcpy(addr.sun_path, socket.c_str(), socket.string().size());
    const int sock = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (sock < 0) return unavailable(std::string("socket: ") + std::strerror(errno));
    const std::unique_ptr<const int, CloseFd> closer(&sock);
    if (::connect(sock, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        if (errno != EINPROGRESS && errno != EAGAIN)
            return unavailable(connect_error(socket, errno));
        if (!wait_ready(sock, POLLOUT, deadline)) return unavailable(timed_out);
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(sock, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) return unavailable(connect_error(socket, err));
    }

    // scx_stats' args are a map of strings.
    bj::object string_args;
    for (const auto& [k, v] : args)
        string_args[k] = v.is_string() ? v.as_string() : bj::string(bj::serialize(v));
    const std::string line =
        bj::serialize(bj::object{{"req", req}, {"args", std::move(string_args)}}) + "\n";
    for (std::size_t sent = 0; sent < line.size();) {
        const ssize_t n = ::send(sock, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (!wait_ready(sock, POLLOUT, deadline)) return unavailable(timed_out);
        } else {
            return unavailable("cannot send to " + socket.string() + ": " + std::strerror(errno));
        }
    }

    std::string answer;
    char buf[8192];
    for (;;) {
        if (auto nl = answer.find('\n'); nl != std::string::npos) {
            answer.resize(nl);
            break;
        }
        if (answer.size() > limits.max_answer_bytes)
            return unavailable("the answer from " + socket.string() + " is longer than " +
                               std::to_string(limits.max_answer_bytes) + " bytes");
        const ssize_t n = ::recv(sock, buf, sizeof buf, 0);
        if (n > 0) {
            answer.append(buf, static_cast<std::size_t>(n));
        } else if (n == 0) {
            return unavailable(socket.string() + " closed the connection without an answer");
        } else if (errno == EAGAIN || errno == EINTR) {
            if (!wait_ready(sock, POLLIN, deadline)) return unavailable(timed_out);
        } else {
            return unavailable("cannot read from " + socket.string() + ": " + std::strerror(errno));
        }
    }
    if (answer.size() > limits.max_answer_bytes)
        return unavailable("the answer from " + socket.string() + " is longer than " +
                           std::to_string(limits.max_answer_bytes) + " bytes");

    boost::system::error_code ec;
    bj::value parsed = bj::parse(answer, ec);
    const auto* o = ec ? nullptr : parsed.if_object();
    const auto* err = o ? o->if_contains("errno") : nullptr;
    const auto* a = o ? o->if_contains("args") : nullptr;
    if (!err || !err->is_int64() || !a || !a->is_object())
        return unavailable("the answer from " + socket.string() +
                           " is not scx_stats' {\"errno\": N, \"args\": {...}}");
    const bj::value* resp = a->as_object().if_contains("resp");
    if (err->as_int64() != 0) {
        std::string text = resp && resp->is_string() ? std::string(resp->as_string()) : "";
        return unavailable("the scheduler refused '" + std::string(req) + "': errno " +
                           std::to_string(err->as_int64()) + " (" +
                           std::strerror(static_cast<int>(err->as_int64())) + ")" +
                           (text.empty() ? "" : ": " + text));
    }
    return bj::object{{"available", true}, {"resp", resp ? *resp : bj::value(nullptr)}};
}

bj::object read_stats(const fs::path& socket, std::string_view target, Limits limits) {
    auto r = request(socket, "stats", bj::object{{"target", target}}, limits);
    if (!r.at("available").as_bool()) return r;
    return bj::object{{"available", true}, {"stats", r.at("resp")}};
}

bj::object read_meta(const fs::path& socket, Limits limits) {
    auto r = request(socket, "stats_meta", bj::object{}, limits);
    if (!r.at("available").as_bool()) return r;
    return bj::object{{"available", true}, {"meta", r.at("resp")}};
}

}  // namespace schedcp::sdk::scx_stats
