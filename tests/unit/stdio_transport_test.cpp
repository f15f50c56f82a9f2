// The stdio transport's bounds, on real pipes: unread answers pause serving, too many
// disconnect, a stalled reader is disconnected, and stop() returns promptly although the
// output pipe is full; and its write path: a sender writes an answer itself when nothing
// is ahead of it, and the writer continues where it left off.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include "mcp/stdio_transport.hpp"

using schedcp::host::mcp::StdioTransport;
using namespace std::chrono_literals;

namespace {

struct Pipes {
    int in[2];   // the client writes in[1]; the transport reads in[0]
    int out[2];  // the transport writes out[1]; the client reads out[0]
    Pipes() {
        BOOST_REQUIRE(::pipe2(in, O_CLOEXEC) == 0);
        BOOST_REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
    }
    ~Pipes() {
        for (int fd : {in[0], in[1], out[0], out[1]}) ::close(fd);
    }
};

struct Seen {
    std::vector<std::string> lines;
    std::vector<std::string> disconnects;
    std::vector<bool> backpressure;
    bool eof = false;
};

StdioTransport::Handlers handlers(Seen& seen) {
    return StdioTransport::Handlers{
        .on_line = [&seen](std::string l) { seen.lines.push_back(std::move(l)); },
        .on_oversize = [](std::size_t) {},
        .on_eof = [&seen] { seen.eof = true; },
        .on_write_error = [] {},
        .on_disconnect = [&seen](const std::string& why) { seen.disconnects.push_back(why); },
        .on_backpressure = [&seen](bool paused,
                                   std::size_t) { seen.backpressure.push_back(paused); }};
}

// Runs the io_context until `done` or the deadline.
template <class Pred>
bool run_until(boost::asio::io_context& io, Pred done, std::chrono::milliseconds limit = 5s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        io.restart();
        io.run_for(20ms);
    }
    return done();
}

// How many of this process's threads have this name.
std::size_t threads_named(const std::string& name) {
    std::size_t n = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream comm(task.path() / "comm");
        std::string line;
        if (std::getline(comm, line) && line == name) ++n;
    }
    return n;
}

struct Oversized {
    std::vector<std::size_t> sizes;
};

