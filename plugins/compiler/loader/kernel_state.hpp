// What sched_ext reports in sysfs (<root>/state and <root>/root/ops), for the loader's
// checks before attaching, while running, and after detaching.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace schedcp::loader {

struct KernelState {
    bool present = false;            // <root> exists: the kernel has sched_ext
    std::string state;               // enabling, enabled, disabling, disabled
    std::optional<std::string> ops;  // the loaded scheduler's ops name
    bool enabled_with(const std::string& name) const { return state == "enabled" && ops == name; }
    std::string describe() const;  // "enabled (ops 'simple')", "disabled"
};

KernelState read_kernel_state(const std::filesystem::path& root);

}  // namespace schedcp::loader
