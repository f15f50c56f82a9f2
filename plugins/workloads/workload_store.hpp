// The workload store: one JSON file in SchedCP's schedcp_workloads.json format
//   {"schema_version": 1,
//    "profiles": {"<uuid>": {"id", "name"?, "description", "created_at", "updated_at"}},
//    "history":  [{"id", "workload_id", "execution_id", "scheduler_name", "args",
//                  "result_description", "created_at", "metrics"?}]}
// (times are Unix seconds; SchedCP ignores the fields it does not know), shared by the
// server and the CLI. Every operation reads the file under a lock; every change is
// written back atomically and durably before it is acknowledged. A file that does not
// parse or does not have this shape is moved aside, never overwritten. With
// Caching::snapshot the content last read is kept while it provably is still the file's
// (store_snapshot.hpp), for reads without a lock, a parse or the worker pool.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "store_snapshot.hpp"

namespace schedcp::plugins::workloads {

class WorkloadStore {
  public:
    enum class Caching {
        none,      // every read loads the file (one-shot users: the CLI's own commands)
        snapshot,  // reads use the snapshot while it is current (the server)
    };
    using Query = std::function<boost::json::object(const boost::json::object&)>;

    explicit WorkloadStore(std::filesystem::path file, Caching caching = Caching::none);
    const std::filesystem::path& file() const { return file_; }

    // Runs `fn` on the current content: the snapshot's when it is current, else the file's
    // read under a shared lock (and then kept as the snapshot).
    boost::json::object read(const Query& fn) const;
    // Runs `fn` on the snapshot when it is current; nullopt when the file must be read
    // (then call read(), which may wait for a lock, off the event loop). Never blocks.
    std::optional<boost::json::object> read_cached(const Query& fn) const;
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
    std::shared_ptr<StoreSnapshot> snapshot_;  // null with Caching::none; shared by copies
};

}  // namespace schedcp::plugins::workloads
