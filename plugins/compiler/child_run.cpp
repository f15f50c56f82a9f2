#include "child_run.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <memory>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace schedcp::plugins::compiler {

namespace asio = boost::asio;

namespace {

// Shared by the awaiting coroutine and the timer/stop callbacks, which may outlive it.
struct Watch : std::enable_shared_from_this<Watch> {
    explicit Watch(asio::any_io_executor ex) : timer(ex) {}
    asio::steady_timer timer;
    pid_t pgid = -1;
    int stop_signal = SIGKILL;
    std::chrono::milliseconds kill_after{};
    bool done = false;
    bool timed_out = false;
    bool cancelled = false;
    bool stopping = false;

    void arm(std::chrono::milliseconds d) {
        timer.expires_after(d);
        timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (ec || self->done) return;
            if (!self->stopping) self->timed_out = true;
            self->stop();
        });
    }

    // First the polite signal, then SIGKILL if it is still there after kill_after.
    void stop() {
        if (done) return;
        if (!stopping) {
            stopping = true;
            ::kill(-pgid, stop_signal);
            if (stop_signal != SIGKILL) {
                arm_kill();
                return;
            }
        }
        ::kill(-pgid, SIGKILL);
    }

    void arm_kill() {
        timer.expires_after(kill_after);
        timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (!ec && !self->done) ::kill(-self->pgid, SIGKILL);
        });
    }
};

void deliver_lines(std::string& pending, std::string_view chunk,
                   const std::function<void(std::string_view)>& on_line) {
    pending.append(chunk);
    std::size_t start = 0, nl;
    while ((nl = pending.find('\n', start)) != std::string::npos) {
        on_line(std::string_view(pending).substr(start, nl - start));
        start = nl + 1;
    }
    pending.erase(0, start);
}

}  // namespace

asio::awaitable<ChildOutcome> run_child(const ChildSpec& spec, std::stop_token stop) {
    sdk::process::SpawnOptions opts;
    opts.argv = spec.argv;
    opts.env = sdk::process::clean_environment();
    opts.capture_output = true;
    opts.pipe_stdin = spec.stdin_pipe;
    opts.new_process_group = true;
    // If this process dies, the helper goes too (a loader detaches on SIGTERM).
    opts.parent_death_signal = SIGTERM;
    opts.cwd = spec.cwd;
    opts.confinement = spec.confinement;
    sdk::process::Child child = sdk::process::spawn(opts);
    int lifeline = spec.stdin_pipe ? child.take_stdin() : -1;

    auto ex = co_await asio::this_coro::executor;
    auto watch = std::make_shared<Watch>(ex);
    watch->pgid = child.pid();
    watch->stop_signal = spec.stop_signal;
    watch->kill_after = spec.kill_after;
    watch->arm(spec.timeout);
    // stop_callback may run on another thread: hop onto the executor first.
    std::stop_callback on_stop(stop, [watch, ex] {
        asio::post(ex, [watch] {
            watch->cancelled = true;
            watch->stop();
        });
    });

    ChildOutcome out;
    std::string pending;
    {
        asio::posix::stream_descriptor pipe(ex, child.take_output());
        std::array<char, 16384> buf;
        while (true) {
            boost::system::error_code ec;
            std::size_t n = co_await pipe.async_read_some(
                asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
            if (ec) break;  // EOF: the child and everything it started closed the pipe
            std::string_view chunk(buf.data(), n);
            if (out.output.size() < spec.max_output) {
                std::size_t keep = std::min(n, spec.max_output - out.output.size());
                out.output.append(chunk.substr(0, keep));
                out.dropped_bytes += n - keep;
            } else {
                out.dropped_bytes += n;
            }
            if (spec.on_line) deliver_lines(pending, chunk, spec.on_line);
        }
    }
    if (spec.on_line && !pending.empty()) spec.on_line(pending);
    out.status = co_await sdk::process::async_wait(child);
    if (lifeline >= 0) ::close(lifeline);
    watch->done = true;
    watch->timer.cancel();
    out.timed_out = watch->timed_out;
    out.cancelled = watch->cancelled;
    co_return out;
}

ChildOutcome run_child_blocking(const std::vector<std::string>& argv,
                                std::chrono::milliseconds timeout) {
    sdk::process::SpawnOptions opts;
    opts.argv = argv;
    opts.env = sdk::process::clean_environment();
    opts.capture_output = true;
    opts.parent_death_signal = SIGKILL;
    sdk::process::Child child = sdk::process::spawn(opts);
    int fd = child.take_output();
    ChildOutcome out;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[4096];
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            out.timed_out = true;
            child.signal(SIGKILL);
            break;
        }
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        if (out.output.size() < 65536) out.output.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    auto st = child.wait_for(std::chrono::seconds(5));
    if (st) out.status = *st;
    return out;
}

}  // namespace schedcp::plugins::compiler
