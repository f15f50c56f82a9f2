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
};

}  // namespace schedcp::test
