// The workload commands (create, list, get, get_history, add_history, update, delete,
// recommend, import): one implementation behind the `workload` tool and the
// `schedcp-cli workload ...` commands. Arguments use the tool's names.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "schedcp/sdk/services.hpp"
#include "workload_store.hpp"

namespace schedcp::plugins::workloads {

class WorkloadOps {
  public:
    WorkloadOps(WorkloadStore store, const sdk::ServiceRegistry& services)
        : store_(std::move(store)), services_(services) {}

    // Dispatches on args["command"]; throws sdk errors with SchedCP-style messages.
    boost::json::object run(const boost::json::object& args) const;
    // run() for a command that only reads (list, get, get_history) when the store's
    // snapshot is current, without waiting for anything (on the event loop); nullopt when
    // run() must do it (a command that writes, or the file must be read).
    std::optional<boost::json::object> run_cached(const boost::json::object& args) const;

    boost::json::object create(const boost::json::object& args) const;
    boost::json::object list() const;
    boost::json::object get(const boost::json::object& args) const;
    boost::json::object get_history(const boost::json::object& args) const;
    boost::json::object add_history(const boost::json::object& args) const;
    // add_history for each request (its arguments), all in one durable write, all or none
    // (every request is checked first); returns the history ids in order.
    std::vector<std::string> add_history_all(
        const std::vector<boost::json::object>& requests) const;
    boost::json::object update(const boost::json::object& args) const;
    boost::json::object remove(const boost::json::object& args) const;
    boost::json::object recommend(const boost::json::object& args) const;
    // Merges a SchedCP (or schedcp) store file into this one; entries already present
    // (same id) are kept as they are.
    boost::json::object import_file(const std::string& path) const;

    const WorkloadStore& store() const { return store_; }

  private:
    // The store query a reading command runs; null for the other commands.
    WorkloadStore::Query reading_query(const boost::json::object& args) const;
    static WorkloadStore::Query list_query();
    static WorkloadStore::Query get_query(std::string workload_id);
    static WorkloadStore::Query get_history_query(std::string workload_id);
    struct PreparedEntry;
    PreparedEntry prepare_history(const boost::json::object& args) const;
    std::vector<boost::json::object> append_history(std::vector<PreparedEntry> entries) const;

    WorkloadStore store_;
    const sdk::ServiceRegistry& services_;
};

// The tool's input schema (also documents the limits).
boost::json::object workload_input_schema();

}  // namespace schedcp::plugins::workloads
