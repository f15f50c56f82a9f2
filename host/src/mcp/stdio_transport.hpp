// Newline-delimited message transport over the process's stdin/stdout.
//
// Reading and writing use one thread each, doing plain blocking read(2)/write(2):
// Asio's stream_descriptor cannot wait on a regular file (stdin redirected from a file
// fails with EPERM under epoll), and a client that stops reading stdout must not stall
// the event loop. Complete lines are posted to the event loop; a line longer than the
// limit is dropped up to its newline and reported once, without buffering it.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <boost/asio/any_io_executor.hpp>

namespace schedcp::host::mcp {

class StdioTransport {
  public:
    struct Handlers {
        std::function<void(std::string line)> on_line;
        std::function<void(std::size_t dropped_bytes)> on_oversize;
        std::function<void()> on_eof;          // stdin closed or failed
        std::function<void()> on_write_error;  // stdout closed (client gone)
    };

    // `in_fd`/`out_fd` are owned by the caller and must stay open until stop().
    StdioTransport(boost::asio::any_io_executor ex, int in_fd, int out_fd, std::size_t max_line,
                   Handlers handlers);
    ~StdioTransport();

    void start();
    // Queues one message (without its newline); thread-safe.
    void send(std::string line);
    // Waits until everything queued has been written (or writing failed).
    void flush();
    void stop();

  private:
    void read_loop();
    void write_loop();

    boost::asio::any_io_executor ex_;
    int in_fd_;
    int out_fd_;
    std::size_t max_line_;
    Handlers handlers_;
    std::thread reader_;
    std::thread writer_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::string> queue_;
    bool writing_ = false;
    bool stopping_ = false;
    bool write_failed_ = false;
};

}  // namespace schedcp::host::mcp
