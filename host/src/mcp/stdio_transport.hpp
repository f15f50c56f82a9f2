// Newline-delimited message transport over the process's stdin/stdout.
//
// Input is read on the event loop itself when stdin can be waited on (a pipe, a socket, a
// terminal): a request costs no thread hand-off on its way in. Where epoll refuses stdin
// (a regular file, /dev/null) a reader thread does plain read(2)s instead. Stdin's file
// description stays as it was (it is shared with whoever started us): the event loop waits
// on, and reads through, a second, non-blocking description when stdin is a pipe or a
// terminal (opened via /proc/self/fd, as for stdout); for a socket it waits on a duplicate
// (which Asio makes non-blocking: stdin's flags are put back at stop()) and reads after a
// zero-timeout poll() says the read cannot block. A request costs epoll_wait, read, write
// and the wait's re-arming (epoll_ctl): a short read took all the pipe had, so the next
// step is the wait, which reports at once what arrived meanwhile. Output is written by a writer
// thread doing plain write(2)s, so that a client that stops reading stdout cannot stall the event
// loop; an answer sent while nothing is queued or being written is written by the sending thread
// itself (normally the event loop), as far as stdout takes it without blocking; the writer thread
// is woken only for what is left, and joins the answers queued by then into one write(2). A line
// longer than the limit is dropped up to its newline and reported once, without buffering it.
//
// Bounded whatever the client does:
//  - lines read but not yet handled wait in a small inbound queue; the reader thread stops
//    reading when it holds `max_inbound_lines`, the event loop reads again only when it is
//    empty (so it holds at most one read's worth, 64 KiB); then the client's writes block;
//  - the event loop takes one line at a time from it, and takes none while more than a
//    quarter of `max_outgoing` bytes of answers are unsent: a client that does not read
//    stops being served (back-pressure, not growth). Lines already read that are answered
//    at once (Handlers::line_settled) are taken in one turn, up to kLinesPerTurn, and
//    their answers written together;
//  - notifications past `max_outgoing` disconnect the client, and so does a client that
//    reads nothing for `stall_timeout` while answers wait: the queue is dropped and
//    on_disconnect runs. Answers (Sent::answer) past `max_outgoing` are queued: they answer
//    requests that were running when serving paused, so there are at most
//    server.max_concurrent_requests of them, and cutting off a client that reads would
//    lose them (requests that wait on other work all finish together, e.g. behind a
//    blocking computation the first of them started); a client that does not read them is
//    cut off by `stall_timeout`;
//  - the writer never blocks in write(2) for longer than it takes to notice stop(): it
//    waits for POLLOUT with a timeout and writes what the pipe takes, so a client that
//    never reads cannot keep the process from exiting;
//  - a sending thread never waits for the client, and queues what stdout does not take.
// Writes that cannot block: when stdout is a pipe, through a second, non-blocking open
// file description of it (opened via /proc/self/fd; stdout's own stays blocking), as much
// as the pipe takes per write(2); otherwise one page per write(2) after poll() reports
// POLLOUT (zero timeout for a sending thread).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "line_splitter.hpp"

namespace schedcp::host::mcp {

class StdioTransport {
  public:
    // The names of its threads (as top -H and /proc/PID/task/*/comm show them).
    static constexpr const char* kReaderThreadName = "schedcp-stdin";
    static constexpr const char* kWriterThreadName = "schedcp-stdout";

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
        // Whether the line just handled was answered at once and set nothing else going:
        // the next line already read may then be taken in the same turn of the event loop,
        // and their answers leave in one write(2). Unset: one line per turn.
        std::function<bool()> line_settled;
    };

    // `in_fd`/`out_fd` are owned by the caller and must stay open until stop().
    StdioTransport(boost::asio::any_io_executor ex, int in_fd, int out_fd, Limits limits,
                   Handlers handlers);
    ~StdioTransport();

    // What a message is, for the limit on unsent bytes (see above).
    enum class Sent {
        answer,        // a response to a request: queued past max_outgoing
        notification,  // anything else: past max_outgoing, the client is cut off
    };

