// get_system_info's answer, and `schedcp-cli info`'s table of it.
#pragma once

#include <boost/json/object.hpp>

#include "schedcp/sdk/services.hpp"
#include "schedcp/sdk/sysfs_text.hpp"
#include "version_probe.hpp"

namespace schedcp::plugins::system {

using sdk::host::HostRoots;

// {"kernel", "sched_ext", "manager", "cpu", "memory", "load", "schedulers"}. Blocking (the version
// probe runs programs): call it off the event loop.
boost::json::object system_info(const HostRoots& roots, const sdk::ServiceRegistry& services,
                                VersionProbe& versions);

// The schedulers installed here, from the catalog and the runner's locator, with their
// `--version`: {"available": true, "catalogued": N, "installed": [{"name", "path",
// "version", "version_error"?}]}, or {"available": false, "reason"} without those services.
boost::json::object installed_schedulers(const sdk::ServiceRegistry& services,
                                         VersionProbe& versions);

// Who is in charge of sched_ext (sdk/sched_ext_manager.hpp): the runner's own execution in
// this process, another schedcp process, scx_loader, scx.service, someone else, or nobody.
boost::json::object manager_in_charge(const HostRoots& roots, const sdk::ServiceRegistry& services);

std::string render_system_info(const boost::json::object& info);

}  // namespace schedcp::plugins::system
