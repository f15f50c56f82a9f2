// Custom schedulers on disk, one directory each under <data_dir>/compiler/schedulers:
//   <name>/<name>.bpf.c   the source as compiled
//   <name>/<name>.bpf.o   the object schedcp-loader runs
//   <name>/metadata.json  the catalog metadata (SchedCP's fields, plus how it was built
//                         and verified); written last, so an entry without it is incomplete
// Every file is written atomically (temp file, fsync, rename) under a lock on
// metadata.json, so a crash leaves the old entry or the new one, and the server and the
// CLI can both write. Writes go through directory descriptors with O_NOFOLLOW: a
// symlink planted as the root, a scheduler's directory or one of its files is refused.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "schedcp/sdk/services/scheduler_catalog.hpp"

namespace schedcp::plugins::compiler {

struct StoredScheduler {
    std::string name;
    std::filesystem::path dir;
    std::filesystem::path source;
    std::filesystem::path object;
    boost::json::object metadata;
};

class Registry {
  public:
    explicit Registry(std::filesystem::path root) : root_(std::move(root)) {}
    const std::filesystem::path& root() const { return root_; }

    // Blocking. Copies `built_object` in. Throws sdk::Unavailable when it cannot write,
    // or when a path it would write is a symlink ("refusing to ...").
    StoredScheduler store(const std::string& name, std::string_view source,
                          const std::filesystem::path& built_object,
                          boost::json::object metadata) const;

    // Blocking. Every complete entry; one line in `problems` per entry that cannot be used.
    std::vector<StoredScheduler> load_all(std::vector<std::string>& problems) const;

  private:
    std::filesystem::path root_;
};

// The catalog entry that runs a stored scheduler: launch = {loader, object}.
sdk::services::SchedulerEntry catalog_entry(const StoredScheduler& s,
                                            const std::filesystem::path& loader);

}  // namespace schedcp::plugins::compiler
