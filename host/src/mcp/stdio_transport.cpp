#include "stdio_transport.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include <boost/asio/post.hpp>

namespace schedcp::host::mcp {

StdioTransport::StdioTransport(boost::asio::any_io_executor ex, int in_fd, int out_fd,
                               std::size_t max_line, Handlers handlers)
    : ex_(std::move(ex)),
      in_fd_(in_fd),
      out_fd_(out_fd),
      max_line_(max_line),
      handlers_(std::move(handlers)) {}

StdioTransport::~StdioTransport() {
    stop();
}

void StdioTransport::start() {
    reader_ = std::thread([this] { read_loop(); });
    writer_ = std::thread([this] { write_loop(); });
}

void StdioTransport::read_loop() {
    std::string line;
    bool discarding = false;  // inside an over-long line: skip to its newline
    std::size_t dropped = 0;
    char buf[64 * 1024];
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
        }
        // poll() with a timeout so stop() is noticed even if stdin never delivers.
        pollfd pfd{in_fd_, POLLIN, 0};
        int pr = ::poll(&pfd, 1, 200);
        if (pr < 0 && errno != EINTR) break;
        if (pr <= 0) continue;
        ssize_t n = ::read(in_fd_, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            break;
        }
        if (n == 0) break;
        std::size_t start = 0;
        for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
            if (buf[i] != '\n') continue;
            if (discarding) {
                dropped += i - start;
                boost::asio::post(ex_, [h = handlers_.on_oversize, dropped] { h(dropped); });
                discarding = false;
                dropped = 0;
            } else {
                line.append(buf + start, i - start);
                boost::asio::post(ex_, [h = handlers_.on_line, l = std::move(line)]() mutable {
                    h(std::move(l));
                });
                line.clear();
            }
            start = i + 1;
        }
        std::size_t rest = static_cast<std::size_t>(n) - start;
        if (discarding) {
            dropped += rest;
        } else if (line.size() + rest > max_line_) {
            discarding = true;
            dropped = line.size() + rest;
            line.clear();
            line.shrink_to_fit();
        } else {
            line.append(buf + start, rest);
        }
    }
    // A last line without a newline is still a message.
    if (!discarding && !line.empty())
        boost::asio::post(
            ex_, [h = handlers_.on_line, l = std::move(line)]() mutable { h(std::move(l)); });
    if (discarding) boost::asio::post(ex_, [h = handlers_.on_oversize, dropped] { h(dropped); });
    boost::asio::post(ex_, handlers_.on_eof);
}

void StdioTransport::write_loop() {
    while (true) {
        std::string msg;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping and drained
            msg = std::move(queue_.front());
            queue_.pop_front();
            writing_ = true;
        }
        msg.push_back('\n');
        const char* p = msg.data();
        std::size_t left = msg.size();
        bool failed = false;
        while (left > 0) {
            ssize_t n = ::write(out_fd_, p, left);
            if (n < 0) {
                if (errno == EINTR) continue;
                failed = true;
                break;
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        std::unique_lock lock(mutex_);
        writing_ = false;
        if (failed) {
            write_failed_ = true;
            queue_.clear();
            cv_.notify_all();
            lock.unlock();
            boost::asio::post(ex_, handlers_.on_write_error);
            // Keep draining (and discarding) until stop().
            std::unique_lock l2(mutex_);
            cv_.wait(l2, [&] { return stopping_; });
            return;
        }
        cv_.notify_all();
    }
}

void StdioTransport::send(std::string line) {
    std::lock_guard lock(mutex_);
    if (stopping_ || write_failed_) return;
    queue_.push_back(std::move(line));
    cv_.notify_all();
}

void StdioTransport::flush() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return write_failed_ || (queue_.empty() && !writing_); });
}

void StdioTransport::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !reader_.joinable() && !writer_.joinable()) return;
        stopping_ = true;
        cv_.notify_all();
    }
    if (reader_.joinable()) reader_.join();
    if (writer_.joinable()) writer_.join();
}

}  // namespace schedcp::host::mcp
