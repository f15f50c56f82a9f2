#include "workload_process.hpp"

#include <signal.h>

#include <array>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace schedcp::plugins::evaluator {

namespace asio = boost::asio;

asio::awaitable<ProcessOutcome> run_workload_process(const Workload& w,
                                                     std::size_t max_output_bytes,
                                                     Killer& kill_slot) {
    auto env = sdk::process::clean_environment();
    env.insert(env.end(), w.env_additions.begin(), w.env_additions.end());
    const sdk::process::SpawnOptions opts{
        .argv = w.argv,
        .env = std::move(env),
        .pipe_stdin = false,
        .capture_output = true,
        .separate_stderr = false,
        .new_process_group = true,
        .parent_death_signal = SIGKILL,  // the server gone: no workload keeps running
        .cwd = w.cwd,
    };
    ProcessOutcome out;
    const auto started = std::chrono::steady_clock::now();
    auto child = sdk::process::spawn(opts);
    out.pid = child.pid();
    auto ex = co_await asio::this_coro::executor;
    asio::posix::stream_descriptor in(ex, child.take_output());

    // The timeout and a cancellation end the run the same way: the whole group killed, and
    // the output no longer read (a process that escaped the group may hold the pipe).
    auto stop = [&](bool timeout) {
        (timeout ? out.timed_out : out.cancelled) = true;
        child.signal(SIGKILL);
        boost::system::error_code ignored;
        in.cancel(ignored);
    };
    asio::steady_timer deadline(ex, w.timeout);
    deadline.async_wait([&](const boost::system::error_code& ec) {
        if (!ec) stop(true);
    });
    kill_slot = [&] { stop(false); };

    std::array<char, 16384> buf;
    while (true) {
        boost::system::error_code ec;
        std::size_t n = co_await in.async_read_some(asio::buffer(buf),
                                                    asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;  // EOF, or stopped
        out.output.append(buf.data(), n);
        if (out.output.size() > max_output_bytes) {
            const std::size_t cut = out.output.size() - max_output_bytes;
            out.output.erase(0, cut);
            out.output_dropped += cut;
        }
    }
    auto waiting = sdk::process::async_wait(child);
    out.exit = co_await std::move(waiting);
    out.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    ::kill(-out.pid, SIGKILL);  // what it left behind in its group
    kill_slot = nullptr;
    deadline.cancel();
    co_return out;
}

}  // namespace schedcp::plugins::evaluator
