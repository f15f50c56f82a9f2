// sched_ext's sysfs state for plugins: the reader of sched_ext_sysfs_core.hpp (which the
// Boost-free schedcp-loader shares) plus the JSON every tool and command reports it as.
#pragma once

#include <boost/json/object.hpp>

#include "schedcp/sdk/export.hpp"
#include "schedcp/sdk/sched_ext_sysfs_core.hpp"

namespace schedcp::sdk::sched_ext {

// {"sched_ext": false} without sched_ext; else {"sched_ext": true, "state": "enabled",
// "ops": "rusty" | null, and "enable_seq", "nr_rejected", "switch_all", "hotplug_seq" when
// the kernel has those files, and "events": {"SCX_EV_...": N, ...} while a scheduler is
// loaded on a kernel that counts them}.
SCHEDCP_SDK_API boost::json::object to_json(const Status& status);

// The JSON Schema of what to_json(Status) writes, for the output schemas of the tools that
// report it (closed: a field it gains must be added here, and the tools' tests say so).
SCHEDCP_SDK_API boost::json::object status_schema();

}  // namespace schedcp::sdk::sched_ext
