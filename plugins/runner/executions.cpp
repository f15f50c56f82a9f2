#include "executions.hpp"

#include <unistd.h>

#include <chrono>
#include <random>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::runner {

namespace bj = boost::json;

boost::asio::awaitable<void> Wakeup::wait_until(std::chrono::steady_clock::time_point deadline) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, deadline);
    waiting_.push_back(&timer);
    boost::system::error_code ec;  // operation_aborted: notified
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    std::erase(waiting_, &timer);
}

void Wakeup::notify() {
    for (auto* t : waiting_) t->cancel();
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void Execution::add_line(std::string line) {
    line = sdk::text::sanitize(line, 4096);
    if (on_line) on_line(line);
    output.push_back(std::move(line));
    while (output.size() > output_limit) {
        output.pop_front();
        ++output_dropped;
    }
}

void Execution::release_lifeline() {
    if (lifeline >= 0) ::close(lifeline);
    lifeline = -1;
}

bj::object Execution::to_json(std::size_t lines) const {
    bj::array args_json, command_json, out, sigs;
    for (const auto& a : args) args_json.push_back(bj::string(a));
    for (const auto& c : command) command_json.push_back(bj::string(c));
    std::size_t first = (lines == 0 || lines >= output.size()) ? 0 : output.size() - lines;
    for (std::size_t i = first; i < output.size(); ++i) out.push_back(bj::string(output[i]));
    for (const auto& s : stop_signals) sigs.push_back(bj::string(s));
    auto opt = [](const auto& v) { return v ? bj::value(*v) : bj::value(nullptr); };
    bj::object o{
        {"execution_id", id},
        {"name", scheduler},
        {"scheduler_name", scheduler},
        {"command", program},
        {"argv", std::move(command_json)},
        {"args", std::move(args_json)},
        {"mode", mode.empty() ? bj::value(nullptr) : bj::value(mode)},
        {"privilege", privilege},
        {"status", sdk::services::execution_status_name(status)},
        {"message", message},
        {"pid", opt(pid)},
        {"started_at", started_at},
        {"start_time", started_at},
        {"ended_at", opt(ended_at)},
        {"end_time", opt(ended_at)},
        {"duration", ended_at ? bj::value(*ended_at - started_at) : bj::value(nullptr)},
        {"exit_code", opt(exit_code)},
        {"signal", signal ? bj::value(sdk::process::signal_name(*signal)) : bj::value(nullptr)},
        {"stop_signals", std::move(sigs)},
        {"exit_kind", opt(exit_report.kind)},
        {"exit_reason", opt(exit_report.reason)},
        {"exit_message", opt(exit_report.message)},
        {"kernel_message", opt(exit_report.kernel_message)},
        {"kernel_message_at", opt(exit_report.kernel_message_at)},
        {"expected_ops", expected_ops},
        {"observed_ops", opt(observed_ops)},
        {"output", std::move(out)},
        {"output_lines_dropped", output_dropped + first}};
    if (!kernel_log.unavailable().empty()) o["kernel_log_unavailable"] = kernel_log.unavailable();
    if (supervision) o["failure_policy"] = supervision->to_json();
    if (rollback)
        o["rollback"] = bj::object{
            {"reason", rollback->reason},
            {"restored_execution_id", rollback->restored_execution_id},
            {"restored_scheduler", rollback->restored_scheduler},
            {"restored_status", sdk::services::execution_status_name(rollback->restored_status)},
            {"restored_message", rollback->restored_message}};
    return o;
}

sdk::services::ExecutionSummary Execution::summary() const {
    sdk::services::ExecutionSummary s;
    s.execution_id = id;
    s.scheduler = scheduler;
    s.args = args;
    s.mode = mode;
    s.status = status;
    s.pid = pid;
    s.started_at = started_at;
    s.ended_at = ended_at;
    s.message = message;
    return s;
}

std::shared_ptr<Execution> ExecutionTable::add(std::shared_ptr<Execution> e) {
    list_.push_back(e);
    prune();
    return e;
}

void ExecutionTable::prune() {
    std::size_t finished = 0;
    for (const auto& e : list_) finished += e->ended() ? 1 : 0;
    for (auto it = list_.begin(); it != list_.end() && finished > max_finished_;) {
        if ((*it)->ended()) {
            it = list_.erase(it);
            --finished;
        } else {
            ++it;
        }
    }
}

std::shared_ptr<Execution> ExecutionTable::find(const std::string& id) const {
    for (const auto& e : list_)
        if (e->id == id) return e;
    return nullptr;
}

std::shared_ptr<Execution> ExecutionTable::live() const {
    for (auto it = list_.rbegin(); it != list_.rend(); ++it)
        if ((*it)->live()) return *it;
    return nullptr;
}

std::vector<std::shared_ptr<Execution>> ExecutionTable::all_newest_first() const {
    return {list_.rbegin(), list_.rend()};
}

std::vector<std::string> ExecutionTable::ids() const {
    std::vector<std::string> out;
    for (const auto& e : list_) out.push_back(e->id);
    return out;
}

std::string new_execution_id(const ExecutionTable& table, const std::string& prefix) {
    static std::random_device rd;
    static const char* hex = "0123456789abcdef";
    while (true) {
        std::string id = prefix;
        for (int i = 0; i < 8; ++i) id.push_back(hex[rd() % 16]);
        if (!table.find(id)) return id;
    }
}

}  // namespace schedcp::plugins::runner
