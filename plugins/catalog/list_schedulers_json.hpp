// list_schedulers' answer for the MCP tool, written straight to JSON: byte for byte
// sdk::json::compact(list_schedulers(...)), without building the tree. Each entry's
// metadata is serialised once per catalog snapshot (the catalog changes only when a
// custom scheduler is registered) and a call appends those bytes and the fields it
// computes (custom, installed, path); the host fit's pieces (each entry's "fit",
// "fit_host") are serialised with them, once per snapshot and fit: the most frequent call does no
// work proportional to the catalog beyond the entries it returns, and no serialisation of them
// either. A call whose answer did not change (same catalog, fit and filter, and every
// listed scheduler where it was) gets the string of the last such call again, shared: the
// MCP server then reuses its quoted text by the string's address.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "list_schedulers.hpp"

namespace schedcp::plugins::catalog {

class ListingWriter {
  public:
    // Thread-safe.
    std::shared_ptr<const std::string> write(const sdk::services::SchedulerCatalog& catalog,
                                             const sdk::ServiceRegistry& services,
                                             const ListFilter& filter, std::string_view scx_release,
                                             const std::shared_ptr<const HostFit>& fit = nullptr);

  private:
    struct Serialised {
        std::shared_ptr<const std::vector<sdk::services::SchedulerEntry>> snapshot;
        // Per entry: its metadata's compact JSON without the closing brace; empty when the
        // metadata has a key the listing sets itself (then the entry is built as a tree).
        std::vector<std::string> open_objects;
        // Per entry: what follows its path: its fit (when it has one) and the closing brace.
        std::vector<std::string> close_objects;
        std::shared_ptr<const HostFit> fit;  // the fit these bytes were written with
        std::string fit_host;                // "fit_host"'s value, compact
    };
    // The pieces for this snapshot and fit, written once: the fit is computed once per
    // process, the snapshot changes only when a custom scheduler is registered.
    std::shared_ptr<const Serialised> serialised_for(
        const std::shared_ptr<const std::vector<sdk::services::SchedulerEntry>>& snapshot,
        const std::shared_ptr<const HostFit>& fit);

    // A recent answer and what it was written from.
    struct Answer {
        std::shared_ptr<const Serialised> pieces;
        ListFilter filter;
        std::string scx_release;
        std::vector<std::optional<std::string>> paths;  // each listed entry's, in order
        std::shared_ptr<const std::string> json;
        std::uint64_t last_use = 0;
    };
    static constexpr std::size_t kAnswersKept = 8;  // distinct filters remembered

    std::mutex mutex_;
    std::shared_ptr<const Serialised> cache_;
    std::vector<Answer> answers_;  // mutex_
    std::uint64_t clock_ = 0;      // mutex_
};

}  // namespace schedcp::plugins::catalog
