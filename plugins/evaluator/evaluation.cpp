#include "evaluation.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "schedcp/sdk/blocking.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::evaluator {

namespace asio = boost::asio;
using sdk::services::ExecutionStatus;

namespace {

constexpr std::size_t kFailedOutputBytes = 4096;

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
}

// The figure a regular expression's last match captured.
std::optional<double> regex_figure(const std::regex& re, const std::string& output) {
    std::optional<double> figure;
    for (auto it = std::sregex_iterator(output.begin(), output.end(), re);
         it != std::sregex_iterator(); ++it) {
        const std::string text = (*it)[1].str();
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        figure = (!text.empty() && end == text.c_str() + text.size() && std::isfinite(v))
                     ? std::optional<double>(v)
                     : std::nullopt;
    }
    return figure;
}

void drop_page_cache() {
    ::sync();
    std::ofstream f("/proc/sys/vm/drop_caches");
    f << "3\n";
    f.flush();
    if (!f) throw sdk::Unavailable("could not write /proc/sys/vm/drop_caches");
}

}  // namespace

std::string_view state_name(EvaluationState s) {
    switch (s) {
        case EvaluationState::running:
            return "running";
        case EvaluationState::completed:
            return "completed";
        case EvaluationState::cancelled:
            return "cancelled";
        case EvaluationState::failed:
            break;
    }
    return "failed";
}

std::vector<PlannedRun> plan_runs(std::size_t configurations, int warmup, int repeats,
                                  Order order) {
    std::vector<PlannedRun> plan;
    auto rounds = [&](int count, bool counted, std::size_t only, bool all) {
        for (int r = 0; r < count; ++r)
            for (std::size_t c = 0; c < configurations; ++c)
                if (all || c == only) plan.push_back({.configuration = c, .counted = counted});
    };
    if (order == Order::interleaved) {
        rounds(warmup, false, 0, true);
        rounds(repeats, true, 0, true);
    } else {
        for (std::size_t c = 0; c < configurations; ++c) {
            rounds(warmup, false, c, false);
            rounds(repeats, true, c, false);
        }
    }
    return plan;
}

Evaluation::Evaluation(std::string id, EvaluationSpec spec, EvaluationServices services)
    : id_(std::move(id)),
      spec_(std::move(spec)),
      services_(std::move(services)),
      plan_(plan_runs(spec_.configurations.size(), spec_.warmup, spec_.repeats, spec_.order)),
      broken_(spec_.configurations.size()) {}

asio::awaitable<void> Evaluation::check() {
    auto& runner = *services_.runner;
    bool needs_sched_ext = false;
    for (const auto& c : spec_.configurations) {
        if (c.kernel_default) continue;
        needs_sched_ext = true;
        if (services_.catalog && !services_.catalog->find(c.scheduler)) {
            auto close = services_.catalog->close_matches(c.scheduler);
            std::string hint;
            for (const auto& m : close) hint += (hint.empty() ? "; did you mean " : ", ") + m;
            throw sdk::NotFound("unknown scheduler '" + c.scheduler + "'" +
                                (hint.empty() ? std::string() : hint + "?") +
                                " (list_schedulers shows them all)");
        }
    }
    const auto k = runner.kernel();
    if (needs_sched_ext && !k.present)
        throw sdk::Unavailable(sdk::sched_ext::no_sched_ext_message());
    before_ = runner.live();
    if (k.busy() && !before_)
        throw sdk::Conflict("sched_ext has " + k.describe() +
                            " loaded, not started by this server: an evaluation needs to load "
                            "its own schedulers, and never stops someone else's. Stop it where "
                            "it was started, then evaluate");
    if (spec_.drop_caches && ::geteuid() != 0)
        throw sdk::InvalidArgument("drop_caches needs root (it writes /proc/sys/vm/drop_caches)");
    if (spec_.workload_id) {
        if (!services_.history)
            throw sdk::Unavailable(
                "workload_id needs the workloads plugin: add it to the config, or leave "
                "workload_id out");
        auto history = services_.history;
        auto id = *spec_.workload_id;
        auto checking =
            sdk::run_blocking(services_.blocking, [history, id] { history->check_profile(id); });
        co_await std::move(checking);
    }
    current_ = before_;  // a scheduler of ours is running: the first switch stops it
}

void Evaluation::cancel() {
    if (cancelled_ || finishing_ || state_ != EvaluationState::running) return;
    cancelled_ = true;
    if (kill_workload_) kill_workload_();
    if (pausing_) pausing_->cancel();
}

asio::awaitable<void> Evaluation::pause(std::chrono::milliseconds how_long) {
    if (how_long.count() <= 0 || cancelled_) co_return;
    asio::steady_timer t(co_await asio::this_coro::executor, how_long);
    pausing_ = &t;
    boost::system::error_code ec;
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    pausing_ = nullptr;
}

asio::awaitable<void> Evaluation::stop_current() {
    if (!current_) co_return;
    const std::string id = current_->execution_id;
    current_.reset();
    current_configuration_.reset();
    auto stopping = services_.runner->stop(id);
    co_await std::move(stopping);
}

