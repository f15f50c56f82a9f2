// Child processes for plugins: spawn with argv only (never a shell), in a new process
// group, with an explicit environment, optional parent-death signal, and pipes; then
// await the exit from a coroutine (pidfd + Asio) without blocking the event loop.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk::process {

class Confinement;

struct ExitStatus {
    std::optional<int> code;    // exited normally with this code
    std::optional<int> signal;  // or was killed by this signal
    double cpu_seconds = 0;     // user + system CPU time it used (wait4's rusage)
    long max_rss_kib = 0;       // its peak resident set size
    // "exit code 3" / "killed by SIGKILL"
    SCHEDCP_SDK_API std::string describe() const;
    // The shell's convention: the code, or 128 + signal.
    int shell_code() const { return code ? *code : 128 + signal.value_or(0); }
};

struct SpawnOptions {
    std::vector<std::string> argv;  // argv[0]: absolute path of the program
    std::vector<std::string> env;   // the complete environment, "KEY=value"
    bool pipe_stdin = false;        // otherwise stdin is /dev/null
    bool capture_output = true;     // stdout and stderr into one pipe; otherwise inherited
    // With capture_output: stdout and stderr into two pipes (take_output / take_error), so a
    // child can keep a channel of its own apart from what it forwards.
    bool separate_stderr = false;
    bool new_process_group = true;  // the child leads its own group (signal it as a whole)
    int parent_death_signal = 0;    // PR_SET_PDEATHSIG, e.g. SIGTERM; 0 = none
    std::optional<std::filesystem::path> cwd;
    // Confines the child (Landlock, limits, user; see confinement.hpp). Must outlive
    // spawn(); applied after `cwd`, just before execve.
    const Confinement* confinement = nullptr;
};

// A spawned child. Owns its pipe ends and pidfd (spawn needs pidfd_open, Linux >= 5.3):
// every wait sleeps on the pidfd and wakes when the child exits. The destructor of a child
// that was never reaped sends SIGKILL and never waits: if the child is not gone at once, a
// process-wide reaper thread reaps it when its pidfd reports the exit, so no zombie or
// orphan is left behind and destroying a Child on the event loop never blocks it.
class SCHEDCP_SDK_API Child {
  public:
    Child() = default;
    Child(Child&& other) noexcept;
    Child& operator=(Child&& other) noexcept;
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child();

    pid_t pid() const { return pid_; }
    int pidfd() const { return pidfd_; }
    // Pipe ends; ownership passes to the caller (-1 when there is none).
    int take_stdin();
    int take_output();  // stdout (and stderr, unless separate_stderr)
    int take_error();   // stderr, with separate_stderr

    // Non-blocking: the status if it has exited (and reaps it).
    std::optional<ExitStatus> try_wait();
    // Blocking, bounded: the status, or nullopt on timeout. Sleeps on the pidfd, so it
    // returns as soon as the child exits. Blocks the calling thread: not on the event loop
    // (use async_wait there).
    std::optional<ExitStatus> wait_for(std::chrono::milliseconds timeout);
    bool reaped() const { return status_.has_value(); }
    // Once reaped: closes the pidfd and every pipe end not taken, keeping the status. A
    // finished child then holds no descriptor.
    void close_descriptors();
    const std::optional<ExitStatus>& status() const { return status_; }

    // Sends `sig` to the child's process group (or the child when it has none).
    void signal(int sig) const;

  private:
    friend SCHEDCP_SDK_API Child spawn(const SpawnOptions& options);
    pid_t pid_ = -1;
    int pidfd_ = -1;
    int stdin_ = -1;
    int output_ = -1;
    int error_ = -1;
    bool own_group_ = false;
    std::optional<ExitStatus> status_;
};

// Spawns the child. Throws sdk::Unavailable when the program cannot be executed (with
// the errno text, e.g. "No such file or directory"), sdk::Internal on other failures.
SCHEDCP_SDK_API Child spawn(const SpawnOptions& options);

// Blocking, bounded: waits for all of `children` at once (one budget for all, not one per
// child), reaping each as it exits; returns when all are reaped or `timeout` has passed.
// Null entries are skipped.
SCHEDCP_SDK_API void wait_all_for(const std::vector<Child*>& children,
                                  std::chrono::milliseconds timeout);

// Awaits the child's exit without blocking the executor; returns its status.
SCHEDCP_SDK_API boost::asio::awaitable<ExitStatus> async_wait(Child& child);

// A minimal, secret-free environment for children: PATH (or a safe default), HOME,
// LANG/LC_ALL, TERM, and nothing else.
SCHEDCP_SDK_API std::vector<std::string> clean_environment();

// "SIGINT" for 2, etc.
SCHEDCP_SDK_API std::string signal_name(int sig);

}  // namespace schedcp::sdk::process
