#include "stdio_transport.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <boost/asio/post.hpp>

namespace schedcp::host::mcp {

namespace {

// How often blocked threads look at `stopping_`.
constexpr int kPollMs = 200;
// At most one pipe page per write(2) after POLLOUT: a pipe that reports POLLOUT has a free
// page, so such a write never blocks (a larger one would, until the client reads).
constexpr std::size_t kWriteChunk = 4096;
// Queued answers joined into one buffer for the writer, up to this many bytes.
constexpr std::size_t kJoinLimit = 64 * 1024;
// Bytes taken from stdin per read(2).
constexpr std::size_t kReadChunk = 64 * 1024;
// Lines answered at once that one turn of the event loop takes, at most: other work on the
// loop waits no longer than this many answers take.
constexpr int kLinesPerTurn = 32;

// A second, non-blocking open file description of the pipe (or, with `terminals`, the
// terminal) `fd` (opened through /proc/self/fd with `flags`), else -1 (another kind of
// file, no /proc). Reads and writes through it never block (a write takes what fits, a
// read what is there), so an answer goes in one write(2) instead of a poll(2) and a
// write(2) per page, and a read needs no poll(2) first; `fd`'s own description, shared
// with whoever started us, stays as it is.
int nonblocking_description(int fd, int flags, bool terminals = false) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !(S_ISFIFO(st.st_mode) || (terminals && S_ISCHR(st.st_mode))))
        return -1;
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    const int out = ::open(path.c_str(), flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (out < 0) return -1;
    struct stat again {};
    if (::fstat(out, &again) != 0 || again.st_ino != st.st_ino || again.st_dev != st.st_dev) {
        ::close(out);
        return -1;
    }
    return out;
}

// A duplicate of `fd` when epoll can wait on it (pipes, sockets, terminals; not regular
// files or /dev/null), else -1. A duplicate because the event loop's descriptor object
// closes what it holds, and stdin stays the caller's.
int pollable_duplicate(int fd) {
    const int probe = ::epoll_create1(EPOLL_CLOEXEC);
    if (probe < 0) return -1;
    epoll_event ev{};
    ev.events = EPOLLIN;
    const bool pollable = ::epoll_ctl(probe, EPOLL_CTL_ADD, fd, &ev) == 0;
    ::close(probe);
    return pollable ? ::fcntl(fd, F_DUPFD_CLOEXEC, 3) : -1;
}

}  // namespace

StdioTransport::StdioTransport(boost::asio::any_io_executor ex, int in_fd, int out_fd,
                               Limits limits, Handlers handlers)
    : ex_(std::move(ex)),
      in_fd_(in_fd),
      out_fd_(out_fd),
      nonblocking_out_(nonblocking_description(out_fd, O_WRONLY)),
      limits_(limits),
      handlers_(std::move(handlers)),
      splitter_(limits.max_line) {}

StdioTransport::~StdioTransport() {
    stop();
    if (nonblocking_out_ >= 0) ::close(nonblocking_out_);
}

void StdioTransport::start() {
    if (int fd = pollable_duplicate(in_fd_); fd >= 0) {
        // Asio makes the descriptor it waits on non-blocking (FIONBIO), for every holder of
        // its open file description: it gets one of our own when stdin is a pipe or a
        // terminal; for a socket, stdin's flags are put back at stop().
        nonblocking_in_ = nonblocking_description(in_fd_, O_RDONLY, true);
        if (nonblocking_in_ >= 0) {
            ::close(fd);
            fd = nonblocking_in_;
        } else {
            in_flags_ = ::fcntl(in_fd_, F_GETFL);
        }
        input_.emplace(ex_, fd);
        read_buf_ = std::make_unique_for_overwrite<char[]>(kReadChunk);  // read() fills it
        input_readable_ = true;  // unknown: the first read tells (or waits)
        std::lock_guard lock(mutex_);
        schedule_drain();  // the first drain reads
    } else {
        reader_ = std::thread([this] { read_loop(); });
        ::pthread_setname_np(reader_.native_handle(), kReaderThreadName);
    }
    writer_ = std::thread([this] { write_loop(); });
    ::pthread_setname_np(writer_.native_handle(), kWriterThreadName);
}

