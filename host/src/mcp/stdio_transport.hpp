// Newline-delimited message transport over the process's stdin/stdout.
//
// Reading and writing use one thread each, doing plain read(2)/write(2): Asio's
// stream_descriptor cannot wait on a regular file (stdin redirected from a file fails
// with EPERM under epoll), and a client that stops reading stdout must not stall the
// event loop. An answer sent while nothing is queued or being written is written by the
// sending thread itself (normally the event loop), as far as stdout takes it without
// blocking; the writer thread is woken only for what is left, and joins the answers
// queued by then into one write(2). A line longer than the limit is dropped up to its newline and
// reported once, without buffering it.
//
// Bounded whatever the client does:
//  - lines read but not yet handled wait in a small inbound queue; when it is full the
//    reader stops reading (the client's writes then block);
//  - the event loop takes one line at a time from it, and takes none while more than a
//    quarter of `max_outgoing` bytes of answers are unsent: a client that does not read
//    stops being served (back-pressure, not growth);
//  - answers past `max_outgoing` (requests already running, notifications) disconnect
//    the client, and so does a client that reads nothing for `stall_timeout` while
//    answers wait: the queue is dropped and on_disconnect runs;
//  - the writer never blocks in write(2) for longer than it takes to notice stop(): it
//    waits for POLLOUT with a timeout and writes at most one pipe page at a time, so a
//    client that never reads cannot keep the process from exiting;
//  - a sending thread never waits for the client: it writes only after poll() with a zero
//    timeout reports POLLOUT, one pipe page per write(2), and queues the rest.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <boost/asio/any_io_executor.hpp>

namespace schedcp::host::mcp {

class StdioTransport {
  public:
    struct Limits {
        std::size_t max_line = 4 * 1024 * 1024;       // one incoming message
        std::size_t max_outgoing = 16 * 1024 * 1024;  // unsent answers
        std::chrono::milliseconds stall_timeout{std::chrono::seconds(120)};
        std::size_t max_inbound_lines = 32;  // read, not yet handled
    };
    struct Handlers {
        std::function<void(std::string line)> on_line;
        std::function<void(std::size_t dropped_bytes)> on_oversize;
        std::function<void()> on_eof;          // stdin closed or failed, every line handled
        std::function<void()> on_write_error;  // stdout closed (client gone)
        // The client was cut off: it left too much unread, or read nothing for too long.
        std::function<void(const std::string& why)> on_disconnect;
        // Serving paused (true) or resumed (false) because answers are not being read.
        std::function<void(bool paused, std::size_t queued_bytes)> on_backpressure;
    };

    // `in_fd`/`out_fd` are owned by the caller and must stay open until stop().
    StdioTransport(boost::asio::any_io_executor ex, int in_fd, int out_fd, Limits limits,
                   Handlers handlers);
    ~StdioTransport();

    void start();
    // Sends one message (without its newline); thread-safe, never blocks on the client:
    // written at once when nothing is ahead of it and stdout takes it, else queued. Dropped
    // once the client is gone or disconnected.
    void send(std::string line);
    // Waits until everything queued has been written, writing failed, or `deadline`
    // passed; returns whether everything was written.
    bool flush(std::chrono::milliseconds deadline);
    // Stops both threads promptly; what is still queued is dropped.
    void stop();

    std::size_t queued_bytes() const;

  private:
    struct Inbound {
        std::string line;
        std::size_t oversize = 0;  // > 0: a dropped over-long message of this many bytes
    };
    enum class WriteOutcome { written, failed, stopping, stalled };

    void read_loop();
    void write_loop();
    WriteOutcome write_all(const std::string& msg);
    // Writes msg from `written` on while stdout takes it without blocking; `failed` only
    // when stdout is gone, else `written` with `written` advanced as far as it got.
    WriteOutcome write_ready(const std::string& msg, std::size_t& written);
    std::string take_queued();                // mutex_ held: the next write's bytes
    void fail_writes(bool report_failure);    // mutex_ held: nothing more can be written
    void push_inbound(Inbound item);          // reader thread
    void schedule_drain();                    // mutex_ held
    void drain();                             // event loop: hands out one line
    void disconnect(const std::string& why);  // mutex_ held

    boost::asio::any_io_executor ex_;
    int in_fd_;
    int out_fd_;
    Limits limits_;
    Handlers handlers_;
    std::thread reader_;
    std::thread writer_;
    mutable std::mutex mutex_;
    // Two, so that neither a line taken nor an answer written wakes a thread for nothing:
    std::condition_variable cv_;       // the writer and flush(): answers queued or written
    std::condition_variable room_cv_;  // the reader: room in the inbound queue
    std::size_t flush_waiters_ = 0;    // threads in flush()
    std::deque<std::string> queue_;    // outgoing, each with its newline
    std::size_t queued_bytes_ = 0;     // in queue_ plus the message being written
    std::deque<Inbound> inbound_;
    std::size_t inbound_bytes_ = 0;
    bool drain_scheduled_ = false;
    bool input_ended_ = false;  // the reader saw EOF; on_eof follows the last line
    bool eof_delivered_ = false;
    bool paused_ = false;   // unread answers hold back serving
    bool writing_ = false;  // a thread (the writer or a sender) is writing to stdout
    bool stopping_ = false;
    bool write_failed_ = false;
    bool disconnected_ = false;  // nothing more is read or written
};

}  // namespace schedcp::host::mcp
