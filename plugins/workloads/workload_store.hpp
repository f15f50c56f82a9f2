// The workload store: one JSON file in SchedCP's schedcp_workloads.json format
//   {"schema_version": 1,
//    "profiles": {"<uuid>": {"id", "name"?, "description", "created_at", "updated_at"}},
//    "history":  [{"id", "workload_id", "execution_id", "scheduler_name", "args",
//                  "result_description", "created_at", "metrics"?}]}
// (times are Unix seconds; SchedCP ignores the fields it does not know), shared by the
// server and the CLI. Every operation reads the file under a lock; every change is
// written back atomically and durably before it is acknowledged. A file that does not
// parse or does not have this shape is moved aside, never overwritten.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

namespace schedcp::plugins::workloads {

class WorkloadStore {
  public:
    explicit WorkloadStore(std::filesystem::path file) : file_(std::move(file)) {}
    const std::filesystem::path& file() const { return file_; }

    // Runs `fn` on the current content under a shared lock.
    boost::json::object read(
        const std::function<boost::json::object(const boost::json::object&)>& fn) const;
    // Runs `fn` under an exclusive lock; writes the content back if `fn` returns true in
    // `changed`. Returns what `fn` returned.
    boost::json::object modify(
        const std::function<boost::json::object(boost::json::object&, bool& changed)>& fn) const;

    // Checks a store's shape; returns "" when valid, else what is wrong.
    static std::string check(const boost::json::value& root);
    static boost::json::object empty();

  private:
    // Loads and checks the file (lock held). A corrupt file is quarantined and reported
    // with sdk::Unavailable naming where it went.
    boost::json::object load() const;
    // The content, or nullopt with `problem` set when it is corrupt (nothing is moved).
    std::optional<boost::json::object> try_load(std::string& problem) const;

    std::filesystem::path file_;
};

}  // namespace schedcp::plugins::workloads