// ------------------------------------------------------------------------- input

void StdioTransport::push_inbound(InboundLine item) {
    std::unique_lock lock(mutex_);
    // A full inbound queue stops the reader: the client's writes block, nothing grows.
    room_cv_.wait(lock, [&] {
        return stopping_ || disconnected_ ||
               (inbound_.size() < limits_.max_inbound_lines && inbound_bytes_ < limits_.max_line);
    });
    if (stopping_ || disconnected_) return;
    inbound_bytes_ += item.line.size();
    inbound_.push_back(std::move(item));
    schedule_drain();
}

void StdioTransport::schedule_drain() {
    if (drain_scheduled_ || paused_ || disconnected_ || stopping_) return;
    // On the event loop an empty queue means: read (unless a wait for input is pending).
    const bool read_next = input_ && inbound_.empty() && !input_ended_ && !input_waiting_;
    if (inbound_.empty() && !(input_ended_ && !eof_delivered_) && !read_next) return;
    drain_scheduled_ = true;
    boost::asio::post(ex_, [this] { drain(); });
}

void StdioTransport::drain() {
    bool read_next = false;
    {
        std::lock_guard lock(mutex_);
        drain_scheduled_ = false;
        if (paused_ || disconnected_ || stopping_) return;
        read_next = input_ && inbound_.empty() && !input_ended_ && !input_waiting_;
    }
    if (read_next) read_on_loop();
    for (int taken = 0;; ++taken) {
        InboundLine item;
        bool eof = false;
        bool have_item = false;
        {
            std::unique_lock lock(mutex_);
            if (paused_ || disconnected_ || stopping_) {
                uncork(lock);
                return;
            }
            if (!inbound_.empty()) {
                item = std::move(inbound_.front());
                inbound_.pop_front();
                inbound_bytes_ -= std::min(inbound_bytes_, item.line.size());
                room_cv_.notify_all();
                have_item = true;
                // More lines are waiting: their answers may gather for one write.
                if (!inbound_.empty() && handlers_.line_settled && taken == 0) cork();
            } else {
                eof = input_ended_ && !eof_delivered_;
                eof_delivered_ = eof_delivered_ || eof;
            }
            if (!have_item) uncork(lock);
        }
        if (eof) {
            handlers_.on_eof();
            return;
        }
        if (!have_item) {
            // Nothing whole was read yet (part of a long line): read on, unless a wait for
            // stdin is pending, in which case it brings the next drain.
            std::lock_guard lock(mutex_);
            schedule_drain();
            return;
        }
        if (item.oversize > 0)
            handlers_.on_oversize(item.oversize);
        else
            handlers_.on_line(std::move(item.line));
        // A line that set something going (a coroutine, a cancellation, a task woken) ends
        // the turn: what it started runs (and queues its answer, which may pause serving)
        // before the next line is taken. A request answered at once, starting nothing,
        // lets the next line already read follow.
        const bool settled =
            item.oversize == 0 && handlers_.line_settled && handlers_.line_settled();
        std::unique_lock lock(mutex_);
        if (settled && taken + 1 < kLinesPerTurn && !inbound_.empty() && !paused_ &&
            !disconnected_ && !stopping_)
            continue;
        uncork(lock);
        // With no line left and no sign of more input, the wait for stdin starts here:
        // posting a drain only to start it would cost the event loop a turn (and an
        // epoll_wait(2)) per request.
        if (!input_readable_ && may_read_now()) {
            lock.unlock();
            wait_for_input();
            return;
        }
        schedule_drain();
        return;
    }
}

void StdioTransport::uncork(std::unique_lock<std::mutex>& lock) {
    if (!corked_) return;
    corked_ = false;
    if (queue_.empty() || writing_ || write_failed_ || disconnected_ || stopping_) {
        cv_.notify_all();
        return;
    }
    // What gathered leaves in one write(2) as far as stdout takes it; the writer gets the
    // rest, as after a direct write.
    std::string batch = take_queued();
    std::size_t written = 0;
    if (write_here(lock, batch, written) == WriteOutcome::failed) {
        fail_writes(true);
        return;
    }
    if (written < batch.size() && !stopping_ && !write_failed_ && !disconnected_) {
        batch.erase(0, written);
        queue_.push_front(std::move(batch));
    }
    cv_.notify_all();
}

