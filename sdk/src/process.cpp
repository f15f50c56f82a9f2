#include "schedcp/sdk/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "schedcp/sdk/confinement.hpp"
#include "schedcp/sdk/error.hpp"

namespace schedcp::sdk::process {

namespace {

ExitStatus decode(int st, const rusage& ru) {
    ExitStatus s;
    s.cpu_seconds = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                    static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    s.max_rss_kib = ru.ru_maxrss;
    if (WIFEXITED(st))
        s.code = WEXITSTATUS(st);
    else if (WIFSIGNALED(st))
        s.signal = WTERMSIG(st);
    return s;
}

// What a child that could not exec writes to the parent.
struct SpawnFailure {
    int err;
    const char* step;  // the setup step that failed (a string literal), or null for execve
};

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// Reaps `pid` if it has exited: true once it is gone (reaped here, or not our child).
bool reap_if_exited(pid_t pid) {
    pid_t r = ::waitpid(pid, nullptr, WNOHANG);
    return r == pid || (r < 0 && errno == ECHILD);
}

// Sleeps until `pidfd` reports its process's exit (a pidfd polls readable once the process
// has exited) or `timeout` passes; a signal may end it early (callers loop).
void poll_pidfd(int pidfd, std::chrono::milliseconds timeout) {
    pollfd p{.fd = pidfd, .events = POLLIN, .revents = 0};
    (void)::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(timeout.count(), 1 << 30)));
}

// Reaps the children of Childs destroyed before their child was reaped. ~Child runs on the
// event loop (an execution or a compile dropped there), so it must not wait for a process
// to die, even a SIGKILLed one (it may sit in uninterruptible sleep for a while): it kills
// and hands the pid and its pidfd over, and this thread reaps each as soon as its pidfd
// reports the exit, so no zombie is left behind. One thread for the process, started on
// first use and never joined; its state is never freed, so it stays valid while static
// destructors run at exit.
class Reaper {
  public:
    static Reaper& instance() {
        static Reaper* const reaper = new Reaper();
        return *reaper;
    }

    // Takes ownership of `pidfd`.
    void adopt(pid_t pid, int pidfd) {
        {
            std::lock_guard lock(mutex_);
            handed_over_.emplace_back(pid, pidfd);
        }
        const std::uint64_t one = 1;
        (void)!::write(wake_, &one, sizeof one);
    }

  private:
    Reaper() : wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
        std::thread([this] { run(); }).detach();
    }

    void run() {
        std::vector<std::pair<pid_t, int>> dying;  // pid, pidfd
        std::vector<pollfd> fds;
        while (true) {
            {
                std::lock_guard lock(mutex_);
                for (auto& d : handed_over_) dying.push_back(d);
                handed_over_.clear();
            }
            fds.assign(1, pollfd{.fd = wake_, .events = POLLIN, .revents = 0});
            for (const auto& [pid, pidfd] : dying)
                fds.push_back(pollfd{.fd = pidfd, .events = POLLIN, .revents = 0});
            if (::poll(fds.data(), fds.size(), -1) < 0) continue;  // EINTR
            std::uint64_t count;
            (void)!::read(wake_, &count, sizeof count);
            for (std::size_t i = dying.size(); i-- > 0;) {
                if (fds[i + 1].revents == 0 || !reap_if_exited(dying[i].first)) continue;
                ::close(dying[i].second);
                dying.erase(dying.begin() + static_cast<std::ptrdiff_t>(i));
            }
        }
    }

    std::mutex mutex_;
    std::vector<std::pair<pid_t, int>> handed_over_;
    const int wake_;  // eventfd: something was handed over
};

}  // namespace

std::string signal_name(int sig) {
    switch (sig) {
        case SIGHUP:
            return "SIGHUP";
        case SIGINT:
            return "SIGINT";
        case SIGQUIT:
            return "SIGQUIT";
        case SIGILL:
            return "SIGILL";
        case SIGABRT:
            return "SIGABRT";
        case SIGBUS:
            return "SIGBUS";
        case SIGFPE:
            return "SIGFPE";
        case SIGKILL:
            return "SIGKILL";
        case SIGSEGV:
            return "SIGSEGV";
        case SIGPIPE:
            return "SIGPIPE";
        case SIGALRM:
            return "SIGALRM";
        case SIGTERM:
            return "SIGTERM";
        case SIGUSR1:
            return "SIGUSR1";
        case SIGUSR2:
            return "SIGUSR2";
        default:
            return "signal " + std::to_string(sig);
    }
}

