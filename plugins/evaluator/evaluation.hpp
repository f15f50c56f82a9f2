// One evaluation: runs the workload under each scheduler configuration in the planned
// order (warm-up runs first, then the counted ones, interleaved or blocked), through the
// runner's SchedulerRunner service and nothing else; observes each counted run through the
// monitor's WorkloadMonitor service (CPU, run-queue latency) when it is loaded; records
// counted runs in a workload's history through WorkloadHistory, many in one durable write
// (at the end, or once the oldest unrecorded run has waited history_commit_seconds; a run
// shows its history_id once it is written); reports progress per run; can be cancelled at any
// moment (the workload's process group killed, the scheduler stopped); and leaves
// sched_ext as it found it (nothing loaded, or this server's scheduler running again with
// its arguments). A scheduler loaded by someone else is refused before anything runs.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include "benchmarks.hpp"
#include "evaluation_spec.hpp"
#include "schedcp/sdk/log.hpp"
#include "schedcp/sdk/services/scheduler_catalog.hpp"
#include "schedcp/sdk/services/scheduler_runner.hpp"
#include "schedcp/sdk/services/workload_history.hpp"
#include "schedcp/sdk/services/workload_monitor.hpp"
#include "workload_process.hpp"

namespace schedcp::plugins::evaluator {

enum class EvaluationState { running, completed, cancelled, failed };
std::string_view state_name(EvaluationState s);

struct PlannedRun {
    std::size_t configuration = 0;
    bool counted = true;
};

// Warm-up rounds, then counted rounds; each round visits every configuration
// (interleaved), or each configuration does all of its runs in turn (blocked).
std::vector<PlannedRun> plan_runs(std::size_t configurations, int warmup, int repeats, Order order);

struct RunRecord {
    int number = 0;  // 1-based position in the plan
    std::size_t configuration = 0;
    bool counted = true;
    bool ok = false;
    std::optional<double> figure;
    Figures figures;  // everything a parser found
    double wall_seconds = 0;
    std::string execution_id;  // the runner's, "" under default
    std::string error;         // why it failed
    std::string output;        // a failed run's output (its end)
    std::optional<std::string> history_id;
    // What the monitor saw while it ran (counted runs that ran, when observed).
    std::optional<sdk::services::RunObservation> observed;
};

struct EvaluationServices {
    std::shared_ptr<sdk::services::SchedulerRunner> runner;    // required
    std::shared_ptr<sdk::services::SchedulerCatalog> catalog;  // names checked when present
    std::shared_ptr<sdk::services::WorkloadHistory> history;   // needed for workload_id
    std::shared_ptr<sdk::services::WorkloadMonitor> monitor;   // observes runs when present
    int history_commit_seconds = 60;                           // EvaluatorLimits'
    boost::asio::any_io_executor blocking;                     // the worker pool
    sdk::Logger* log = nullptr;
};

class Evaluation {
  public:
    using Progress = std::function<void(int done, int total, const std::string& message)>;

    Evaluation(std::string id, EvaluationSpec spec, EvaluationServices services);

    // The checks made before anything runs (sched_ext, someone else's scheduler, names,
    // the profile, drop_caches without root); throws the sdk error that explains.
    boost::asio::awaitable<void> check();
    // Runs every planned run and restores sched_ext. Never throws: failures end in state
    // failed with `error`.
    boost::asio::awaitable<void> run();
    // Stops at once: the workload killed, the settle wait ended; run() then stops the
    // scheduler and restores. Safe to call at any time, more than once.
    void cancel();

    const std::string& id() const { return id_; }
    EvaluationState state() const { return state_; }
    // The runs are over; sched_ext is being restored and the history written (a cancel now
    // has nothing left to stop).
    bool finishing() const { return finishing_; }
    const EvaluationSpec& spec() const { return spec_; }
    const std::vector<RunRecord>& runs() const { return runs_; }
    int total_runs() const { return static_cast<int>(plan_.size()); }
    const std::string& error() const { return error_; }
    const std::string& restored() const { return restored_; }
    // Why the runs were not observed ("" when they were).
    const std::string& unobserved() const { return unobserved_; }
    void on_progress(Progress p) { progress_ = std::move(p); }
    // Called once when run() ends.
    void on_finished(std::function<void()> f) { finished_ = std::move(f); }

  private:
    boost::asio::awaitable<void> run_all();
    boost::asio::awaitable<void> switch_to(std::size_t configuration, RunRecord& record);
    boost::asio::awaitable<void> stop_current();
    boost::asio::awaitable<void> restore();
    boost::asio::awaitable<void> pause(std::chrono::milliseconds how_long);
    void measure(const ProcessOutcome& p, RunRecord& r) const;
    boost::asio::awaitable<void> open_observer();
    boost::asio::awaitable<ProcessOutcome> run_workload(bool observe, RunRecord& r);
    void queue_history(std::size_t run_index);
    // Writes the queued history records in one durable write; with `due_only`, only once
    // the oldest has waited history_commit_seconds.
    boost::asio::awaitable<void> commit_history(bool due_only);
    std::string describe(const RunRecord& r) const;

    std::string id_;
    EvaluationSpec spec_;
    EvaluationServices services_;
    std::vector<PlannedRun> plan_;
    std::vector<RunRecord> runs_;
    EvaluationState state_ = EvaluationState::running;
    std::string error_;
    std::string restored_;  // what sched_ext was left as, in words
    std::unique_ptr<sdk::services::RunObserver> observer_;
    std::string unobserved_;
    struct PendingRecord {
        std::size_t run_index;
        sdk::services::HistoryRecord record;
    };
    std::vector<PendingRecord> pending_history_;
    std::chrono::steady_clock::time_point oldest_pending_;

    std::optional<sdk::services::ExecutionSummary> before_;   // this server's, when we began
    std::optional<sdk::services::ExecutionSummary> current_;  // the one we run now
    std::optional<std::size_t> current_configuration_;
    std::vector<std::string> broken_;  // per configuration: why its scheduler cannot start
    bool cancelled_ = false;
    Killer kill_workload_;
    boost::asio::steady_timer* pausing_ = nullptr;
    Progress progress_;
    std::function<void()> finished_;
    bool finishing_ = false;
};

}  // namespace schedcp::plugins::evaluator