bool StdioTransport::may_read_now() const {
    return input_ && inbound_.empty() && !input_ended_ && !input_waiting_ && !drain_scheduled_ &&
           !paused_ && !disconnected_ && !stopping_;
}

void StdioTransport::wait_for_input() {
    {
        std::lock_guard lock(mutex_);
        input_waiting_ = true;
    }
    // Asio re-arms the descriptor for this wait (EPOLL_CTL_MOD), and the kernel then
    // reports bytes already there at once: nothing that arrived since the last read is
    // missed although epoll is edge-triggered.
    input_->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                       [this](boost::system::error_code ec) {
                           if (ec == boost::asio::error::operation_aborted) return;
                           {
                               std::lock_guard lock(mutex_);
                               input_waiting_ = false;
                               input_readable_ = true;
                               // Straight to the read, without a turn of the loop for a
                               // posted drain; unless one is due anyway, or serving waits.
                               if (drain_scheduled_ || paused_ || disconnected_ || stopping_) {
                                   schedule_drain();
                                   return;
                               }
                               drain_scheduled_ = true;  // drain() expects it set
                           }
                           drain();
                       });
}

void StdioTransport::read_on_loop() {
    if (!input_readable_) {
        wait_for_input();
        return;
    }
    input_readable_ = false;  // until a read or a wait says otherwise
    int fd = nonblocking_in_;
    bool failed = false;
    if (fd < 0) {
        // Stdin's own, blocking description (a terminal, a socket): another reader may have
        // taken what the wait announced, and only a poll() that says readable makes the
        // read(2) safe.
        pollfd pfd{in_fd_, POLLIN, 0};
        const int pr = ::poll(&pfd, 1, 0);
        failed = (pr < 0 && errno != EINTR) || (pr > 0 && (pfd.revents & POLLNVAL));
        if (!failed && pr <= 0) {
            wait_for_input();
            return;
        }
        fd = in_fd_;
    }
    const ssize_t n = failed ? -1 : ::read(fd, read_buf_.get(), kReadChunk);
    if (n < 0 && errno == EINTR) {
        input_readable_ = true;  // the next drain tries again
        return;
    }
    if (n < 0 && errno == EAGAIN) {
        wait_for_input();
        return;
    }
    // A full buffer: more is probably there. A short read took all a pipe had, and the
    // next wait (which re-arms) reports what comes after.
    input_readable_ = n == static_cast<ssize_t>(kReadChunk);
    std::lock_guard lock(mutex_);
    auto keep = [this](InboundLine&& item) {
        inbound_bytes_ += item.line.size();
        inbound_.push_back(std::move(item));
    };
    if (n > 0) {
        splitter_.feed(read_buf_.get(), static_cast<std::size_t>(n), keep);
        return;
    }
    splitter_.finish(keep);  // end of input, or stdin failed
    input_ended_ = true;
}

void StdioTransport::read_loop() {
    auto push = [this](InboundLine&& item) { push_inbound(std::move(item)); };
    std::unique_ptr<char[]> buf = std::make_unique_for_overwrite<char[]>(kReadChunk);
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_ || disconnected_) return;
        }
        // poll() with a timeout so stop() is noticed even if stdin never delivers.
        pollfd pfd{in_fd_, POLLIN, 0};
        int pr = ::poll(&pfd, 1, kPollMs);
        if (pr < 0 && errno != EINTR) break;
        if (pr <= 0) continue;
        ssize_t n = ::read(in_fd_, buf.get(), kReadChunk);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            break;
        }
        if (n == 0) break;
        splitter_.feed(buf.get(), static_cast<std::size_t>(n), push);
    }
    splitter_.finish(push);
    std::lock_guard lock(mutex_);
    input_ended_ = true;
    schedule_drain();
}

// ------------------------------------------------------------------------ output

