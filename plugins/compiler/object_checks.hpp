// Static checks of a compiled scheduler object, without loading it: libbpf opens it (as
// the loader will), and the checks read what makes a sched_ext scheduler loadable or
// not before the kernel is asked:
//  - one struct_ops map whose value type is struct sched_ext_ops (SCX_OPS_DEFINE);
//  - a GPL-compatible license (the kernel refuses kfunc calls from other programs);
//  - the ops .name: present, and only letters, digits, '_' and '.' (what the kernel takes);
//  - timeout_ms within the kernel's 30 s watchdog limit;
//  - the callbacks: which struct_ops program fills which sched_ext_ops member, read
//    from the relocations of the ops section;
// plus warnings for things that load but likely are not what was meant (programs the
// ops table does not use, sleepable programs in callbacks that cannot sleep, no UEI).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace schedcp::plugins::compiler {

// The kernel's watchdog refuses timeouts above SCX_WATCHDOG_MAX_TIMEOUT (30 * HZ).
inline constexpr std::uint32_t kMaxTimeoutMs = 30000;
// Members whose programs may sleep (bpf_scx_check_member, Linux 6.12 .. 6.19).
inline const std::set<std::string> kSleepableMembers = {
    "init_task",  "cgroup_init", "cgroup_exit", "cgroup_prep_move",
    "cpu_online", "cpu_offline", "init",        "exit"};
// Licenses the kernel treats as GPL-compatible (license_is_gpl_compatible()).
inline const std::set<std::string> kGplLicenses = {
    "GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL"};

struct Callback {
    std::string callback;  // the sched_ext_ops member, e.g. "enqueue"
    std::string program;   // the BPF program, e.g. "simple_enqueue"
    bool sleepable = false;
};

struct ObjectReport {
    std::vector<std::string> errors;  // each says what is wrong and what to do
    std::vector<std::string> warnings;
    std::string ops_map;  // the SCX_OPS_DEFINE variable, e.g. "simple_ops"
    std::optional<std::string> ops_name;
    std::optional<std::string> license;
    bool gpl_compatible = false;
    bool link = false;                        // in .struct_ops.link: detaches with its loader
    std::optional<std::uint64_t> flags;       // sched_ext_ops.flags (SCX_OPS_*)
    std::optional<std::uint32_t> timeout_ms;  // sched_ext_ops.timeout_ms
    bool exit_info = false;                   // UEI_DEFINE present
    std::vector<Callback> callbacks;          // reported beside the checks, not inside them
    std::vector<std::string> programs;        // every program in the object

    bool passed() const { return errors.empty(); }
    boost::json::object to_json() const;
};

// Blocking. Never throws for a bad object: what is wrong is in `errors`.
ObjectReport check_object(const std::filesystem::path& object);

}  // namespace schedcp::plugins::compiler
