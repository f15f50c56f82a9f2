// The tasks of the MCP tasks extension (io.modelcontextprotocol/tasks, SEP-2663; served in
// the 2026-07-28 era): the state of tool calls that answered with a task handle and go on
// running in the background. One store per server (all sessions of an HTTP server share it:
// a 2026-07-28 request's session ends with its answer, its task does not).
//
// In memory only: a restart forgets every task (and cancels the running ones first).
// Bounded: at most `max_tasks` tasks are kept, at most `max_per_owner` per owner (the
// principal that created the task: the bearer token's id, or "local" without
// authorization), counting finished ones until they expire. A task expires `ttl` after its
// creation (a task still running then is cancelled); expired tasks are swept on every access,
// so nothing needs a timer. A task is visible to its owner only: another owner's task id is
// reported as unknown, exactly like an id that never existed.
//
// Not thread-safe: everything runs on the host's event loop.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/object.hpp>

namespace schedcp::host {
struct HostConfig;
}

namespace schedcp::host::mcp {

enum class TaskStatus { working, input_required, completed, failed, cancelled };

// The wire name ("working", "input_required", ...).
std::string_view to_string(TaskStatus status);

struct Task {
    std::string id;     // 128 random bits from getrandom(2), hex
    std::string owner;  // the principal's id
    TaskStatus status = TaskStatus::working;
    std::chrono::system_clock::time_point created_at;
    std::chrono::system_clock::time_point updated_at;
    std::chrono::steady_clock::time_point expires_at;
    boost::json::object result;           // completed: what the request would have answered
    boost::json::object error;            // failed: the JSON-RPC error object
    boost::json::object input_requests;   // input_required: key -> {method, params}, unanswered
    boost::json::object input_responses;  // answers tasks/update delivered, not yet taken
    // Set while the handler runs: stops it (as notifications/cancelled would), and wakes it
    // when answers arrive.
    std::function<void()> stop_handler;
    std::function<void()> wake_handler;

    bool terminal() const {
        return status == TaskStatus::completed || status == TaskStatus::failed ||
               status == TaskStatus::cancelled;
    }
};

struct TaskLimits {
    std::size_t max_tasks = 64;                            // server.max_tasks
    std::size_t max_per_owner = 32;                        // server.max_tasks_per_principal
    std::chrono::milliseconds ttl{std::chrono::hours(1)};  // server.task_ttl_seconds
};

// The limits the config sets (server.max_tasks, max_tasks_per_principal, task_ttl_seconds).
TaskLimits task_limits(const HostConfig& config);

class TaskStore {
  public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    explicit TaskStore(TaskLimits limits, Clock clock = &std::chrono::steady_clock::now)
        : limits_(limits), clock_(std::move(clock)) {}
    TaskStore(const TaskStore&) = delete;
    TaskStore& operator=(const TaskStore&) = delete;

    // A new working task of `owner`, or why there is no room for one (the limit named).
    std::variant<std::shared_ptr<Task>, std::string> create(const std::string& owner);
    // Whether `owner` could create a task now (the check create() makes).
    std::optional<std::string> full_for(const std::string& owner);
    // The task with this id if it exists, has not expired and belongs to `owner`.
    std::shared_ptr<Task> find(std::string_view id, std::string_view owner);

    // A status change (lastUpdatedAt moves). A terminal task keeps its status.
    void set_status(Task& task, TaskStatus status);
    // Cancels a task: a terminal one stays as it is (cancelling it again is no error); else
    // it becomes cancelled and its handler is stopped.
    void cancel(Task& task);
    // Server exit: every task still running is cancelled.
    void cancel_all();

    std::size_t size();
    const TaskLimits& limits() const { return limits_; }

  private:
    void sweep();

    TaskLimits limits_;
    Clock clock_;
    std::map<std::string, std::shared_ptr<Task>, std::less<>> tasks_;
};

}  // namespace schedcp::host::mcp
