#include "runner_service.hpp"

namespace schedcp::plugins::runner {

std::optional<sdk::services::ExecutionSummary> RunnerService::find(std::string_view id) const {
    if (auto e = core_->table().find(std::string(id))) return e->summary();
    return std::nullopt;
}

std::optional<sdk::services::ExecutionSummary> RunnerService::live() const {
    if (auto e = core_->table().live()) return e->summary();
    return std::nullopt;
}

std::vector<sdk::services::ExecutionSummary> RunnerService::list() const {
    std::vector<sdk::services::ExecutionSummary> out;
    for (const auto& e : core_->table().all_newest_first()) out.push_back(e->summary());
    return out;
}

std::optional<std::string> RunnerService::locate(const sdk::services::SchedulerEntry& entry) const {
    return core_->locate(entry);
}

}  // namespace schedcp::plugins::runner
