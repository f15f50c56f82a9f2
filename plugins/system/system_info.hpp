// get_system_info's answer, and `schedcp-cli info`'s table of it.
#pragma once

#include <boost/json/object.hpp>

#include "schedcp/sdk/services.hpp"
#include "sysfs_text.hpp"
#include "version_probe.hpp"

namespace schedcp::plugins::system {

// {"kernel", "sched_ext", "cpu", "memory", "load", "schedulers"}. Blocking (the version
// probe runs programs): call it off the event loop.
boost::json::object system_info(const HostRoots& roots, const sdk::ServiceRegistry& services,
                                VersionProbe& versions);

// The schedulers installed here, from the catalog and the runner's locator, with their
// `--version`: {"available": true, "catalogued": N, "installed": [{"name", "path",
// "version", "version_error"?}]}, or {"available": false, "reason"} without those services.
boost::json::object installed_schedulers(const sdk::ServiceRegistry& services,
                                         VersionProbe& versions);

std::string render_system_info(const boost::json::object& info);

}  // namespace schedcp::plugins::system