asio::awaitable<void> Evaluation::switch_to(std::size_t index, RunRecord& record) {
    const Configuration& c = spec_.configurations[index];
    if (current_configuration_ == index && current_) {
        // Still ours and still loaded? A scheduler that died between runs is started again.
        auto now = services_.runner->find(current_->execution_id);
        if (now && now->status == ExecutionStatus::running) {
            record.execution_id = current_->execution_id;
            co_return;
        }
    }
    co_await stop_current();
    if (c.kernel_default) {
        current_configuration_ = index;
        co_return;
    }
    if (!broken_[index].empty()) {
        record.error = broken_[index];
        co_return;
    }
    auto starting = services_.runner->start({.name = c.scheduler, .args = c.args, .mode = c.mode});
    sdk::services::ExecutionSummary started;
    try {
        started = co_await std::move(starting);
    } catch (const sdk::Error& e) {
        broken_[index] = c.label + " could not be started: " + e.what();
        record.error = broken_[index];
        co_return;
    }
    if (started.status != ExecutionStatus::running) {
        broken_[index] = c.label + " did not start (" + started.message + ")";
        record.error = broken_[index];
        record.output = sdk::text::sanitize(join_lines(started.output), kFailedOutputBytes);
        if (started.status == ExecutionStatus::starting) {
            auto stopping = services_.runner->stop(started.execution_id);
            co_await std::move(stopping);
        }
        co_return;
    }
    current_ = started;
    current_configuration_ = index;
    record.execution_id = started.execution_id;
    co_await pause(spec_.settle);
}

void Evaluation::measure(const ProcessOutcome& p, RunRecord& r) const {
    r.wall_seconds = p.wall_seconds;
    const auto& w = spec_.workload;
    auto fail = [&](std::string why) {
        r.ok = false;
        r.error = std::move(why);
        r.output = sdk::text::sanitize(p.output.size() > kFailedOutputBytes
                                           ? p.output.substr(p.output.size() - kFailedOutputBytes)
                                           : p.output,
                                       kFailedOutputBytes + 64);
    };
    if (p.cancelled) return fail("cancelled");
    if (p.timed_out)
        return fail("timed out after " + std::to_string(w.timeout.count()) + " s (killed)");
    if (!p.exit || p.exit->code != 0)
        return fail("the workload failed: " +
                    (p.exit ? p.exit->describe() : std::string("no exit status")));
    switch (w.figure) {
        case FigureSource::wall_time:
            r.figure = p.wall_seconds;
            break;
        case FigureSource::regex:
            r.figure = regex_figure(*w.figure_regex, p.output);
            if (!r.figure)
                return fail("figure_regex /" + w.figure_pattern +
                            "/ matched no number in the output");
            break;
        case FigureSource::parser:
            try {
                r.figures = w.benchmark->parse(p.output);
                r.figure = r.figures.at(w.benchmark->figure);
            } catch (const std::exception& e) {
                return fail(w.benchmark->name + "'s output did not parse: " + e.what());
            }
            break;
    }
    r.figures[w.figure_name] = *r.figure;
    r.figures["wall_time_s"] = p.wall_seconds;
    r.ok = true;
}

void Evaluation::queue_history(std::size_t run_index) {
    const RunRecord& r = runs_[run_index];
    if (!spec_.workload_id || !r.counted || !r.ok) return;
    const Configuration& c = spec_.configurations[r.configuration];
    if (pending_history_.empty()) oldest_pending_ = std::chrono::steady_clock::now();
    pending_history_.push_back(
        {.run_index = run_index,
         .record = {
             .workload_id = *spec_.workload_id,
             .execution_id = r.execution_id.empty() ? id_ : r.execution_id,
             .scheduler = c.kernel_default ? "default" : c.scheduler,
             .args = c.args.value_or(std::vector<std::string>{}),
             .result_description = "evaluation " + id_ + " run " + std::to_string(r.number) + "/" +
                                   std::to_string(total_runs()) + ": " +
                                   spec_.workload.figure_name + " " + number_text(*r.figure) + " " +
                                   spec_.workload.unit + " (" + spec_.workload.description + ")",
             .metrics = r.figures,
         }});
}

asio::awaitable<void> Evaluation::commit_history(bool due_only) {
    if (pending_history_.empty()) co_return;
    if (due_only && std::chrono::steady_clock::now() - oldest_pending_ <
                        std::chrono::seconds(services_.history_commit_seconds))
        co_return;
    std::vector<sdk::services::HistoryRecord> records;
    for (const auto& p : pending_history_) records.push_back(p.record);
    auto history = services_.history;
    auto adding = sdk::run_blocking(services_.blocking,
                                    [history, records] { return history->add_all(records); });
    const std::vector<std::string> ids = co_await std::move(adding);
    for (std::size_t i = 0; i < ids.size() && i < pending_history_.size(); ++i)
        runs_[pending_history_[i].run_index].history_id = ids[i];
    pending_history_.clear();
}

