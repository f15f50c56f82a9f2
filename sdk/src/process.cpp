#include "schedcp/sdk/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
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
        signal(SIGKILL);
        wait_for(std::chrono::seconds(5));
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
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!try_wait()) {
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return status_;
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
    if (n == static_cast<ssize_t>(sizeof failure)) {
        c.wait_for(std::chrono::seconds(5));
        // `step` points at a string literal: the same address in the parent after fork.
        throw Unavailable("cannot run " + o.argv[0] + ": " +
                          (failure.step ? std::string(failure.step) + ": " : std::string()) +
                          std::strerror(failure.err));
    }
    c.pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    return c;
}

boost::asio::awaitable<ExitStatus> async_wait(Child& child) {
    if (auto st = child.try_wait()) co_return *st;
    auto ex = co_await boost::asio::this_coro::executor;
    if (child.pidfd() >= 0) {
        // A pidfd becomes readable when the process exits. Wait on a duplicate so the
        // Child keeps its own descriptor.
        boost::asio::posix::stream_descriptor fd(ex, ::fcntl(child.pidfd(), F_DUPFD_CLOEXEC, 3));
        while (!child.try_wait())
            co_await fd.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                                   boost::asio::use_awaitable);
        co_return *child.status();
    }
    // No pidfd (very old kernel): poll.
    boost::asio::steady_timer timer(ex);
    while (!child.try_wait()) {
        timer.expires_after(std::chrono::milliseconds(20));
        co_await timer.async_wait(boost::asio::use_awaitable);
    }
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