StdioTransport::WriteOutcome StdioTransport::write_all(const std::string& msg) {
    const char* p = msg.data();
    std::size_t left = msg.size();
    auto last_progress = std::chrono::steady_clock::now();
    while (left > 0) {
        pollfd pfd{out_fd_, POLLOUT, 0};
        int pr = ::poll(&pfd, 1, kPollMs);
        if (pr < 0 && errno != EINTR) return WriteOutcome::failed;
        if (pr <= 0) {
            std::lock_guard lock(mutex_);
            if (stopping_) return WriteOutcome::stopping;  // it does not read; we are leaving
            if (std::chrono::steady_clock::now() - last_progress > limits_.stall_timeout)
                return WriteOutcome::stalled;
            continue;
        }
        if (pfd.revents & (POLLERR | POLLNVAL)) return WriteOutcome::failed;
        ssize_t n = write_some(p, left);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return WriteOutcome::failed;
        }
        p += n;
        left -= static_cast<std::size_t>(n);
        last_progress = std::chrono::steady_clock::now();
    }
    return WriteOutcome::written;
}

std::string StdioTransport::take_queued() {
    std::string batch = std::move(queue_.front());
    queue_.pop_front();
    // Several small answers ready at once leave in one write(2); a large one goes alone.
    while (!queue_.empty() && batch.size() + queue_.front().size() <= kJoinLimit) {
        batch += queue_.front();
        queue_.pop_front();
    }
    return batch;
}

void StdioTransport::fail_writes(bool report_failure) {
    const bool report = report_failure && !disconnected_;
    write_failed_ = true;
    queue_.clear();
    queued_bytes_ = 0;
    cv_.notify_all();
    if (report) boost::asio::post(ex_, handlers_.on_write_error);
}

void StdioTransport::write_loop() {
    while (true) {
        std::string msg;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [&] { return stopping_ || (!queue_.empty() && !writing_ && !corked_); });
            if (queue_.empty()) return;  // stopping and drained
            msg = take_queued();
            writing_ = true;
        }
        WriteOutcome outcome = write_all(msg);
        std::unique_lock lock(mutex_);
        writing_ = false;
        queued_bytes_ -= std::min(queued_bytes_, msg.size());
        if (outcome == WriteOutcome::stalled) {
            disconnect("it read nothing for " +
                       std::to_string(limits_.stall_timeout.count() / 1000) +
                       " s while answers waited (server.stalled_client_seconds)");
        } else if (outcome != WriteOutcome::written) {
            fail_writes(outcome == WriteOutcome::failed);
        }
        if (write_failed_ || disconnected_) {
            // Nothing more can be written; wait for stop().
            cv_.wait(lock, [&] { return stopping_; });
            return;
        }
        if (paused_ && queued_bytes_ <= limits_.max_outgoing / 8) {
            paused_ = false;
            if (handlers_.on_backpressure)
                boost::asio::post(
                    ex_, [h = handlers_.on_backpressure, q = queued_bytes_] { h(false, q); });
            schedule_drain();
        }
        cv_.notify_all();
    }
}

void StdioTransport::disconnect(const std::string& why) {
    if (disconnected_) return;
    disconnected_ = true;
    queue_.clear();
    queued_bytes_ = 0;
    inbound_.clear();
    inbound_bytes_ = 0;
    cv_.notify_all();
    room_cv_.notify_all();
    if (handlers_.on_disconnect)
        boost::asio::post(ex_, [h = handlers_.on_disconnect, why] { h(why); });
}

ssize_t StdioTransport::write_some(const char* p, std::size_t n) {
    if (nonblocking_out_ >= 0) return ::write(nonblocking_out_, p, n);  // takes what fits
    return ::write(out_fd_, p, std::min(n, kWriteChunk));
}

