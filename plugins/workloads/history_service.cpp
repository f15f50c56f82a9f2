#include "history_service.hpp"

namespace schedcp::plugins::workloads {

namespace bj = boost::json;

void HistoryService::check_profile(std::string_view workload_id) const {
    ops_->get(bj::object{{"workload_id", workload_id}});
}

namespace {

// The tool's add_history arguments for a record: the same checks and limits, one format.
bj::object request_of(const sdk::services::HistoryRecord& record) {
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
    return request;
}

}  // namespace

std::string HistoryService::add(const sdk::services::HistoryRecord& record) {
    bj::object added = ops_->add_history(request_of(record));
    return std::string(added.at("history_id").as_string());
}

std::vector<std::string> HistoryService::add_all(
    const std::vector<sdk::services::HistoryRecord>& records) {
    std::vector<bj::object> requests;
    requests.reserve(records.size());
    for (const auto& r : records) requests.push_back(request_of(r));
    return ops_->add_history_all(requests);
}

}  // namespace schedcp::plugins::workloads
