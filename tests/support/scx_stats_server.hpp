// A server for tests that follows rust/scx_stats' framing on a UNIX socket: one JSON
// request per line in, one JSON answer per line out.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "subprocess.hpp"

namespace schedcp::test {

// Listens on <dir>/stats; answers each connection's request lines with `answer(line)`
// (nullopt: say nothing and keep the connection open until the client goes).
class StatsServer {
  public:
    using Answer = std::function<std::optional<std::string>(const boost::json::object& request)>;
    StatsServer(const TempDir& dir, Answer answer)
        : path_(dir.file("stats")), answer_(std::move(answer)) {
        listen_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
        BOOST_REQUIRE(::bind(listen_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        BOOST_REQUIRE(::listen(listen_, 4) == 0);
        thread_ = std::thread([this] { serve(); });
    }
    ~StatsServer() {
        stop_ = true;
        thread_.join();
        ::close(listen_);
    }
    const std::string& path() const { return path_; }
    std::vector<std::string> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }

  private:
    bool readable(int fd) {
        while (!stop_) {
            pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
            if (::poll(&p, 1, 20) > 0) return true;
        }
        return false;
    }
    void serve() {
        while (readable(listen_)) {
            int c = ::accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) continue;
            std::string buf;
            char chunk[4096];
            while (readable(c)) {
                ssize_t n = ::read(c, chunk, sizeof chunk);
                if (n <= 0) break;
                buf.append(chunk, static_cast<std::size_t>(n));
                for (auto nl = buf.find('\n'); nl != std::string::npos; nl = buf.find('\n')) {
                    std::string line = buf.substr(0, nl);
                    buf.erase(0, nl + 1);
                    {
                        std::lock_guard lock(mutex_);
                        requests_.push_back(line);
                    }
                    if (auto a = answer_(boost::json::parse(line).as_object()))
                        (void)!::send(c, a->data(), a->size(), MSG_NOSIGNAL);
                }
            }
            ::close(c);
        }
    }
    std::string path_;
    Answer answer_;
    int listen_ = -1;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    mutable std::mutex mutex_;  // requests_ is read by the test while the server runs
    std::vector<std::string> requests_;
};

}  // namespace schedcp::test