StdioTransport::WriteOutcome StdioTransport::write_ready(const std::string& msg,
                                                         std::size_t& written) {
    while (written < msg.size()) {
        if (nonblocking_out_ < 0) {
            // A blocking stdout: only a page after POLLOUT is sure not to block.
            pollfd pfd{out_fd_, POLLOUT, 0};
            int pr = ::poll(&pfd, 1, 0);
            if (pr < 0 && errno != EINTR) return WriteOutcome::failed;
            if (pr <= 0) return WriteOutcome::written;  // full for now: the writer goes on
            if (pfd.revents & (POLLERR | POLLNVAL)) return WriteOutcome::failed;
        }
        ssize_t n = write_some(msg.data() + written, msg.size() - written);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) return WriteOutcome::written;
            return WriteOutcome::failed;
        }
        written += static_cast<std::size_t>(n);
    }
    return WriteOutcome::written;
}

StdioTransport::WriteOutcome StdioTransport::write_here(std::unique_lock<std::mutex>& lock,
                                                        const std::string& msg,
                                                        std::size_t& written) {
    writing_ = true;  // keeps the writer (and other senders) out while the lock is let go
    lock.unlock();
    const WriteOutcome outcome = write_ready(msg, written);
    lock.lock();
    writing_ = false;
    queued_bytes_ -= std::min(queued_bytes_, written);
    return outcome;
}

void StdioTransport::send(std::string line, Sent what) {
    line.push_back('\n');
    std::unique_lock lock(mutex_);
    if (stopping_ || write_failed_ || disconnected_) return;
    const std::size_t size = line.size();
    if (what == Sent::notification && queued_bytes_ > 0 &&
        queued_bytes_ + size > limits_.max_outgoing) {
        // Notifications keep coming while the client reads none: it goes, not our memory.
        // (An answer is kept: serving is paused, so only requests already running answer.)
        disconnect(std::to_string(queued_bytes_ + size) +
                   " bytes of answers unread exceed server.max_outgoing_bytes (" +
                   std::to_string(limits_.max_outgoing) + ")");
        return;
    }
    queued_bytes_ += size;
    if (queue_.empty() && !writing_ && !corked_) {
        // Nothing is ahead of it: this thread writes what stdout takes without blocking,
        // and wakes the writer only for the rest (a hand-off per answer otherwise).
        std::size_t written = 0;
        if (write_here(lock, line, written) == WriteOutcome::failed) {
            fail_writes(true);
            return;
        }
        if (stopping_ || write_failed_ || disconnected_) {
            cv_.notify_all();
            return;
        }
        if (written == size) {
            // Waking the writer for nothing would be the hand-off this path avoids.
            if (flush_waiters_ > 0) cv_.notify_all();
            return;
        }
        // Answers other threads queued meanwhile follow the rest of this one.
        line.erase(0, written);
        queue_.push_front(std::move(line));
    } else {
        queue_.push_back(std::move(line));
    }
    if (!paused_ && queued_bytes_ > limits_.max_outgoing / 4) {
        paused_ = true;
        if (handlers_.on_backpressure)
            boost::asio::post(ex_,
                              [h = handlers_.on_backpressure, q = queued_bytes_] { h(true, q); });
    }
    // Corked, the writer must not take it (uncork writes it); waking it would be a thread
    // switch for nothing.
    if (!corked_) cv_.notify_all();
}

bool StdioTransport::flush(std::chrono::milliseconds deadline) {
    std::unique_lock lock(mutex_);
    ++flush_waiters_;
    const bool done = cv_.wait_for(lock, deadline, [&] {
        return write_failed_ || disconnected_ || (queue_.empty() && !writing_);
    });
    --flush_waiters_;
    return done && !write_failed_ && !disconnected_;
}

std::size_t StdioTransport::queued_bytes() const {
    std::lock_guard lock(mutex_);
    return queued_bytes_;
}

void StdioTransport::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
        cv_.notify_all();
        room_cv_.notify_all();
    }
    if (input_) {
        boost::system::error_code ignored;
        input_->close(ignored);  // a pending wait ends with operation_aborted (closes ours)
        if (in_flags_ >= 0) ::fcntl(in_fd_, F_SETFL, in_flags_);  // stdin's own, shared
        in_flags_ = -1;
    }
    if (reader_.joinable()) reader_.join();
    if (writer_.joinable()) writer_.join();
}

}  // namespace schedcp::host::mcp
