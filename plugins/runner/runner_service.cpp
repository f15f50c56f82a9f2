#include "runner_service.hpp"

namespace schedcp::plugins::runner {

namespace {

// The summary with the output that explains a failure (the last lines kept).
sdk::services::ExecutionSummary with_output(const Execution& e) {
    constexpr std::size_t kLines = 20;
    auto s = e.summary();
    const std::size_t skip = e.output.size() > kLines ? e.output.size() - kLines : 0;
    s.output.assign(e.output.begin() + static_cast<std::ptrdiff_t>(skip), e.output.end());
    return s;
}

}  // namespace

boost::asio::awaitable<sdk::services::ExecutionSummary> RunnerService::start(
    sdk::services::SchedulerStart request) {
    StartRequest r{.name = std::move(request.name),
                   .args = std::move(request.args),
                   .mode = std::move(request.mode)};
    auto starting = core_->start(std::move(r));  // call, then await: see sdk/blocking.hpp
    auto e = co_await std::move(starting);
    co_return with_output(*e);
}

boost::asio::awaitable<sdk::services::ExecutionSummary> RunnerService::stop(
    std::string execution_id) {
    auto stopping = core_->stop(execution_id);
    auto e = co_await std::move(stopping);
    co_return with_output(*e);
}

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
