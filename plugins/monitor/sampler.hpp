// One sample of the system (from /proc and sysfs) and the summary of a series of them.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "proc_sources.hpp"
#include "schedcp/sdk/sched_ext.hpp"

namespace schedcp::plugins::monitor {

struct Sources {
    std::filesystem::path proc_root = "/proc";  // stat, meminfo, schedstat, pressure/cpu, loadavg
    std::filesystem::path sched_ext_root = sdk::sched_ext::kDefaultRoot;
};

struct Sample {
    double t = 0;  // seconds since the session started
    std::optional<ProcStat> stat;
    std::optional<MemInfo> mem;
    std::optional<SchedStat> schedstat;
    std::optional<Pressure> pressure;
    std::optional<double> load1;
    sdk::sched_ext::Status sched_ext;  // present = false when the kernel has no sched_ext
};

Sample take_sample(const Sources& sources, double t);

// Whether each source exists on this kernel, and why not: {"cpu": {"available": true},
// "schedstat": {"available": false, "reason": "..."}, ...}.
boost::json::object probe_sources(const Sources& sources);

}  // namespace schedcp::plugins::monitor
