// A fake host for the system plugin's tests: files written under <dir>/sys and <dir>/proc,
// which HostRoots then points at.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "schedcp/sdk/sysfs_text.hpp"
#include "subprocess.hpp"

namespace schedcp::test {

// A fake host: files written under <dir>/sys and <dir>/proc.
struct FakeHost {
    TempDir dir;
    schedcp::sdk::host::HostRoots roots{.sys = dir.file("sys"), .proc = dir.file("proc")};

    void put(const std::filesystem::path& path, const std::string& content) const {
        const std::filesystem::path p = std::filesystem::path(dir.path()) / path;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p) << content;
    }
    void cpu(int c, const std::string& file, const std::string& content) const {
        put("sys/devices/system/cpu/cpu" + std::to_string(c) + "/" + file, content + "\n");
    }
    // One CPU's topology and its caches: L1d and L1i of its own, L2 shared with `l2`, L3
    // shared with `llc`.
    void cpu_topology(int c, int package, int core, const std::string& siblings,
                      const std::string& l2, const std::string& llc) const {
        cpu(c, "topology/physical_package_id", std::to_string(package));
        cpu(c, "topology/core_id", std::to_string(core));
        cpu(c, "topology/thread_siblings_list", siblings);
        const std::pair<std::string, std::string> caches[] = {{"1 Data", std::to_string(c)},
                                                              {"1 Instruction", std::to_string(c)},
                                                              {"2 Unified", l2},
                                                              {"3 Unified", llc}};
        int i = 0;
        for (const auto& [level_type, shared] : caches) {
            const std::string idx = "cache/index" + std::to_string(i++) + "/";
            cpu(c, idx + "level", level_type.substr(0, 1));
            cpu(c, idx + "type", level_type.substr(2));
            cpu(c, idx + "shared_cpu_list", shared);
            cpu(c, idx + "size", level_type[0] == '3' ? "16384K" : "512K");
        }
    }
    // The synthetic layouts the topology and fit tests share.
    void two_numa_nodes_of_two_llcs_with_smt() const {
        // 16 CPUs on 2 packages (one NUMA node each), 8 cores of 2 threads (siblings 2k, 2k+1),
        // 4 LLCs of 2 cores; CPU 16 offline, CPU 15 isolated.
        put("sys/devices/system/cpu/online", "0-15\n");
        put("sys/devices/system/cpu/offline", "16\n");
        put("sys/devices/system/cpu/possible", "0-16\n");
        put("sys/devices/system/cpu/isolated", "15\n");
        put("sys/devices/system/cpu/smt/active", "1\n");
        for (int c = 0; c < 16; ++c) {
            const int core = c / 2, llc = c / 4;
            const std::string siblings =
                std::to_string(2 * core) + "-" + std::to_string(2 * core + 1);
            cpu_topology(c, c / 8, core % 4, siblings, siblings,
                         std::to_string(4 * llc) + "-" + std::to_string(4 * llc + 3));
            cpu(c, "cpufreq/cpuinfo_min_freq", "400000");
            cpu(c, "cpufreq/cpuinfo_max_freq", c < 8 ? "3500000" : "3700000");
        }
        put("sys/devices/system/node/online", "0-1\n");
        put("sys/devices/system/node/node0/cpulist", "0-7\n");
        put("sys/devices/system/node/node1/cpulist", "8-15\n");
        put("sys/devices/system/node/node0/meminfo",
            "Node 0 MemTotal:       16777216 kB\nNode 0 MemFree:        8388608 kB\n");
        put("sys/devices/system/node/node1/meminfo",
            "Node 1 MemTotal:       8388608 kB\nNode 1 MemFree:        1048576 kB\n");
        put("proc/cpuinfo",
            "processor\t: 0\nvendor_id\t: AuthenticAMD\n"
            "model name\t: AMD EPYC 7302P 16-Core Processor\n\nprocessor\t: 1\n");
    }
    void intel_hybrid() const {
        // 4 P-cores with SMT (CPUs 0-7) and 4 E-cores (8-11), one L3 for all; every CPU has the
        // same cpu_capacity, so only the PMUs tell the core types apart.
        put("sys/devices/system/cpu/online", "0-11\n");
        for (int c = 0; c < 12; ++c) {
            const std::string siblings =
                c < 8 ? std::to_string(c & ~1) + "-" + std::to_string(c | 1) : std::to_string(c);
            cpu_topology(c, 0, c < 8 ? c / 2 : c, siblings, c < 8 ? siblings : "8-11", "0-11");
            cpu(c, "cpu_capacity", "1024");
        }
        put("sys/devices/system/node/online", "0\n");
        put("sys/devices/system/node/node0/cpulist", "0-11\n");
        put("sys/bus/event_source/devices/cpu_core/cpus", "0-7\n");
        put("sys/bus/event_source/devices/cpu_atom/cpus", "8-11\n");
        put("sys/bus/event_source/devices/software/type", "1\n");  // not a core type
        put("proc/cpuinfo", "model name\t: 12th Gen Intel(R) Core(TM) i5-1240P\n");
    }
};

}  // namespace schedcp::test
