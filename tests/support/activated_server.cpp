#include "activated_server.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "subprocess.hpp"

namespace schedcp::test {

TcpListener listen_loopback_tcp() {
    TcpListener out;
    out.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (out.fd < 0 || ::bind(out.fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(out.fd, 128) != 0 ||
        ::getsockname(out.fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw std::runtime_error(std::string("cannot listen on 127.0.0.1: ") +
                                 std::strerror(errno));
    out.port = ntohs(addr.sin_port);
    return out;
}

namespace {
sockaddr_un unix_address(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) throw std::runtime_error("socket path too long");
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    return addr;
}
}  // namespace

int listen_unix(const std::string& path) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto addr = unix_address(path);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd, 128) != 0)
        throw std::runtime_error("cannot listen on " + path + ": " + std::strerror(errno));
    return fd;
}

ActivatedServer::ActivatedServer(const std::string& config, const std::vector<int>& fds,
                                 const std::string& stderr_file, int listen_pid_offset)
    : stderr_file_(stderr_file) {
    const std::string program = bin("schedcp");
    const int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (err < 0) throw std::runtime_error("cannot create " + stderr_file);
    // Everything the child needs is built here: between fork and exec only async-signal-safe
    // calls (the test process may have threads).
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "LISTEN_", 7) != 0) env_strings.emplace_back(*e);
    env_strings.push_back("LISTEN_FDS=" + std::to_string(fds.size()));
    std::string names = "LISTEN_FDNAMES=";
    for (std::size_t i = 0; i < fds.size(); ++i) names += (i ? ":l" : "l") + std::to_string(i);
    env_strings.push_back(names);
    char listen_pid[32] = "LISTEN_PID=";
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(listen_pid);
    envp.push_back(nullptr);
    const std::string config_arg = config;
    std::vector<const char*> argv{program.c_str(), "--config", config_arg.c_str(),
                                  "--http",        "systemd",  nullptr};
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        // Out of the way first (a source may already be 3 or 4), then into place.
        int high[16];
        const std::size_t n = std::min<std::size_t>(fds.size(), 16);
        for (std::size_t i = 0; i < n; ++i) high[i] = ::fcntl(fds[i], F_DUPFD, 100);
        for (std::size_t i = 0; i < n; ++i) ::dup2(high[i], 3 + static_cast<int>(i));
        ::dup2(err, STDERR_FILENO);
        const int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(devnull, STDIN_FILENO);
        ::dup2(devnull, STDOUT_FILENO);
        // LISTEN_PID: this process's pid (+ offset), written without the allocator.
        long v = static_cast<long>(::getpid()) + listen_pid_offset;
        char digits[24];
        int d = 0;
        do {
            digits[d++] = static_cast<char>('0' + v % 10);
            v /= 10;
        } while (v > 0);
        char* out = listen_pid + std::strlen("LISTEN_PID=");
        while (d > 0) *out++ = digits[--d];
        *out = '\0';
        ::execve(program.c_str(), const_cast<char* const*>(argv.data()), envp.data());
        ::_exit(127);
    }
    ::close(err);
    for (int fd : fds) ::close(fd);
}

ActivatedServer::~ActivatedServer() {
    if (!status_) {
        ::kill(pid_, SIGKILL);
        int st = 0;
        ::waitpid(pid_, &st, 0);
    }
}

std::string ActivatedServer::stderr_text() const {
    return slurp(stderr_file_);
}

bool ActivatedServer::wait_listening(std::size_t n) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < until) {
        const std::string text = stderr_text();
        std::size_t found = 0;
        for (auto at = text.find("listening on "); at != std::string::npos;
             at = text.find("listening on ", at + 1))
            ++found;
        if (found >= n) return true;
        int st = 0;
        if (::waitpid(pid_, &st, WNOHANG) == pid_) {
            status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

std::optional<int> ActivatedServer::wait_exit() {
    if (status_) return status_;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < until) {
        int st = 0;
        if (::waitpid(pid_, &st, WNOHANG) == pid_) {
            status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            return status_;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
}

void ActivatedServer::signal(int sig) {
    ::kill(pid_, sig);
}

HttpResponse unix_http_request(const std::string& path, const std::string& method,
                               const std::string& target, const std::string& body,
                               const std::map<std::string, std::string>& headers) {
    const std::string request = close_request(method, target, "localhost", body, headers);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto addr = unix_address(path);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        const std::string why = std::strerror(errno);
        if (fd >= 0) ::close(fd);
        throw std::runtime_error("cannot connect to " + path + ": " + why);
    }
    std::size_t sent = 0;
    while (sent < request.size()) {
        auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
    }
    std::string raw;
    char buf[65536];
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < until) {
        pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        raw.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    auto parsed = parse_response(raw);
    if (!parsed) throw std::runtime_error("incomplete HTTP response over " + path + ": " + raw);
    return *parsed;
}

}  // namespace schedcp::test
