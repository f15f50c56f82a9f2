#include "task_store.hpp"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "../../config.hpp"

namespace schedcp::host::mcp {

namespace {

// 128 bits from getrandom(2): a task id is the only thing that names a task on the wire,
// so it must not be guessable (ownership is checked as well).
std::string new_task_id() {
    std::array<unsigned char, 16> bytes{};
    std::size_t filled = 0;
    while (filled < bytes.size()) {
        const ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "getrandom");
        }
        filled += static_cast<std::size_t>(n);
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id;
    id.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        id += kHex[b >> 4];
        id += kHex[b & 0xf];
    }
    return id;
}

}  // namespace

TaskLimits task_limits(const HostConfig& config) {
    return TaskLimits{.max_tasks = config.max_tasks,
                      .max_per_owner = config.max_tasks_per_principal,
                      .ttl = std::chrono::seconds(config.task_ttl_seconds)};
}

std::string_view to_string(TaskStatus status) {
    switch (status) {
        case TaskStatus::working:
            return "working";
        case TaskStatus::input_required:
            return "input_required";
        case TaskStatus::completed:
            return "completed";
        case TaskStatus::failed:
            return "failed";
        case TaskStatus::cancelled:
            return "cancelled";
    }
    return "working";
}

void TaskStore::sweep() {
    const auto now = clock_();
    for (auto it = tasks_.begin(); it != tasks_.end();) {
        if (it->second->expires_at <= now) {
            cancel(*it->second);  // a task still running past its TTL is stopped
            it = tasks_.erase(it);
        } else {
            ++it;
        }
    }
}

std::optional<std::string> TaskStore::full_for(const std::string& owner) {
    sweep();
    if (tasks_.size() >= limits_.max_tasks)
        return "the server keeps " + std::to_string(tasks_.size()) +
               " tasks already (server.max_tasks); one is freed when it expires, " +
               std::to_string(limits_.ttl.count() / 1000) + " s after its creation";
    std::size_t own = 0;
    for (const auto& [id, task] : tasks_)
        if (task->owner == owner) ++own;
    if (own >= limits_.max_per_owner)
        return "'" + owner + "' has " + std::to_string(own) +
               " tasks already (server.max_tasks_per_principal); one is freed when it expires, " +
               std::to_string(limits_.ttl.count() / 1000) + " s after its creation";
    return std::nullopt;
}

std::variant<std::shared_ptr<Task>, std::string> TaskStore::create(const std::string& owner) {
    if (auto why = full_for(owner)) return std::move(*why);
    auto task = std::make_shared<Task>();
    do {
        task->id = new_task_id();
    } while (tasks_.count(task->id));
    task->owner = owner;
    task->created_at = task->updated_at = std::chrono::system_clock::now();
    task->expires_at = clock_() + limits_.ttl;
    tasks_.emplace(task->id, task);
    return task;
}

std::shared_ptr<Task> TaskStore::find(std::string_view id, std::string_view owner) {
    sweep();
    auto it = tasks_.find(id);
    if (it == tasks_.end() || it->second->owner != owner) return nullptr;
    return it->second;
}

void TaskStore::set_status(Task& task, TaskStatus status) {
    if (task.terminal()) return;
    task.status = status;
    task.updated_at = std::chrono::system_clock::now();
    if (task.terminal()) {
        task.input_requests.clear();
        task.input_responses.clear();
    }
}

void TaskStore::cancel(Task& task) {
    if (task.terminal()) return;
    set_status(task, TaskStatus::cancelled);
    // Moved out first: stopping may run code that touches the task again.
    auto stop = std::move(task.stop_handler);
    task.stop_handler = nullptr;
    task.wake_handler = nullptr;
    if (stop) stop();
}

void TaskStore::cancel_all() {
    for (auto& [id, task] : tasks_) cancel(*task);
}

std::size_t TaskStore::size() {
    sweep();
    return tasks_.size();
}

}  // namespace schedcp::host::mcp