    void start();
    // Sends one message (without its newline); thread-safe, never blocks on the client:
    // written at once when nothing is ahead of it and stdout takes it, else queued. Dropped
    // once the client is gone or disconnected.
    void send(std::string line, Sent what = Sent::notification);
    // Waits until everything queued has been written, writing failed, or `deadline`
    // passed; returns whether everything was written.
    bool flush(std::chrono::milliseconds deadline);
    // Stops both threads promptly and stops reading; what is still queued is dropped. Call
    // it on the event loop's thread, or while the event loop is not running.
    void stop();

    std::size_t queued_bytes() const;

  private:
    enum class WriteOutcome { written, failed, stopping, stalled };

    void read_loop();           // reader thread (stdin not pollable)
    void read_on_loop();        // event loop: one read, or wait for one
    void wait_for_input();      // event loop: the next drain follows stdin's readiness
    bool may_read_now() const;  // mutex_ held: nothing queued or pending stops a read
    void write_loop();
    WriteOutcome write_all(const std::string& msg);
    // Writes msg from `written` on while stdout takes it without blocking; `failed` only
    // when stdout is gone, else `written` with `written` advanced as far as it got.
    WriteOutcome write_ready(const std::string& msg, std::size_t& written);
    // mutex_ held (let go while writing): write_ready on this thread, the bytes written no
    // longer counted as queued. For a message nothing is ahead of (queue empty, no writer).
    WriteOutcome write_here(std::unique_lock<std::mutex>& lock, const std::string& msg,
                            std::size_t& written);
    // One write(2): as much as the pipe takes through nonblocking_out_, else one page.
    ssize_t write_some(const char* p, std::size_t n);
    std::string take_queued();              // mutex_ held: the next write's bytes
    void fail_writes(bool report_failure);  // mutex_ held: nothing more can be written
    void push_inbound(InboundLine item);    // reader thread
    void schedule_drain();                  // mutex_ held
    void drain();                           // event loop: hands out the next lines
    // Event loop, mutex_ held: hold back the direct write of answers (they gather in the
    // queue) while a run of lines is handled; uncork writes what gathered.
    void cork() { corked_ = true; }
    void uncork(std::unique_lock<std::mutex>& lock);
    void disconnect(const std::string& why);  // mutex_ held

    boost::asio::any_io_executor ex_;
    int in_fd_;
    int out_fd_;
    int nonblocking_out_;  // a non-blocking description of stdout's pipe, or -1
    // A non-blocking description of stdin's pipe or terminal, read by the event loop and
    // held (and closed) by input_, or -1.
    int nonblocking_in_ = -1;
    int in_flags_ = -1;  // stdin's flags to put back at stop(), when input_ holds a dup of it
    Limits limits_;
    Handlers handlers_;
    // Reading on the event loop: a duplicate of in_fd (epoll registers it), the splitter
    // and the read buffer; only the event loop touches them.
    std::optional<boost::asio::posix::stream_descriptor> input_;
    LineSplitter splitter_;
    std::unique_ptr<char[]> read_buf_;
    std::thread reader_;
    std::thread writer_;
    mutable std::mutex mutex_;
    // Two, so that neither a line taken nor an answer written wakes a thread for nothing:
    std::condition_variable cv_;       // the writer and flush(): answers queued or written
    std::condition_variable room_cv_;  // the reader: room in the inbound queue
    std::size_t flush_waiters_ = 0;    // threads in flush()
    std::deque<std::string> queue_;    // outgoing, each with its newline
    std::size_t queued_bytes_ = 0;     // in queue_ plus the message being written
    std::deque<InboundLine> inbound_;
    std::size_t inbound_bytes_ = 0;
    bool drain_scheduled_ = false;
    bool input_waiting_ = false;  // the event loop waits for stdin to be readable
    // Event loop only: the last wait said stdin is readable (or the last read filled the
    // buffer) and no read since said otherwise; else the next read is a wait first.
    bool input_readable_ = false;
    bool input_ended_ = false;  // the reader saw EOF; on_eof follows the last line
    bool eof_delivered_ = false;
    bool paused_ = false;   // unread answers hold back serving
    bool writing_ = false;  // a thread (the writer or a sender) is writing to stdout
    bool corked_ = false;   // answers gather in queue_ for one write (see cork())
    bool stopping_ = false;
    bool write_failed_ = false;
    bool disconnected_ = false;  // nothing more is read or written
};

}  // namespace schedcp::host::mcp
