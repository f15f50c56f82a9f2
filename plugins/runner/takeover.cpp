#include "takeover.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "schedcp/sdk/error.hpp"

namespace schedcp::plugins::runner {

namespace bj = boost::json;
namespace asio = boost::asio;
using namespace std::chrono_literals;

std::optional<LaunchConfig> guard_launch_config(const std::vector<std::string>& argv) {
    // The runner's own order: [guard, options..., --scheduler|--custom, NAME, --, ARGS...].
    for (std::size_t i = 1; i + 1 < argv.size(); ++i) {
        if (argv[i] == "--") return std::nullopt;  // arguments before any name: not ours
        if (argv[i] != "--scheduler" && argv[i] != "--custom") continue;
        LaunchConfig c{.name = argv[i + 1]};
        if (c.name.empty() || c.name.starts_with("-")) return std::nullopt;
        std::size_t rest = i + 2;
        if (rest < argv.size() && argv[rest] != "--") return std::nullopt;
        c.args = std::vector<std::string>(
            argv.begin() + static_cast<std::ptrdiff_t>(std::min(rest + 1, argv.size())),
            argv.end());
        return c;
    }
    return std::nullopt;
}

bool is_foreground_run(const sdk::sched_ext::ProcessFacts& p) {
    if (p.comm != "schedcp-cli") return false;
    // The first word that is not an option (or an option's value) is the command.
    for (std::size_t i = 1; i < p.argv.size(); ++i) {
        const std::string& a = p.argv[i];
        if (a == "--config") {
            ++i;
            continue;
        }
        if (a.starts_with("-")) continue;
        if (a == "run") return true;
        return a == "default" && i + 1 < p.argv.size() && p.argv[i + 1] == "run";
    }
    return false;
}

Takeover plan_takeover(const sdk::sched_ext::Manager& m) {
    const auto details = bj::object{{"manager", sdk::sched_ext::to_json(m)}};
    if (!m.owner || !m.guard)
        throw sdk::Conflict("in charge: " + m.summary +
                                "; the schedcp process that started it is not visible, so it "
                                "cannot be asked to hand over",
                            details);
    if (!is_foreground_run(*m.owner))
        throw sdk::Conflict(
            "in charge: " + m.summary + ". It is not a `schedcp-cli run` or `default run`" +
                // schedcp serves HTTP as schedcp-http (it execs it): the same server.
                (m.owner->comm == "schedcp" || m.owner->comm == "schedcp-http"
                     ? " but an MCP server: stop it there (stop_scheduler), then switch"
                     : ": stop it where it runs, then switch"),
            details);
    auto previous = guard_launch_config(m.guard->argv);
    if (!previous)
        throw sdk::Conflict("in charge: " + m.summary +
                                "; its schedcp-guard's command line does not say what it runs "
                                "(needed to roll back), so it is left alone",
                            details);
    return Takeover{.previous = std::move(*previous), .process = *m.owner, .unit = m.unit};
}

namespace {

std::string comm_now(const std::filesystem::path& proc, int pid) {
    std::ifstream in(proc / std::to_string(pid) / "comm");
    std::string s;
    std::getline(in, s);
    return s;
}

bool exited(int pidfd) {
    pollfd p{.fd = pidfd, .events = POLLIN, .revents = 0};
    return ::poll(&p, 1, 0) > 0;
}

}  // namespace

asio::awaitable<void> end_other_run(const RunnerCore& core, const Takeover& t,
                                    std::chrono::milliseconds budget) {
    const int pid = t.process.pid;
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    // The pidfd pins the process: once it is open and the process still has the name seen
    // before, the signal cannot reach a process that reused the pid.
    if (pidfd >= 0 && comm_now(core.settings().proc_root, pid) == t.process.comm) {
        if (::syscall(SYS_pidfd_send_signal, pidfd, SIGTERM, nullptr, 0) != 0 && errno != ESRCH) {
            const int err = errno;
            ::close(pidfd);
            throw sdk::Unavailable("could not ask pid " + std::to_string(pid) +
                                   " to stop: " + std::strerror(err));
        }
    }
    asio::steady_timer timer(co_await asio::this_coro::executor);
    const auto deadline = std::chrono::steady_clock::now() + budget;
    bool gone = pidfd < 0, unloaded = false;
    while (true) {
        gone = gone || exited(pidfd);
        unloaded = !core.kernel().busy();
        if ((gone && unloaded) || std::chrono::steady_clock::now() >= deadline) break;
        timer.expires_after(50ms);
        co_await timer.async_wait(asio::use_awaitable);
    }
    if (pidfd >= 0) ::close(pidfd);
    if (!gone || !unloaded)
        throw sdk::Unavailable(
            "pid " + std::to_string(pid) + " (" + t.process.command() + ") " +
            (!gone ? "did not exit"
                   : "exited, but sched_ext is still " + core.kernel().describe()) +
            " within " + std::to_string(budget.count()) + " ms of SIGTERM; nothing was started");
}

}  // namespace schedcp::plugins::runner