asio::awaitable<void> Evaluation::open_observer() {
    if (!spec_.monitor) {
        unobserved_ = "not observed (monitor: false)";
        co_return;
    }
    if (!services_.monitor) {
        unobserved_ = "no monitor plugin is loaded (add it to the config to observe the runs)";
        co_return;
    }
    auto monitor = services_.monitor;
    auto opening = sdk::run_blocking(services_.blocking, [monitor] { return monitor->open(); });
    observer_ = co_await std::move(opening);
}

asio::awaitable<ProcessOutcome> Evaluation::run_workload(bool observe, RunRecord& r) {
    // Only the workload's own lifetime is observed: nothing of the settle time or the
    // scheduler's start.
    const bool observing = observe && observer_;
    if (observing) observer_->begin();
    auto running = run_workload_process(spec_.workload, spec_.max_output_bytes, kill_workload_);
    ProcessOutcome p = co_await std::move(running);
    if (observing) r.observed = observer_->end();
    co_return p;
}

std::string Evaluation::describe(const RunRecord& r) const {
    std::string s = "run " + std::to_string(r.number) + "/" + std::to_string(total_runs()) + ": " +
                    spec_.configurations[r.configuration].label + (r.counted ? "" : " (warm-up)") +
                    ", ";
    if (r.ok)
        return s + number_text(*r.figure) +
               (spec_.workload.unit.empty() ? "" : " " + spec_.workload.unit);
    return s + "failed: " + r.error;
}

asio::awaitable<void> Evaluation::run_all() {
    co_await open_observer();
    for (std::size_t i = 0; i < plan_.size() && !cancelled_; ++i) {
        RunRecord r{.number = static_cast<int>(i + 1),
                    .configuration = plan_[i].configuration,
                    .counted = plan_[i].counted};
        co_await switch_to(r.configuration, r);
        if (cancelled_) break;
        if (r.error.empty()) {
            if (spec_.drop_caches) {
                auto dropping = sdk::run_blocking(services_.blocking, [] { drop_page_cache(); });
                co_await std::move(dropping);
            }
            auto running = run_workload(r.counted, r);
            ProcessOutcome p = co_await std::move(running);
            measure(p, r);
            if (cancelled_) break;
            // A scheduler that ended during the run did not schedule all of it.
            if (r.ok && !r.execution_id.empty()) {
                auto now = services_.runner->find(r.execution_id);
                if (!now || now->status != ExecutionStatus::running) {
                    r.ok = false;
                    r.error = "the scheduler ended during the run" +
                              (now ? " (" + now->message + ")" : std::string());
                }
            }
        }
        runs_.push_back(std::move(r));
        queue_history(runs_.size() - 1);
        if (progress_) progress_(static_cast<int>(i + 1), total_runs(), describe(runs_.back()));
        co_await commit_history(true);
    }
}

asio::awaitable<void> Evaluation::restore() {
    co_await stop_current();
    if (!before_) {
        restored_ = "nothing loaded, as before";
        co_return;
    }
    sdk::services::SchedulerStart again{.name = before_->scheduler};
    if (!before_->mode.empty())
        again.mode = before_->mode;
    else
        again.args = before_->args;
    auto starting = services_.runner->start(std::move(again));
    auto started = co_await std::move(starting);
    restored_ = before_->scheduler + " running again as execution " + started.execution_id +
                " (was " + before_->execution_id + ", now " +
                std::string(sdk::services::execution_status_name(started.status)) + ")";
}

asio::awaitable<void> Evaluation::run() {
    // The final state is published last: a client that sees the evaluation end also sees
    // sched_ext restored and the counted runs in the workload's history.
    EvaluationState ending = EvaluationState::completed;
    try {
        co_await run_all();
        if (cancelled_) ending = EvaluationState::cancelled;
    } catch (const std::exception& e) {
        ending = EvaluationState::failed;
        error_ = e.what();
    }
    finishing_ = true;
    observer_.reset();  // detaches the BPF program before anything else runs
    try {
        co_await restore();
    } catch (const std::exception& e) {
        restored_ = std::string("could not restore sched_ext: ") + e.what();
        if (ending != EvaluationState::cancelled) ending = EvaluationState::failed;
        if (error_.empty()) error_ = restored_;
    }
    // After the restore, so a cancellation stops the scheduler without waiting for the
    // write; whatever the runs did (cancelled or failed too), the counted ones are kept.
    try {
        co_await commit_history(false);
    } catch (const std::exception& e) {
        if (ending != EvaluationState::cancelled) ending = EvaluationState::failed;
        if (error_.empty())
            error_ = "could not record the runs in workload " + spec_.workload_id.value_or("") +
                     "'s history: " + e.what();
    }
    state_ = ending;
    if (services_.log)
        SCHEDCP_LOG(*services_.log, info)
            << "evaluation " << id_ << " " << state_name(state_) << " after " << runs_.size()
            << " of " << plan_.size() << " runs; sched_ext: " << restored_;
    if (finished_) finished_();
}

}  // namespace schedcp::plugins::evaluator