StdioTransport::Handlers handlers(Seen& seen, Oversized& over) {
    auto h = handlers(seen);
    h.on_oversize = [&over](std::size_t n) { over.sizes.push_back(n); };
    return h;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(stdio_transport)

// A pipe is read by the event loop itself (no reader thread to hand each request over):
// start() adds only the writer thread, and lines split across reads, an over-long line
// (dropped and reported even when one read holds all of it) and a last line without a
// newline all arrive in order, then EOF.
BOOST_AUTO_TEST_CASE(a_pipe_is_read_on_the_event_loop) {
    boost::asio::io_context io;
    Pipes p;
    Seen seen;
    Oversized over;
    StdioTransport t(io.get_executor(), p.in[0], p.out[1], {.max_line = 100}, handlers(seen, over));
    t.start();
    BOOST_TEST(threads_named(StdioTransport::kWriterThreadName) == 1u);
    BOOST_TEST(threads_named(StdioTransport::kReaderThreadName) == 0u);
    BOOST_REQUIRE(::write(p.in[1], "one\ntw", 6) == 6);
    BOOST_REQUIRE(run_until(io, [&] { return seen.lines.size() == 1; }));
    const std::string long_line(250, 'x');
    const std::string rest = "o\n" + long_line + "\nthree\nlast";
    BOOST_REQUIRE(::write(p.in[1], rest.data(), rest.size()) == static_cast<ssize_t>(rest.size()));
    BOOST_REQUIRE(run_until(io, [&] { return seen.lines.size() == 3; }));
    ::close(p.in[1]);
    p.in[1] = ::open("/dev/null", O_RDONLY);
    BOOST_REQUIRE(run_until(io, [&] { return seen.eof; }));
    BOOST_TEST(seen.lines == (std::vector<std::string>{"one", "two", "three", "last"}));
    BOOST_TEST(over.sizes == std::vector<std::size_t>{250});
    t.stop();
}

// Stdin's own open file description is shared with whoever started the server (a shell,
// a supervisor): waiting on it and reading it must leave it blocking.
BOOST_AUTO_TEST_CASE(stdins_own_description_stays_blocking) {
    boost::asio::io_context io;
    Pipes p;
    Seen seen;
    StdioTransport t(io.get_executor(), p.in[0], p.out[1], {}, handlers(seen));
    t.start();
    BOOST_REQUIRE(::write(p.in[1], "one\n", 4) == 4);
    BOOST_REQUIRE(run_until(io, [&] { return seen.lines.size() == 1; }));
    BOOST_REQUIRE(::write(p.in[1], "two\n", 4) == 4);  // read after a wait
    BOOST_REQUIRE(run_until(io, [&] { return seen.lines.size() == 2; }));
    BOOST_TEST((::fcntl(p.in[0], F_GETFL) & O_NONBLOCK) == 0);
    BOOST_TEST((::fcntl(p.out[1], F_GETFL) & O_NONBLOCK) == 0);
    t.stop();
    BOOST_TEST((::fcntl(p.in[0], F_GETFL) & O_NONBLOCK) == 0);
}

// A message longer than one read(2) is read on until its newline, whole.
BOOST_AUTO_TEST_CASE(a_line_longer_than_one_read_arrives_whole) {
    boost::asio::io_context io;
    Pipes p;
    Seen seen;
    StdioTransport t(io.get_executor(), p.in[0], p.out[1], {.max_line = 1 << 20}, handlers(seen));
    t.start();
    const std::string big(150000, 'z');  // more than the pipe holds: a thread writes it
    const std::string input = big + "\nsmall\n";
    std::thread client([&] {
        std::size_t done = 0;
        while (done < input.size()) {
            ssize_t n = ::write(p.in[1], input.data() + done, input.size() - done);
            if (n <= 0) return;
            done += static_cast<std::size_t>(n);
        }
    });
    const bool both = run_until(io, [&] { return seen.lines.size() == 2; });
    client.join();
    BOOST_REQUIRE(both);
    BOOST_TEST((seen.lines[0] == big));
    BOOST_TEST(seen.lines[1] == "small");
    t.stop();
}

// A regular file cannot be waited on with epoll: a reader thread reads it instead, with
// the same splitting. (More lines than the inbound queue holds keep the thread alive,
// waiting for room, until the event loop runs.)
BOOST_AUTO_TEST_CASE(a_regular_file_is_read_by_a_thread) {
    char path[] = "/tmp/schedcp-stdio-XXXXXX";
    const int file = ::mkstemp(path);
    BOOST_REQUIRE(file >= 0);
    ::unlink(path);
    std::vector<std::string> expected;
    std::string content;
    for (int i = 0; i < 100; ++i) {
        expected.push_back("line " + std::to_string(i));
        content += expected.back() + "\n";
    }
    content += std::string(250, 'y') + "\nlast";
    expected.push_back("last");
    BOOST_REQUIRE(::write(file, content.data(), content.size()) ==
                  static_cast<ssize_t>(content.size()));
    BOOST_REQUIRE(::lseek(file, 0, SEEK_SET) == 0);
    boost::asio::io_context io;
    Pipes p;
    Seen seen;
    Oversized over;
    StdioTransport t(io.get_executor(), file, p.out[1], {.max_line = 100, .max_inbound_lines = 32},
                     handlers(seen, over));
    t.start();
    BOOST_TEST(threads_named(StdioTransport::kWriterThreadName) == 1u);
    BOOST_TEST(threads_named(StdioTransport::kReaderThreadName) == 1u);
    BOOST_REQUIRE(run_until(io, [&] { return seen.eof; }));
    BOOST_TEST(seen.lines == expected);
    BOOST_TEST(over.sizes == std::vector<std::size_t>{250});
    t.stop();
    ::close(file);
}

// A transport with a 64 KiB limit on unsent bytes whose client has not read yet, after
// 20 messages of 10,000 bytes (200 KB; the pipe takes 64 KiB of it) sent as `what`.
struct UnreadPastTheLimit {
    static constexpr std::size_t kMessages = 20;
    const std::string message = std::string(10000, 'a');
    boost::asio::io_context io;
    Pipes p;
    Seen seen;
    StdioTransport t{io.get_executor(),
                     p.in[0],
                     p.out[1],
                     {.max_outgoing = 65536, .stall_timeout = 60s},
                     handlers(seen)};

    explicit UnreadPastTheLimit(StdioTransport::Sent what) {
        t.start();
        for (std::size_t i = 0; i < kMessages; ++i) t.send(message, what);
    }
};

BOOST_AUTO_TEST_CASE(notifications_past_the_limit_disconnect_a_client_that_does_not_read) {
    UnreadPastTheLimit u(StdioTransport::Sent::notification);
    Seen& seen = u.seen;
    StdioTransport& t = u.t;
    BOOST_REQUIRE(run_until(u.io, [&] { return !seen.disconnects.empty(); }));
    BOOST_TEST(seen.disconnects.front().find("exceed server.max_outgoing_bytes (65536)") !=
               std::string::npos);
    BOOST_TEST(seen.backpressure.front() == true);
    BOOST_TEST(t.queued_bytes() == 0u);  // dropped, not kept
    t.send(u.message);                   // ignored from now on
    BOOST_TEST(t.queued_bytes() == 0u);
    // stop() returns although the client never read the pipe full: not a speed check, a
    // hang check (the old writer blocked in write(2) forever).
    auto start = std::chrono::steady_clock::now();
    t.stop();
    bool returned_promptly = std::chrono::steady_clock::now() - start < 5s;
    BOOST_TEST(returned_promptly);
}

// Answers of requests that were running when serving paused may go past the limit: they
// finish together (behind one slow computation, say), and the client that reads gets them.
BOOST_AUTO_TEST_CASE(answers_past_the_limit_wait_for_the_client_to_read_them) {
    UnreadPastTheLimit u(StdioTransport::Sent::answer);
    Seen& seen = u.seen;
    StdioTransport& t = u.t;
    run_until(
        u.io, [&] { return !seen.disconnects.empty(); }, 300ms);
    BOOST_REQUIRE_MESSAGE(seen.disconnects.empty(), "cut off: " << seen.disconnects.front());
    BOOST_TEST((!seen.backpressure.empty() && seen.backpressure.front()));  // serving paused
    const std::size_t all = UnreadPastTheLimit::kMessages * (u.message.size() + 1);
    std::vector<char> buf(1 << 16);
    std::size_t got = 0;
    while (got < all) {
        ssize_t n = ::read(u.p.out[0], buf.data(), buf.size());
        BOOST_REQUIRE(n > 0);
        got += static_cast<std::size_t>(n);
    }
    BOOST_TEST(got == all);
    BOOST_TEST(t.flush(5s));
    BOOST_TEST(seen.disconnects.empty());
    t.stop();
}

BOOST_AUTO_TEST_CASE(a_stalled_client_is_disconnected_and_stop_is_prompt) {
    boost::asio::io_context io;
    Pipes p;
    Seen seen;
    StdioTransport t(io.get_executor(), p.in[0], p.out[1],
                     {.max_outgoing = 1 << 20, .stall_timeout = 500ms}, handlers(seen));
    t.start();
    t.send(std::string(200000, 'b'));  // more than the pipe holds
    BOOST_REQUIRE(run_until(io, [&] { return !seen.disconnects.empty(); }));
    BOOST_TEST(seen.disconnects.front().find("read nothing") != std::string::npos);
    t.stop();
}

BOOST_AUTO_TEST_CASE(serving_pauses_while_answers_are_unread_and_resumes) {
    boost::asio::io_context io;
    Pipes p;
    Seen seen;
    StdioTransport* transport = nullptr;
    auto h = handlers(seen);
    h.on_line = [&](std::string l) {
        // The first request's answer is 100 KB, sent at once (a synchronous tool).
        if (seen.lines.empty()) transport->send(std::string(100000, 'c'));
        seen.lines.push_back(std::move(l));
    };
    StdioTransport t(io.get_executor(), p.in[0], p.out[1],
                     {.max_outgoing = 65536, .stall_timeout = 60s}, std::move(h));
    transport = &t;
    t.start();
    // Three requests arrive; nobody reads the first one's answer yet.
    BOOST_REQUIRE(::write(p.in[1], "one\ntwo\nthree\n", 14) == 14);
    BOOST_REQUIRE(run_until(io, [&] { return !seen.lines.empty(); }));
    run_until(
        io, [&] { return seen.lines.size() > 1; }, 600ms);
    BOOST_TEST(seen.lines.size() == 1u, "requests were served while answers were unread");
    // The client reads: serving resumes, in order, and EOF comes after the last line.
    std::vector<char> buf(1 << 16);
    std::size_t got = 0;
    while (got < 100001) {
        ssize_t n = ::read(p.out[0], buf.data(), buf.size());
        BOOST_REQUIRE(n > 0);
        got += static_cast<std::size_t>(n);
    }
    ::close(p.in[1]);
    p.in[1] = ::open("/dev/null", O_RDONLY);  // keep the destructor's close harmless
    BOOST_REQUIRE(run_until(io, [&] { return seen.eof; }));
    BOOST_TEST(seen.lines == (std::vector<std::string>{"one", "two", "three"}),
               "lines out of order or lost");
    BOOST_TEST(seen.backpressure == (std::vector<bool>{true, false}));
    BOOST_TEST(seen.disconnects.empty());
    BOOST_TEST(t.flush(1s));
    t.stop();
}

// The sending thread writes an answer itself when nothing is ahead of it: the bytes are in
// the pipe when send() returns, though the writer thread was never started.
BOOST_AUTO_TEST_CASE(an_answer_with_nothing_ahead_is_written_by_the_sender) {
    boost::asio::io_context io;
    Pipes p;
    Seen seen;
    StdioTransport t(io.get_executor(), p.in[0], p.out[1], {}, handlers(seen));
    t.send(R"({"jsonrpc":"2.0","id":1,"result":{}})");
    BOOST_TEST(t.queued_bytes() == 0u);
    BOOST_REQUIRE(::fcntl(p.out[0], F_SETFL, O_NONBLOCK) == 0);
    char buf[256];
    ssize_t n = ::read(p.out[0], buf, sizeof buf);
    BOOST_REQUIRE(n > 0);
    BOOST_TEST(std::string(buf, static_cast<std::size_t>(n)) ==
               "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n");
}

// What the sender could not write goes first, then what was queued behind it, each answer
// whole and in order, when the writer takes over.
BOOST_AUTO_TEST_CASE(the_rest_of_a_partly_written_answer_leads_the_queue) {
    boost::asio::io_context io;
    Pipes p;
    Seen seen;
    StdioTransport t(io.get_executor(), p.in[0], p.out[1], {.max_outgoing = 1 << 20},
                     handlers(seen));
    const std::string big(100000, 'x');  // more than the pipe holds
    t.send(big);
    BOOST_TEST(t.queued_bytes() > 0u);  // the rest waits for the writer
    BOOST_TEST(t.queued_bytes() < big.size() + 1);
    t.send("second");
    t.send("third");
    t.start();
    std::string got;
    const std::string expected = big + "\nsecond\nthird\n";
    std::vector<char> buf(1 << 16);
    while (got.size() < expected.size()) {
        ssize_t n = ::read(p.out[0], buf.data(), buf.size());
        BOOST_REQUIRE(n > 0);
        got.append(buf.data(), static_cast<std::size_t>(n));
    }
    BOOST_TEST(got == expected);
    BOOST_TEST(t.flush(5s));
    t.stop();
}

// Lines already read that are answered at once are handled in one turn of the event loop,
// their answers held back and written together at its end; a line that is not (it starts
// something that runs on, or is a notification: Handlers::line_settled) ends the turn. What the client can read as each line is handled shows
// where the turns ended.
BOOST_AUTO_TEST_CASE(lines_answered_at_once_share_a_turn_and_one_write) {
    boost::asio::io_context io;
    Pipes p;
    BOOST_REQUIRE(::fcntl(p.out[0], F_SETFL, O_NONBLOCK) == 0);
    auto unread = [&] {
        std::string got;
        char buf[256];
        ssize_t n;
        while ((n = ::read(p.out[0], buf, sizeof buf)) > 0)
            got.append(buf, static_cast<std::size_t>(n));
        return got;
    };
    Seen seen;
    bool settled = false;
    std::vector<std::string> readable;  // what the client could read as each line came
    StdioTransport* transport = nullptr;
    auto h = handlers(seen);
    h.line_settled = [&] { return settled; };
    h.on_line = [&](std::string l) {
        readable.push_back(unread());
        // "slow" runs on (answered later), "note" is a notification (no answer).
        settled = l != "slow" && l != "note";
        if (settled) transport->send("answer " + l, StdioTransport::Sent::answer);
        seen.lines.push_back(std::move(l));
    };
    StdioTransport t(io.get_executor(), p.in[0], p.out[1], {}, std::move(h));
    transport = &t;
    const std::string input = "a\nb\nslow\nc\nnote\nd\n";
    BOOST_REQUIRE(::write(p.in[1], input.data(), input.size()) ==
                  static_cast<ssize_t>(input.size()));
    t.start();
    BOOST_REQUIRE(run_until(io, [&] { return seen.lines.size() == 6; }));
    // Turns: a b slow | c note | d.
    BOOST_TEST(readable ==
               (std::vector<std::string>{"", "", "", "answer a\nanswer b\n", "", "answer c\n"}));
    std::string rest;
    run_until(io, [&] { return (rest += unread()).size() >= 9; }, 1s);
    BOOST_TEST(rest == "answer d\n");
    t.stop();
}

// Without Handlers::line_settled a turn takes one line, whose answer leaves at once.
BOOST_AUTO_TEST_CASE(without_line_settled_a_turn_takes_one_line) {
    boost::asio::io_context io;
    Pipes p;
    BOOST_REQUIRE(::fcntl(p.out[0], F_SETFL, O_NONBLOCK) == 0);
    Seen seen;
    std::vector<std::string> readable;
    StdioTransport* transport = nullptr;
    auto h = handlers(seen);
    h.on_line = [&](std::string l) {
        char buf[256];
        const ssize_t n = ::read(p.out[0], buf, sizeof buf);
        readable.emplace_back(buf, n > 0 ? static_cast<std::size_t>(n) : 0u);
        transport->send("answer " + l, StdioTransport::Sent::answer);
        seen.lines.push_back(std::move(l));
    };
    StdioTransport t(io.get_executor(), p.in[0], p.out[1], {}, std::move(h));
    transport = &t;
    BOOST_REQUIRE(::write(p.in[1], "a\nb\n", 4) == 4);
    t.start();
    BOOST_REQUIRE(run_until(io, [&] { return seen.lines.size() == 2; }));
    BOOST_TEST(readable == (std::vector<std::string>{"", "answer a\n"}));
    t.stop();
}

BOOST_AUTO_TEST_SUITE_END()
