// What get_system_info reports about the host, apart from the topology and the installed
// schedulers: the kernel and its features, sched_ext's state and event counters, memory
// and load. Read from files under HostRoots, never by running a program.
#pragma once

#include <boost/json/object.hpp>

#include "schedcp/sdk/sysfs_text.hpp"

namespace schedcp::plugins::system {

using sdk::host::HostRoots;

// {"release", "architecture", "btf": {"available", "path"}, "cgroup_v2": mounted at all,
//  "cgroup_mode": "unified" (v2 only) | "hybrid" (v2 beside v1) | "legacy" (v1 only),
//  "psi": {"available", "reason"?}}
boost::json::object kernel_facts(const HostRoots& roots);

// sdk::sched_ext::to_json of <sys>/kernel/sched_ext plus "present" (and "reason" when
// absent), with "events" always there when sched_ext is:
// {"available": true, "counters": {...}} or {"available": false, "reason"}.
boost::json::object sched_ext_facts(const HostRoots& roots);

// {"total_mb", "available_mb", "swap_total_mb", "swap_free_mb"} from <proc>/meminfo.
boost::json::object memory_facts(const HostRoots& roots);

// {"one_minute", "five_minutes", "fifteen_minutes", "runnable", "tasks"} from <proc>/loadavg.
boost::json::object load_facts(const HostRoots& roots);

}  // namespace schedcp::plugins::system
