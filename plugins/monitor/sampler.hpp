// One sample of the system (from /proc and sysfs) and the summary of a series of them.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "proc_sources.hpp"
#include "schedcp/sdk/sched_ext.hpp"
#include "schedcp/sdk/scx_stats.hpp"

namespace schedcp::plugins::monitor {

struct Sources {
    std::filesystem::path proc_root = "/proc";  // stat, meminfo, schedstat, pressure/cpu, loadavg
    std::filesystem::path sched_ext_root = sdk::sched_ext::kDefaultRoot;
    // The running scheduler's scx_stats socket, read at each sample while it exists. A
    // session reads it on the blocking pool, one read at a time (see Monitor), so a socket
    // that never answers holds a worker until the deadline, never the sampling.
    std::filesystem::path scx_stats_socket = sdk::scx_stats::kDefaultSocket;
    int scx_stats_timeout_ms = 100;
};

// A scheduler's statistics (scx_stats "stats", target "top") as numbers: each numeric
// leaf under a dotted name ("doms.0.load"), at most kMaxSchedulerStatsFields of them.
struct SchedulerStats {
    std::vector<std::pair<std::string, double>> fields;
};
inline constexpr std::size_t kMaxSchedulerStatsFields = 256;
SchedulerStats numeric_fields(const boost::json::value& stats);

struct Sample {
    double t = 0;  // seconds since the session started
    std::optional<ProcStat> stat;
    std::optional<MemInfo> mem;
    std::optional<SchedStat> schedstat;
    std::optional<Pressure> pressure;
    std::optional<double> load1;
    sdk::sched_ext::Status sched_ext;  // present = false when the kernel has no sched_ext
    std::optional<SchedulerStats> scheduler_stats;
    std::string scheduler_stats_reason;  // why scheduler_stats is empty
};

// Everything but the scheduler's statistics: files only, cheap enough for the event loop.
Sample take_system_sample(const Sources& sources, double t);

// The scheduler's statistics at this moment, or why there are none. `socket_exists` comes
// first and costs one stat; read_scheduler_stats talks to the socket and may wait up to
// scx_stats_timeout_ms (blocking).
struct StatsReading {
    std::optional<SchedulerStats> stats;
    std::string reason;  // when stats is empty
};
bool socket_exists(const Sources& sources);
std::string no_socket_reason(const Sources& sources);
StatsReading read_scheduler_stats(const Sources& sources);

// take_system_sample plus read_scheduler_stats, in the caller's thread (tests, benchmarks).
Sample take_sample(const Sources& sources, double t);

// A kernel text file's content; nullopt when it is missing or unreadable.
std::optional<std::string> read_text(const std::filesystem::path& path);

// Whether each source exists on this kernel, and why not: {"cpu": {"available": true},
// "schedstat": {"available": false, "reason": "..."}, ...}.
boost::json::object probe_sources(const Sources& sources);

}  // namespace schedcp::plugins::monitor