std::string ExitStatus::describe() const {
    if (code) return "exit code " + std::to_string(*code);
    if (signal) return "killed by " + signal_name(*signal);
    return "unknown exit";
}

Child::Child(Child&& o) noexcept
    : pid_(o.pid_),
      pidfd_(o.pidfd_),
      stdin_(o.stdin_),
      output_(o.output_),
      error_(o.error_),
      own_group_(o.own_group_),
      status_(o.status_) {
    o.pid_ = -1;
    o.pidfd_ = o.stdin_ = o.output_ = o.error_ = -1;
}

Child& Child::operator=(Child&& o) noexcept {
    if (this != &o) {
        this->~Child();
        new (this) Child(std::move(o));
    }
    return *this;
}

Child::~Child() {
    if (pid_ > 0 && !status_) {
        // Never waits (see Reaper): kill, and reap now only if it is already gone.
        signal(SIGKILL);
        if (!try_wait() && pidfd_ >= 0) {
            Reaper::instance().adopt(pid_, std::exchange(pidfd_, -1));
        }
    }
    close_fd(stdin_);
    close_fd(output_);
    close_fd(error_);
    close_fd(pidfd_);
}

void Child::close_descriptors() {
    if (!status_) return;
    close_fd(stdin_);
    close_fd(output_);
    close_fd(error_);
    close_fd(pidfd_);
}

int Child::take_stdin() {
    int fd = stdin_;
    stdin_ = -1;
    return fd;
}

int Child::take_output() {
    int fd = output_;
    output_ = -1;
    return fd;
}

int Child::take_error() {
    int fd = error_;
    error_ = -1;
    return fd;
}

std::optional<ExitStatus> Child::try_wait() {
    if (status_ || pid_ <= 0) return status_;
    int st = 0;
    rusage ru{};
    pid_t r = ::wait4(pid_, &st, WNOHANG, &ru);
    if (r == pid_) status_ = decode(st, ru);
    return status_;
}

std::optional<ExitStatus> Child::wait_for(std::chrono::milliseconds timeout) {
    if (pidfd_ < 0) return try_wait();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!try_wait()) {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline -
                                                                 std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        poll_pidfd(pidfd_, left);  // wakes when the child exits
    }
    return status_;
}

void wait_all_for(const std::vector<Child*>& children, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::vector<pollfd> fds;
    std::vector<Child*> running;
    while (true) {
        fds.clear();
        running.clear();
        for (Child* c : children)
            if (c && !c->try_wait() && c->pidfd() >= 0) {
                running.push_back(c);
                fds.push_back(pollfd{.fd = c->pidfd(), .events = POLLIN, .revents = 0});
            }
        auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline -
                                                                 std::chrono::steady_clock::now());
        if (running.empty() || left.count() <= 0) return;
        // Wakes on the first exit of any of them; the loop reaps it and waits for the rest.
        (void)::poll(fds.data(), fds.size(),
                     static_cast<int>(std::min<std::int64_t>(left.count(), 1 << 30)));
    }
}

void Child::signal(int sig) const {
    if (pid_ <= 0 || status_) return;
    if (own_group_)
        ::kill(-pid_, sig);
    else
        ::kill(pid_, sig);
}

