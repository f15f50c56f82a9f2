#include "history_service.hpp"

namespace schedcp::plugins::workloads {

namespace bj = boost::json;

void HistoryService::check_profile(std::string_view workload_id) const {
    ops_->get(bj::object{{"workload_id", workload_id}});
}

std::string HistoryService::add(const sdk::services::HistoryRecord& record) {
    // The same path as the tool's add_history: the same checks and limits, one format.
    bj::array args;
    for (const auto& a : record.args) args.push_back(bj::string(a));
    bj::object metrics;
    for (const auto& [name, value] : record.metrics) metrics[name] = value;
    bj::object request{{"workload_id", record.workload_id},
                       {"execution_id", record.execution_id},
                       {"scheduler", record.scheduler},
                       {"args", std::move(args)},
                       {"result_description", record.result_description}};
    if (!metrics.empty()) request["metrics"] = std::move(metrics);
    bj::object added = ops_->add_history(request);
    return std::string(added.at("history_id").as_string());
}

}  // namespace schedcp::plugins::workloads
