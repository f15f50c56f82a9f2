// list_schedulers: the one implementation behind the MCP tool and `schedcp-cli list`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "host_fit.hpp"
#include "schedcp/sdk/services.hpp"
#include "schedcp/sdk/services/scheduler_catalog.hpp"
#include "schedcp/sdk/tool.hpp"

namespace schedcp::plugins::catalog {

struct ListFilter {
    std::optional<std::string> name;  // case-insensitive substring
    std::optional<bool> production_ready;
    bool operator==(const ListFilter&) const = default;
};

// {"schedulers": [...SchedCP fields, plus origin, modes, omitted_options, custom, installed,
//  path, fit?], "count": N, "installed_count": M, "scx_release": "v1.1.2", "fit_host"?}.
// `scx_release` is the sched-ext/scx release the catalog's tuning parameters were checked
// against. With `fit`, each scheduler that has fit rules carries its fit for this host, and
// `fit_host` the host facts they were judged on.
boost::json::object list_schedulers(const sdk::services::SchedulerCatalog& catalog,
                                    const sdk::ServiceRegistry& services, const ListFilter& filter,
                                    std::string_view scx_release, const HostFit* fit = nullptr);

// One scheduler as list_schedulers shows it (also the schedcp://schedulers/{name} resource).
boost::json::object scheduler_item(const sdk::services::SchedulerEntry& e,
                                   const sdk::ServiceRegistry& services,
                                   const HostFit* fit = nullptr);
// Whether an entry passes the filter; `needle` is the filter's name in lower case.
bool matches(const sdk::services::SchedulerEntry& e, const ListFilter& filter,
             const std::string& needle);
// The filter's name in lower case ("" without one).
std::string name_needle(const ListFilter& filter);

// list_schedulers' "fit_host": the host facts `fit` was judged on; without a fit, what
// list_schedulers has always put there.
boost::json::object fit_host_of(const HostFit* fit);

// Where the scheduler's program is on this host (the runner's locator, else $PATH).
std::optional<std::string> locate(const sdk::services::SchedulerEntry& e,
                                  const sdk::ServiceRegistry& services);

// Reads a ListFilter from tool arguments. SchedCP's clients send "" for "no filter" (seen
// in its logs, for both fields), so "" and null mean "not given".
ListFilter filter_from_args(const boost::json::object& args);

boost::json::object list_input_schema();
boost::json::object list_output_schema();

// Human renderings for the CLI: a table, or every detail (--long).
std::string render_table(const boost::json::object& result);
std::string render_long(const boost::json::object& result);

}  // namespace schedcp::plugins::catalog
