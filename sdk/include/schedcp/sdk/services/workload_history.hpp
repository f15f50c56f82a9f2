// Service: workload profiles' run history (published by the workloads plugin).
//
// The evaluator records every counted run of an evaluation in a profile's history, so
// `workload recommend` ranks what it measured. Every call blocks (the store takes a file
// lock and fsyncs): call them from the worker pool (sdk::run_blocking), never on the
// event loop. A durable write costs milliseconds (two fsyncs), so many records go in one
// add_all().
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk::services {

struct HistoryRecord {
    std::string workload_id;
    std::string execution_id;  // the runner's execution, or what stands for the run
    std::string scheduler;     // catalog name, or "default" for the kernel's own scheduler
    std::vector<std::string> args;
    std::string result_description;         // in words, at most 8192 bytes
    std::map<std::string, double> metrics;  // at most 32; names of [A-Za-z0-9_.%/-]
};

class SCHEDCP_SDK_API WorkloadHistory {
  public:
    static constexpr std::string_view service_key = "schedcp.workload_history/1";
    virtual ~WorkloadHistory();

    // Throws NotFound when no profile has this id.
    virtual void check_profile(std::string_view workload_id) const = 0;
    // Appends one entry durably; returns its history id. Throws NotFound for an unknown
    // profile, InvalidArgument for a record outside the store's limits.
    virtual std::string add(const HistoryRecord& record) = 0;
    // Appends every record in one durable write, all or none (a crash leaves the store as it
    // was or with all of them); returns their history ids in order. Throws as add() does,
    // for the first record that cannot be added, and then adds none.
    virtual std::vector<std::string> add_all(const std::vector<HistoryRecord>& records) = 0;
};

}  // namespace schedcp::sdk::services
