// Service: the scheduler catalog (published by the catalog plugin).
//
// The runner resolves names through it, the compiler registers custom schedulers in it,
// and anything that needs a scheduler's metadata reads it here.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk::services {

// The scx_loader modes a scheduler can be started in.
inline constexpr std::string_view kSchedulerModes[] = {"auto", "gaming", "powersave", "lowlatency",
                                                       "server"};

struct SchedulerEntry {
    std::string name;
    bool production_ready = false;
    bool custom = false;  // registered at run time (e.g. compiled by the compiler plugin)
    // Full SchedCP-compatible metadata (description, algorithm, use_cases,
    // characteristics, tuning_parameters, limitations, performance_profile, origin, ...).
    boost::json::object metadata;
    // Mode name -> argv flags, as scx_loader maps them. Absent mode: no mapping.
    std::map<std::string, std::vector<std::string>> modes;
    // How to start it when it is not an executable named `name`: argv prefix (program
    // first). Custom schedulers use {"<loader>", "<object>"}; empty for built-ins.
    std::vector<std::string> launch;
};

class SCHEDCP_SDK_API SchedulerCatalog {
  public:
    static constexpr std::string_view service_key = "schedcp.scheduler_catalog/1";
    virtual ~SchedulerCatalog();

    virtual std::vector<SchedulerEntry> list() const = 0;
    // The same entries without copying them: an immutable list shared with the catalog,
    // valid for as long as the caller holds it (a later add_custom publishes a new one).
    // For callers on a hot path (list_schedulers); the default copies list().
    virtual std::shared_ptr<const std::vector<SchedulerEntry>> snapshot() const;
    virtual std::optional<SchedulerEntry> find(std::string_view name) const = 0;
    // Known names close to `name`, for "did you mean" errors.
    virtual std::vector<std::string> close_matches(std::string_view name) const = 0;
    // Adds or replaces a custom scheduler. Throws Conflict if `name` is a built-in.
    virtual void add_custom(SchedulerEntry entry) = 0;
};

// Service: where a scheduler's program is on this host (published by the runner, which
// owns the search path). The catalog uses it to report availability.
class SCHEDCP_SDK_API SchedulerLocator {
  public:
    static constexpr std::string_view service_key = "schedcp.scheduler_locator/1";
    virtual ~SchedulerLocator();

    virtual std::optional<std::string> locate(const SchedulerEntry& entry) const = 0;
};

}  // namespace schedcp::sdk::services
