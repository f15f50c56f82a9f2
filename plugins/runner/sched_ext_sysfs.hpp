// What the kernel says about sched_ext right now, read from sysfs
// (/sys/kernel/sched_ext: state, root/ops, enable_seq, nr_rejected, switch_all).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

namespace schedcp::plugins::runner {

struct SchedExtState {
    bool present = false;            // the directory exists: the kernel has sched_ext
    std::string state;               // enabling, enabled, disabling, disabled
    std::optional<std::string> ops;  // the loaded scheduler's name (root/ops), when enabled
    std::optional<std::uint64_t> enable_seq;
    std::optional<std::uint64_t> nr_rejected;
    std::optional<bool> switch_all;

    bool loaded() const { return present && state != "disabled"; }
    boost::json::object to_json() const;
};

SchedExtState read_sched_ext(const std::filesystem::path& root);

// uname -r, for messages.
std::string kernel_release();

// The message for a kernel without sched_ext.
std::string no_sched_ext_message(const std::filesystem::path& root);

}  // namespace schedcp::plugins::runner
