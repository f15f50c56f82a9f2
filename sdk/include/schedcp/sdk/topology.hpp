// The CPU topology, from /sys/devices/system/cpu, /sys/devices/system/node,
// /sys/bus/event_source/devices and /proc/cpuinfo: what a scheduler's choice depends on
// (SMT, last-level caches, NUMA nodes, hybrid cores). In the SDK because two plugins use it:
// the system plugin reports it (get_system_info), the catalog judges each scheduler's fit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "schedcp/sdk/export.hpp"
#include "schedcp/sdk/sysfs_text.hpp"

namespace schedcp::sdk::host {

// CPUs that share one last-level cache.
struct CacheDomain {
    int level = 0;
    std::string size;  // as the kernel writes it ("32768K"), "" when not given
    std::vector<int> cpus;
};

struct NumaNode {
    int id = 0;
    std::vector<int> cpus;
    std::optional<std::uint64_t> mem_total_kb, mem_free_kb;
};

// A kind of core on a hybrid CPU: from the PMUs (cpu_core = performance, cpu_atom =
// efficiency on Intel), or a cpu_capacity value (big.LITTLE).
struct CoreType {
    std::string name;
    std::vector<int> cpus;
    std::optional<std::uint64_t> capacity;  // cpu_capacity (1024 = the biggest)
};

struct Topology {
    std::string model;  // /proc/cpuinfo's model name ("" when it has none)
    std::vector<int> online, offline, isolated, possible;
    int cores = 0;                               // physical cores among the online CPUs
    int threads_per_core = 1;                    // the most SMT siblings any core has
    std::optional<bool> smt_active;              // /sys/devices/system/cpu/smt/active
    std::vector<std::vector<int>> smt_siblings;  // groups of CPUs sharing a core (size > 1)
    int packages = 0;
    std::vector<CacheDomain> llc;  // last-level cache domains
    std::vector<NumaNode> nodes;
    std::string hybrid_source;                      // "pmu", "cpu_capacity", or "" (not hybrid)
    std::vector<CoreType> core_types;               // only for a hybrid CPU
    std::optional<std::uint64_t> min_mhz, max_mhz;  // cpufreq's cpuinfo range over all CPUs
};

SCHEDCP_SDK_API Topology read_topology(const HostRoots& roots);

SCHEDCP_SDK_API boost::json::object to_json(const Topology& t);

}  // namespace schedcp::sdk::host
