// The catalog's contents: the built-in schedulers parsed from the embedded data file,
// plus custom schedulers registered at run time. Published as the SchedulerCatalog service.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "fit_rules.hpp"
#include "schedcp/sdk/services/scheduler_catalog.hpp"

namespace schedcp::plugins::catalog {

using sdk::services::SchedulerEntry;

// Parses and checks the data file (see data/schedulers.json); throws std::runtime_error
// naming the entry and field on anything malformed. `scx_release`, when given, receives the
// sched-ext/scx release tag the data was checked against (its top-level "scx_release");
// `fit_rules`, each entry's fit rules (see fit_rules.hpp), which are taken out of its metadata.
std::vector<SchedulerEntry> parse_catalog(std::string_view json_text,
                                          std::string* scx_release = nullptr,
                                          FitRuleBook* fit_rules = nullptr);

class CatalogStore final : public sdk::services::SchedulerCatalog {
  public:
    explicit CatalogStore(std::vector<SchedulerEntry> builtins);

    std::vector<SchedulerEntry> list() const override;  // sorted by name
    std::shared_ptr<const std::vector<SchedulerEntry>> snapshot() const override;
    std::optional<SchedulerEntry> find(std::string_view name) const override;
    std::vector<std::string> close_matches(std::string_view name) const override;
    void add_custom(SchedulerEntry entry) override;

  private:
    void publish();  // mutex_ held: rebuilds all_ from builtins_ and customs_

    mutable std::mutex mutex_;
    std::shared_ptr<const std::vector<SchedulerEntry>> builtins_;  // sorted by name
    std::vector<SchedulerEntry> customs_;
    // Every entry sorted by name, rebuilt only when a custom scheduler is added: readers
    // share it instead of copying the catalog per call.
    std::shared_ptr<const std::vector<SchedulerEntry>> all_;
};

}  // namespace schedcp::plugins::catalog
