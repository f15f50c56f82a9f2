#include "evaluator_core.hpp"

#include <random>
#include <stop_token>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "report.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::evaluator {

namespace asio = boost::asio;
namespace bj = boost::json;

namespace {

std::string new_evaluation_id() {
    static std::mt19937_64 rng{std::random_device{}()};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rng()));
    return std::string("eval_") + buf;
}

asio::awaitable<void> drive(std::shared_ptr<Evaluation> e) {
    co_await e->run();
}

}  // namespace

EvaluationServices EvaluatorCore::services(sdk::CallContext& ctx) const {
    EvaluationServices s{
        .runner = services_.find<sdk::services::SchedulerRunner>(),
        .catalog = services_.find<sdk::services::SchedulerCatalog>(),
        .history = services_.find<sdk::services::WorkloadHistory>(),
        .monitor = services_.find<sdk::services::WorkloadMonitor>(),
        .history_commit_seconds = limits_.history_commit_seconds,
        .blocking = ctx.blocking_executor(),
        .log = &log_,
    };
    if (!s.runner)
        throw sdk::Unavailable(
            "the evaluator needs the runner plugin (SchedulerRunner): add it to the config");
    return s;
}

asio::awaitable<bj::object> EvaluatorCore::evaluate(bj::object args, sdk::CallContext& ctx) {
    const bool background = args.contains("background") && args.at("background").as_bool();
    EvaluationSpec spec = parse_evaluation(args, limits_);
    if (background) {
        std::size_t running = 0;
        for (const auto& [id, e] : background_) running += e->state() == EvaluationState::running;
        if (running >= static_cast<std::size_t>(limits_.max_background))
            throw sdk::Conflict(std::to_string(running) +
                                " background evaluations are running (max_background); cancel "
                                "one or wait for it");
    }
    auto e = std::make_shared<Evaluation>(new_evaluation_id(), std::move(spec), services(ctx));
    auto checking = e->check();
    co_await std::move(checking);
    auto ex = ctx.executor();
    SCHEDCP_LOG(log_, info) << "evaluation " << e->id() << ": " << e->total_runs() << " runs of "
                            << e->spec().workload.description;
    if (background) {
        background_[e->id()] = e;
        forget_old();
        asio::co_spawn(ex, drive(e), asio::detached);
        co_return bj::object{{"evaluation_id", e->id()},
                             {"state", state_name(e->state())},
                             {"runs_total", e->total_runs()},
                             {"message",
                              "started; follow it with the evaluation tool (status, "
                              "result, cancel)"}};
    }

    // Checked and about to run: a client that supports tasks gets a task handle now (the
    // MCP tasks extension) and polls for the result; otherwise this does nothing.
    ctx.run_as_task();

    // In the foreground: progress to this caller while it listens; its cancellation (or
    // Ctrl-C) cancels the evaluation, which still ends cleanly in its own coroutine.
    auto listening = std::make_shared<bool>(true);
    e->on_progress([listening, &ctx](int done, int total, const std::string& message) {
        if (*listening) ctx.report_progress(done, total, message);
    });
    auto finished = std::make_shared<asio::steady_timer>(ex, asio::steady_timer::time_point::max());
    e->on_finished([finished] { finished->cancel(); });
    std::weak_ptr<Evaluation> weak = e;
    std::stop_callback on_stop(ctx.stop_token(), [weak, ex] {
        asio::post(ex, [weak] {
            if (auto alive = weak.lock()) alive->cancel();
        });
    });
    struct Deaf {
        std::shared_ptr<bool> flag;
        ~Deaf() { *flag = false; }
    } deaf{listening};
    asio::co_spawn(ex, drive(e), asio::detached);
    while (e->state() == EvaluationState::running) {
        boost::system::error_code ec;
        co_await finished->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return evaluation_report(*e);
}

std::shared_ptr<Evaluation> EvaluatorCore::find(const std::string& id) const {
    auto it = background_.find(id);
    if (it != background_.end()) return it->second;
    std::string known;
    for (const auto& [k, v] : background_) known += (known.empty() ? "" : ", ") + k;
    throw sdk::NotFound("evaluation '" + sdk::text::sanitize(id, 100) + "' not found" +
                        (known.empty() ? std::string(" (no background evaluation is known)")
                                       : "; known: " + known));
}

bj::object EvaluatorCore::status(const std::string& id) const {
    return evaluation_report(*find(id));
}

bj::object EvaluatorCore::result(const std::string& id) const {
    auto e = find(id);
    if (e->state() == EvaluationState::running)
        throw sdk::Conflict("evaluation " + id + " is still running (" +
                            std::to_string(e->runs().size()) + "/" +
                            std::to_string(e->total_runs()) +
                            " runs done); ask for its status, or its result later");
    return evaluation_report(*e);
}

bj::object EvaluatorCore::cancel(const std::string& id) {
    auto e = find(id);
    e->cancel();
    return bj::object{
        {"evaluation_id", id},
        {"state", state_name(e->state())},
        {"message", e->state() != EvaluationState::running ? "it had already ended"
                    : e->finishing() ? "its runs had already ended; it is restoring sched_ext "
                                       "and recording its history"
                                     : "cancelling: the workload is killed and the scheduler "
                                       "stopped; its result shows state 'cancelled'"}};
}

bj::object EvaluatorCore::list() const {
    bj::array out;
    for (const auto& [id, e] : background_)
        out.push_back(bj::object{{"evaluation_id", id},
                                 {"state", state_name(e->state())},
                                 {"runs_done", e->runs().size()},
                                 {"runs_total", e->total_runs()},
                                 {"workload", e->spec().workload.description}});
    return bj::object{{"evaluations", std::move(out)}};
}

void EvaluatorCore::forget_old() {
    std::size_t finished = 0;
    for (const auto& [id, e] : background_) finished += e->state() != EvaluationState::running;
    for (auto it = background_.begin();
         it != background_.end() && finished > static_cast<std::size_t>(limits_.finished_kept);) {
        if (it->second->state() != EvaluationState::running) {
            it = background_.erase(it);
            --finished;
        } else {
            ++it;
        }
    }
}

}  // namespace schedcp::plugins::evaluator
