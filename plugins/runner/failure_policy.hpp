// What the runner does when a scheduler ends without being asked (on_failure): nothing,
// restart it (exponential backoff with a cap, and a burst limit: N failures within T seconds
// and it gives up), or start a fallback configuration once (another scheduler, or "default":
// leave the kernel's own scheduler). The chain of executions one run_scheduler call led to
// shares one Supervision: its history of failures, restarts and fallbacks.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace schedcp::plugins::runner {

enum class FailurePolicy { none, restart, fallback };  // in the on_failure setting's order
std::string_view failure_policy_name(FailurePolicy p);
std::optional<FailurePolicy> parse_failure_policy(std::string_view name);

// A scheduler configuration to fall back to; name "default" stands for none of ours (the
// kernel's own scheduler).
struct LaunchConfig {
    std::string name;
    std::optional<std::vector<std::string>> args;
    std::optional<std::string> mode;

    bool kernel_default() const { return name == kKernelDefault; }
    boost::json::object to_json() const;
    // As a command line says it: "scx_lavd --mode gaming", "scx_rusty -- --slice-us 5000".
    std::string command_line() const;
    static constexpr std::string_view kKernelDefault = "default";
};

struct RestartLimits {
    int backoff_ms = 1000;       // before the first restart; doubled for each further failure
    int backoff_max_ms = 30000;  // ... up to this
    int burst = 5;               // this many failures ...
    int burst_seconds = 60;      // ... within this many seconds: give up
};

// The failures of a chain and what the next one leads to.
class RestartBudget {
  public:
    explicit RestartBudget(RestartLimits limits) : limits_(limits) {}
    struct Decision {
        bool give_up = false;
        std::chrono::milliseconds delay{0};
        std::string why;  // "gave up after 5 failures in 60 s" when giving up
    };
    Decision on_failure(std::chrono::steady_clock::time_point now);

  private:
    RestartLimits limits_;
    std::deque<std::chrono::steady_clock::time_point> failures_;  // within the window
};

struct PolicyEvent {
    std::int64_t at = 0;  // Unix seconds
    std::string event;    // failed, restarting, restarted, fallback, gave_up, not_restarted, ...
    std::string execution_id;
    std::string detail;
};

enum class SupervisionState {
    watching,     // the current execution runs (or starts); a failure leads to the policy
    backing_off,  // waiting before a restart
    fell_back,    // the fallback was started (or the kernel's default left): nothing more
    gave_up,      // the burst limit was reached, or a restart could not start
    ended,        // stopped on request, exited by itself, or left to someone else's scheduler
};

struct Supervision {
    FailurePolicy policy = FailurePolicy::none;
    LaunchConfig relaunch;                    // what a restart starts again
    bool cli = false, cli_sudo_flag = false;  // ... and how (schedcp-cli run, --sudo)
    std::optional<LaunchConfig> fallback;     // on_failure: fallback
    RestartBudget budget{RestartLimits{}};
    SupervisionState state = SupervisionState::watching;
    std::string current_execution_id;
    std::vector<std::string> execution_ids;  // every attempt, oldest first
    std::vector<PolicyEvent> history;

    void record(std::string event, std::string execution_id, std::string detail);
    boost::json::object to_json() const;
};

}  // namespace schedcp::plugins::runner
