// The workloads plugin's WorkloadHistory service: the `workload` tool's get and
// add_history, for other plugins (the evaluator records its runs through it).
#pragma once

#include <memory>

#include "schedcp/sdk/services/workload_history.hpp"
#include "workload_ops.hpp"

namespace schedcp::plugins::workloads {

class HistoryService final : public sdk::services::WorkloadHistory {
  public:
    explicit HistoryService(std::shared_ptr<const WorkloadOps> ops) : ops_(std::move(ops)) {}

    void check_profile(std::string_view workload_id) const override;
    std::string add(const sdk::services::HistoryRecord& record) override;
    std::vector<std::string> add_all(
        const std::vector<sdk::services::HistoryRecord>& records) override;

  private:
    std::shared_ptr<const WorkloadOps> ops_;
};

}  // namespace schedcp::plugins::workloads