Child spawn(const SpawnOptions& o) {
    if (o.argv.empty() || o.argv[0].empty() || o.argv[0][0] != '/')
        throw Internal("spawn: argv[0] must be an absolute path");
    // Everything the child needs is prepared before fork(): after it, only
    // async-signal-safe calls (the parent may have other threads).
    std::vector<char*> argv, envp;
    for (const auto& a : o.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (const auto& e : o.env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    std::string cwd = o.cwd ? o.cwd->string() : std::string();

    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, err_pipe[2] = {-1, -1};
    auto fail = [&](const char* what) {
        int e = errno;
        for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1], err_pipe[0], err_pipe[1]})
            if (fd >= 0) ::close(fd);
        throw Internal(std::string("spawn ") + o.argv[0] + ": " + what + ": " + std::strerror(e));
    };
    if (o.pipe_stdin && ::pipe2(in, O_CLOEXEC) != 0) fail("pipe");
    if (o.capture_output && ::pipe2(out, O_CLOEXEC) != 0) fail("pipe");
    if (o.capture_output && o.separate_stderr && ::pipe2(err, O_CLOEXEC) != 0) fail("pipe");
    if (::pipe2(err_pipe, O_CLOEXEC) != 0) fail("pipe");  // reports exec failure
    const pid_t parent = ::getpid();

    pid_t pid = ::fork();
    if (pid < 0) fail("fork");
    if (pid == 0) {
        auto die = [&](int e, const char* step = nullptr) {
            SpawnFailure f{e, step};
            (void)!::write(err_pipe[1], &f, sizeof f);
            ::_exit(127);
        };
        if (o.parent_death_signal) {
            if (::prctl(PR_SET_PDEATHSIG, o.parent_death_signal) != 0) die(errno);
            if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
        }
        if (o.new_process_group && ::setpgid(0, 0) != 0) die(errno);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int s = 1; s < NSIG; ++s)
            if (s != SIGKILL && s != SIGSTOP) ::signal(s, SIG_DFL);
        int devnull = ::open("/dev/null", O_RDWR);
        if (devnull < 0) die(errno);
        if (::dup2(o.pipe_stdin ? in[0] : devnull, 0) < 0) die(errno);
        if (o.capture_output) {
            if (::dup2(out[1], 1) < 0 || ::dup2(err[1] >= 0 ? err[1] : out[1], 2) < 0) die(errno);
        }
        if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) die(errno, "chdir");
        if (o.confinement) {
            const char* step = nullptr;
            if (int e = o.confinement->apply_in_child(&step)) die(e, step);
            // Changing credentials cleared the parent-death signal: set it again.
            if (o.parent_death_signal) {
                if (::prctl(PR_SET_PDEATHSIG, o.parent_death_signal) != 0) die(errno, "prctl");
                if (::getppid() != parent) ::_exit(127);
            }
        }
        // Pipes were opened O_CLOEXEC; other descriptors of the host must not leak either.
        ::syscall(SYS_close_range, 3u, ~0u, 4u /* CLOSE_RANGE_CLOEXEC */);
        ::execve(argv[0], argv.data(), envp.data());
        die(errno);
    }

    // The pidfd is what every wait sleeps on (Linux >= 5.3; sched_ext needs 6.12). Opened
    // before anyone can reap the child, so it names this very process.
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) {
        int e = errno;
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);  // just forked and killed: gone at once
        errno = e;
        fail("pidfd_open (Linux >= 5.3 is needed)");
    }
    ::close(err_pipe[1]);
    if (in[0] >= 0) ::close(in[0]);
    if (out[1] >= 0) ::close(out[1]);
    if (err[1] >= 0) ::close(err[1]);
    SpawnFailure failure{};
    ssize_t n;
    do {
        n = ::read(err_pipe[0], &failure, sizeof failure);
    } while (n < 0 && errno == EINTR);
    ::close(err_pipe[0]);

    Child c;
    c.pid_ = pid;
    c.own_group_ = o.new_process_group;
    c.stdin_ = in[1];
    c.output_ = out[0];
    c.error_ = err[0];
    c.pidfd_ = pidfd;
    if (n == static_cast<ssize_t>(sizeof failure)) {
        c.wait_for(std::chrono::seconds(5));
        // `step` points at a string literal: the same address in the parent after fork.
        throw Unavailable("cannot run " + o.argv[0] + ": " +
                          (failure.step ? std::string(failure.step) + ": " : std::string()) +
                          std::strerror(failure.err));
    }
    return c;
}

boost::asio::awaitable<ExitStatus> async_wait(Child& child) {
    if (auto st = child.try_wait()) co_return *st;
    if (child.pidfd() < 0) throw Internal("async_wait: the child was never spawned");
    // A pidfd becomes readable when the process exits. Wait on a duplicate so the Child
    // keeps its own descriptor.
    const int dup = ::fcntl(child.pidfd(), F_DUPFD_CLOEXEC, 3);
    if (dup < 0)
        throw Internal(std::string("async_wait: dup of the pidfd: ") + std::strerror(errno));
    boost::asio::posix::stream_descriptor fd(co_await boost::asio::this_coro::executor, dup);
    while (!child.try_wait())
        co_await fd.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                               boost::asio::use_awaitable);
    co_return *child.status();
}

std::vector<std::string> clean_environment() {
    std::vector<std::string> env;
    const char* path = std::getenv("PATH");
    env.push_back(
        std::string("PATH=") +
        (path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
    for (const char* key : {"HOME", "LANG", "LC_ALL", "TERM"})
        if (const char* v = std::getenv(key)) env.push_back(std::string(key) + "=" + v);
    return env;
}

}  // namespace schedcp::sdk::process
