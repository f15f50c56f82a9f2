// A server under measurement: spawned from an argv (never a shell) with stdin and stdout
// on pipes. Every write and read has a deadline, so a server that hangs fails the
// benchmark with a message instead of hanging it. Its stderr is drained on a thread (the
// last few KiB are kept for failure messages). The destructor closes stdin, gives the
// server a moment to exit on EOF, then kills and reaps it.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "schedcp/sdk/process.hpp"

namespace schedcp::bench {

class ServerProcess {
  public:
    // `label` names the server in messages. Throws std::runtime_error when it cannot start.
    ServerProcess(std::string label, const std::vector<std::string>& argv,
                  std::chrono::milliseconds timeout,
                  std::optional<std::filesystem::path> cwd = std::nullopt);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    // Writes all of `bytes`; throws when the server takes no input for `timeout`.
    void send(std::string_view bytes);
    // The next line of stdout, without its newline; valid until the next call. Throws on
    // end of file or when no complete line arrives within `timeout`.
    std::string_view read_line();

    const std::string& label() const { return label_; }
    pid_t pid() const { return child_.pid(); }
    // VmRSS from /proc/PID/status, in KiB.
    long rss_kib() const;
    // The end of what the server wrote on stderr so far.
    std::string stderr_tail() const;

  private:
    [[noreturn]] void fail(const std::string& what) const;
    void drain_stderr();

    std::string label_;
    std::chrono::milliseconds timeout_;
    sdk::process::Child child_;
    int in_ = -1;
    int out_ = -1;
    int err_ = -1;
    std::string buffer_;        // bytes read from stdout and not yet returned
    std::size_t consumed_ = 0;  // buffer_[0, consumed_) was returned already
    std::size_t scanned_ = 0;   // buffer_[consumed_, scanned_) holds no newline
    mutable std::mutex err_mutex_;
    std::string err_tail_;
    std::atomic<bool> stopping_{false};
    std::thread err_thread_;
};

}  // namespace schedcp::bench
