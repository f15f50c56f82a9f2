// The runner's services for other plugins: SchedulerRunner (executions) and
// SchedulerLocator (where a scheduler's program is, for the catalog's availability).
// start() and stop() are run_scheduler's and stop_scheduler's work, for the evaluator.
#pragma once

#include <memory>

#include "launcher.hpp"
#include "schedcp/sdk/services/scheduler_catalog.hpp"
#include "schedcp/sdk/services/scheduler_runner.hpp"

namespace schedcp::plugins::runner {

class RunnerService final : public sdk::services::SchedulerRunner,
                            public sdk::services::SchedulerLocator {
  public:
    explicit RunnerService(std::shared_ptr<RunnerCore> core) : core_(std::move(core)) {}

    std::optional<sdk::services::ExecutionSummary> find(std::string_view id) const override;
    std::optional<sdk::services::ExecutionSummary> live() const override;
    std::vector<sdk::services::ExecutionSummary> list() const override;
    std::optional<std::string> locate(const sdk::services::SchedulerEntry& entry) const override;
    boost::asio::awaitable<sdk::services::ExecutionSummary> start(
        sdk::services::SchedulerStart request) override;
    boost::asio::awaitable<sdk::services::ExecutionSummary> stop(std::string execution_id) override;
    sdk::sched_ext::Status kernel() const override { return core_->kernel(); }

  private:
    std::shared_ptr<RunnerCore> core_;
};

}  // namespace schedcp::plugins::runner
