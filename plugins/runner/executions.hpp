// One scheduler run (an "execution") and the table of them: what was started, how,
// what it printed (a bounded ring buffer), and how it ended.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include "exit_report.hpp"
#include "failure_policy.hpp"
#include "kmsg_reader.hpp"
#include "schedcp/sdk/process.hpp"
#include "schedcp/sdk/services/scheduler_runner.hpp"

namespace schedcp::plugins::runner {

// Wakes the coroutines that wait for something to change (an execution ended, a channel
// closed), so waiting is event-driven instead of a polling loop. Single-threaded: used on
// the host's event loop only.
class Wakeup {
  public:
    // Returns when notify() is called or at `deadline`, whichever is first.
    boost::asio::awaitable<void> wait_until(std::chrono::steady_clock::time_point deadline);
    void notify();

  private:
    std::vector<boost::asio::steady_timer*> waiting_;
};

// A switch (replace: true) whose new scheduler did not reach enabled: the previous
// configuration started again, and how that went.
struct Rollback {
    std::string reason;  // why the new one was given up
    std::string restored_execution_id;
    std::string restored_scheduler;
    sdk::services::ExecutionStatus restored_status = sdk::services::ExecutionStatus::starting;
    std::string restored_message;
};

struct Execution {
    std::string id;
    std::string scheduler;             // catalog name
    std::vector<std::string> args;     // as given (or from the mode)
    std::string mode;                  // scx_loader mode, "" when args were given
    std::string program;               // the executable (or the loader, for custom schedulers)
    std::vector<std::string> command;  // program + its arguments, as executed under the guard
    std::string privilege;             // root, sudo -n, sudo -S
    std::string expected_ops;          // the ops name sched_ext should report
    std::optional<std::string> observed_ops;

    sdk::services::ExecutionStatus status = sdk::services::ExecutionStatus::starting;
    std::string message;              // what happened, in words
    std::optional<std::int64_t> pid;  // the scheduler's pid (reported by the guard)
    std::int64_t guard_pid = 0;
    std::int64_t started_at = 0;  // Unix seconds
    std::optional<std::int64_t> ended_at;
    std::optional<int> exit_code;
    std::optional<int> signal;
    bool stop_requested = false;
    std::vector<std::string> stop_signals;  // SIGINT, SIGTERM, SIGKILL as the guard sent them
    ExitReport exit_report;  // why it ended, from its own output and the kernel's log
    KmsgReader kernel_log;   // the kernel's log since it started (closed when it ends)
    std::shared_ptr<Supervision> supervision;  // its run's failure policy (none: nullptr)
    std::optional<Rollback> rollback;          // it replaced one and failed: what was restored

    std::deque<std::string> output;
    std::size_t output_limit = 200;
    std::size_t output_dropped = 0;
    std::function<void(const std::string&)> on_line;  // live followers (the CLI's `run`)

    sdk::process::Child child;
    int lifeline = -1;  // write end of the guard's stdin

    // The guard's channels (guard_channels.hpp): the followers' state.
    int status_fd = -1;           // read end of the status channel while it is followed
    bool guard_reported = false;  // a valid status record arrived
    std::string sudo_prompt;      // the -p prompt to answer ("" without a password)
    bool password_sent = false;
    std::size_t protocol_errors = 0;  // invalid status lines (logged, then ignored)
    int channels_open = 0;            // followers still reading
    Wakeup changed;                   // ended, or a channel closed

    bool ended() const { return ended_at.has_value(); }
    bool live() const { return !ended(); }
    void add_line(std::string line);
    // Closes the lifeline: the guard then stops the scheduler (SIGINT, SIGTERM, SIGKILL).
    void release_lifeline();

    // The tool/CLI rendering; `lines` caps the output returned (0 = all kept).
    boost::json::object to_json(std::size_t lines = 0) const;
    sdk::services::ExecutionSummary summary() const;
};

class ExecutionTable {
  public:
    explicit ExecutionTable(std::size_t max_finished = 50) : max_finished_(max_finished) {}
    std::shared_ptr<Execution> add(std::shared_ptr<Execution> e);
    // Forgets the oldest finished executions beyond max_finished (their descriptors are
    // already closed); live ones are always kept.
    void prune();
    std::shared_ptr<Execution> find(const std::string& id) const;
    std::shared_ptr<Execution> live() const;  // the one that is starting or running
    std::vector<std::shared_ptr<Execution>> all_newest_first() const;
    std::vector<std::string> ids() const;

  private:
    std::size_t max_finished_;
    std::vector<std::shared_ptr<Execution>> list_;  // oldest first
};

// "sched_" + 8 random hex digits (SchedCP's format), unique in `table`.
std::string new_execution_id(const ExecutionTable& table, const std::string& prefix = "sched_");

std::int64_t unix_now();

}  // namespace schedcp::plugins::runner
