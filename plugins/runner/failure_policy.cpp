#include "failure_policy.hpp"

#include <algorithm>
#include <array>

#include <boost/json/array.hpp>

#include "executions.hpp"

namespace schedcp::plugins::runner {

namespace bj = boost::json;

namespace {
constexpr std::array<std::string_view, 3> kPolicyNames{"none", "restart", "fallback"};

std::string_view state_name(SupervisionState s) {
    switch (s) {
        case SupervisionState::watching:
            return "watching";
        case SupervisionState::backing_off:
            return "backing_off";
        case SupervisionState::fell_back:
            return "fell_back";
        case SupervisionState::gave_up:
            return "gave_up";
        case SupervisionState::ended:
            break;
    }
    return "ended";
}
}  // namespace

std::string_view failure_policy_name(FailurePolicy p) {
    return kPolicyNames[static_cast<std::size_t>(p)];
}

std::optional<FailurePolicy> parse_failure_policy(std::string_view name) {
    for (std::size_t i = 0; i < kPolicyNames.size(); ++i)
        if (kPolicyNames[i] == name) return static_cast<FailurePolicy>(i);
    return std::nullopt;
}

std::string LaunchConfig::command_line() const {
    std::string s = name;
    if (mode) s += " --mode " + *mode;
    if (args && !args->empty()) {
        s += " --";
        for (const auto& a : *args) s += " " + a;
    }
    return s;
}

bj::object LaunchConfig::to_json() const {
    bj::object o{{"name", name}};
    if (args) {
        bj::array a;
        for (const auto& x : *args) a.push_back(bj::string(x));
        o["args"] = std::move(a);
    }
    if (mode) o["mode"] = *mode;
    return o;
}

RestartBudget::Decision RestartBudget::on_failure(std::chrono::steady_clock::time_point now) {
    const auto window = std::chrono::seconds(limits_.burst_seconds);
    failures_.push_back(now);
    while (!failures_.empty() && now - failures_.front() > window) failures_.pop_front();
    if (failures_.size() >= static_cast<std::size_t>(limits_.burst))
        return {.give_up = true,
                .delay = {},
                .why = "gave up after " + std::to_string(failures_.size()) + " failures in " +
                       std::to_string(limits_.burst_seconds) + " s"};
    // 1x, 2x, 4x ... the first backoff for the failures still in the window, up to the cap.
    long long delay = limits_.backoff_ms;
    for (std::size_t i = 1; i < failures_.size() && delay < limits_.backoff_max_ms; ++i) delay *= 2;
    return {.give_up = false,
            .delay = std::chrono::milliseconds(std::min<long long>(delay, limits_.backoff_max_ms)),
            .why = {}};
}

void Supervision::record(std::string event, std::string execution_id, std::string detail) {
    history.push_back({.at = unix_now(),
                       .event = std::move(event),
                       .execution_id = std::move(execution_id),
                       .detail = std::move(detail)});
}

bj::object Supervision::to_json() const {
    bj::array events, ids;
    for (const auto& h : history)
        events.push_back(bj::object{{"at", h.at},
                                    {"event", h.event},
                                    {"execution_id", h.execution_id},
                                    {"detail", h.detail}});
    for (const auto& id : execution_ids) ids.push_back(bj::string(id));
    return bj::object{{"on_failure", failure_policy_name(policy)},
                      {"fallback", fallback ? bj::value(fallback->to_json()) : bj::value(nullptr)},
                      {"state", state_name(state)},
                      {"current_execution_id", current_execution_id},
                      {"execution_ids", std::move(ids)},
                      {"history", std::move(events)}};
}

}  // namespace schedcp::plugins::runner
