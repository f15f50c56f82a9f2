// The evaluator's state on the host: starts evaluations (in the foreground, following
// one to its end with progress and cancellation, or in the background), and remembers
// the background ones for `evaluation status|result|cancel|list`. The evaluation itself
// always runs in a coroutine of its own, so a cancelled request still ends it cleanly
// (workload killed, scheduler stopped, sched_ext restored).
#pragma once

#include <map>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "evaluation.hpp"
#include "schedcp/sdk/call_context.hpp"
#include "schedcp/sdk/services.hpp"

namespace schedcp::plugins::evaluator {

class EvaluatorCore {
  public:
    EvaluatorCore(EvaluatorLimits limits, sdk::ServiceRegistry& services, sdk::Logger& log)
        : limits_(limits), services_(services), log_(log) {}

    const EvaluatorLimits& limits() const { return limits_; }

    // evaluate_scheduler: the report when it ran in the foreground, or
    // {evaluation_id, state, runs_total} for background: true.
    boost::asio::awaitable<boost::json::object> evaluate(boost::json::object args,
                                                         sdk::CallContext& ctx);
    // The `evaluation` tool's commands.
    boost::json::object status(const std::string& id) const;
    boost::json::object result(const std::string& id) const;
    boost::json::object cancel(const std::string& id);
    boost::json::object list() const;

  private:
    std::shared_ptr<Evaluation> find(const std::string& id) const;
    EvaluationServices services(sdk::CallContext& ctx) const;
    void forget_old();

    EvaluatorLimits limits_;
    sdk::ServiceRegistry& services_;
    sdk::Logger& log_;
    std::map<std::string, std::shared_ptr<Evaluation>> background_;
};

}  // namespace schedcp::plugins::evaluator
