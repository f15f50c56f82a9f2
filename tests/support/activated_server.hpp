// Test support: socket activation without systemd. `schedcp --http systemd` started the way
// systemd starts a socket-activated service (sd_listen_fds(3)): listening sockets made here
// become its descriptors 3, 4, ..., with LISTEN_FDS, LISTEN_PID (the child's own pid, set
// between fork and exec) and LISTEN_FDNAMES in its environment. And an HTTP/1.1 exchange
// over a unix socket, as `curl --unix-socket` has it.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http_client.hpp"

namespace schedcp::test {

// A listening TCP socket on 127.0.0.1, any free port.
struct TcpListener {
    int fd = -1;
    int port = 0;
};
TcpListener listen_loopback_tcp();
// A listening unix socket at `path`.
int listen_unix(const std::string& path);

class ActivatedServer {
  public:
    // Runs `schedcp --config CONFIG --http systemd` with `fds` as descriptors 3... (closed
    // here once passed). `listen_pid_offset` != 0 makes LISTEN_PID name another process.
    ActivatedServer(const std::string& config, const std::vector<int>& fds,
                    const std::string& stderr_file, int listen_pid_offset = 0);
    ~ActivatedServer();
    ActivatedServer(const ActivatedServer&) = delete;
    ActivatedServer& operator=(const ActivatedServer&) = delete;

    // Waits until stderr has `n` "listening on" lines (true), or the process exits (false).
    bool wait_listening(std::size_t n);
    // Exit status once it exits (WEXITSTATUS or 128+signal), nullopt after 20 s.
    std::optional<int> wait_exit();
    void signal(int sig);
    std::string stderr_text() const;
    pid_t pid() const { return pid_; }

  private:
    pid_t pid_ = -1;
    std::string stderr_file_;
    std::optional<int> status_;
};

// One request over a fresh connection to the unix socket at `path` (Connection: close),
// with Host: localhost as curl --unix-socket sends it unless `headers` say otherwise.
HttpResponse unix_http_request(const std::string& path, const std::string& method,
                               const std::string& target, const std::string& body,
                               const std::map<std::string, std::string>& headers = {});

}  // namespace schedcp::test
