// Who is in charge of sched_ext on this host: this schedcp process, another schedcp process
// (a `schedcp-cli run` / `default run`, e.g. the boot-default unit), scx_loader, scx.service,
// someone else (with pid and command), or nobody. The runner refuses to fight another
// manager with it, and get_system_info reports it.
//
// From the kernel's own facts, not from names:
//   - who holds the scheduler: the process with a BPF link fd of link_type struct_ops
//     (/proc/PID/fd/N -> "anon_inode:bpf_link", /proc/PID/fdinfo/N "link_type:\tstruct_ops");
//     a sched_ext scheduler stays loaded exactly as long as its link does;
//   - who started it: the holder's parent chain (/proc/PID/stat, /proc/PID/comm): a
//     schedcp-guard means schedcp (its parent, past sudo, is the schedcp process); a
//     scx_loader parent means scx_loader;
//   - the systemd unit: the holder's cgroup v2 path (/proc/PID/cgroup "0::/system.slice/
//     scx.service"), and whether the known units run at all (<cgroup>/system.slice/UNIT/
//     cgroup.events "populated 1": systemd keeps a unit's cgroup populated while it runs).
// scx_loader's D-Bus name (org.scx.Loader) is not asked: it says scx_loader is activated, not
// that it runs a scheduler, and asking it needs a D-Bus client library or a hand-written
// protocol client; the link holder and its unit answer the question directly.
//
// Bounded work: nothing is scanned while sched_ext is disabled or the caller's own
// scheduler is the loaded one; otherwise the known units' processes are looked at first,
// then /proc, at most ManagerQuery::max_fds descriptors (the answer says how many it read).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "schedcp/sdk/export.hpp"
#include "schedcp/sdk/sched_ext_sysfs_core.hpp"

namespace schedcp::sdk::sched_ext {

enum class ManagerKind {
    nobody,        // sched_ext disabled (or absent)
    this_process,  // the caller's own execution
    schedcp,       // another schedcp process (schedcp-cli run, default run, an MCP server)
    scx_loader,    // scx_loader (D-Bus org.scx.Loader, scx_loader.service)
    scx_service,   // scx.service (/etc/default/scx)
    other,         // a process none of the above: named by pid and command
    unknown,       // loaded, but no process visible here holds it (pinned link, other pid ns)
};
SCHEDCP_SDK_API std::string_view manager_kind_name(ManagerKind kind);

// How the answer was found.
enum class ManagerEvidence {
    none,           // nothing loaded
    own_execution,  // the caller's own running execution has the loaded ops
    bpf_link,       // the process holding the struct_ops BPF link, and its parents and cgroup
    unit,           // no holder visible; a manager's unit runs
};
SCHEDCP_SDK_API std::string_view manager_evidence_name(ManagerEvidence evidence);

struct ManagerRoots {
    std::filesystem::path proc = "/proc";
    std::filesystem::path cgroup = "/sys/fs/cgroup";
    std::filesystem::path sched_ext = kDefaultRoot;
};

// The systemd units whose cgroups are looked at, and what they mean.
inline constexpr std::string_view kScxServiceUnit = "scx.service";
inline constexpr std::string_view kScxLoaderUnit = "scx_loader.service";
inline constexpr std::string_view kSchedcpDefaultUnit = "schedcp-default.service";

struct ProcessFacts {
    int pid = 0;
    int ppid = 0;
    std::string comm;                 // /proc/PID/comm (at most 15 bytes)
    std::vector<std::string> argv;    // /proc/PID/cmdline (bounded)
    std::optional<std::string> unit;  // the innermost .service/.scope of its cgroup v2 path
    // argv joined by spaces, sanitised and bounded, else "[comm]".
    SCHEDCP_SDK_API std::string command() const;
};

struct UnitState {
    std::string name;
    bool active = false;    // its cgroup is populated
    std::vector<int> pids;  // its cgroup's own processes (first few)
};

// The caller's own scheduler, when it runs one: it is in charge when its ops are loaded.
struct OwnExecution {
    std::string execution_id;
    std::string scheduler;
    std::string ops;  // the ops name it loads
    std::optional<int> pid;
};

struct ManagerQuery {
    ManagerRoots roots;
    int self_pid = 0;  // 0: this process (getpid()); tests name a pid of their fake tree
    std::optional<OwnExecution> own;
    std::size_t max_fds = 65536;  // descriptors looked at in the /proc scan, at most
};

struct ManagerScan {
    std::size_t processes = 0;  // processes whose descriptors were looked at
    std::size_t fds = 0;        // descriptors looked at
    bool full_scan = false;     // /proc was scanned (the units' processes did not hold it)
    bool truncated = false;     // max_fds was reached before the end
};

struct Manager {
    ManagerKind kind = ManagerKind::nobody;
    ManagerEvidence evidence = ManagerEvidence::none;
    Status kernel;
    std::optional<ProcessFacts> holder;  // holds the struct_ops link
    std::optional<ProcessFacts> guard;   // schedcp-guard between holder and owner (schedcp)
    std::optional<ProcessFacts> owner;   // the process in charge (a schedcp, scx_loader, ...)
    std::optional<std::string> unit;     // the systemd unit in charge, when there is one
    std::optional<OwnExecution> own;     // kind this_process: the caller's execution
    std::vector<UnitState> units;        // scx.service, scx_loader.service, schedcp-default
    ManagerScan scan;
    std::string summary;    // one sentence: who, with pids and commands
    std::string hand_over;  // how to make it let go ("" for nobody and this_process)

    // The unit named, when it runs.
    SCHEDCP_SDK_API const UnitState* active_unit(std::string_view name) const;
};

// Reads the kernel, the units and (only when needed) the processes. Never throws; what
// cannot be read is treated as absent.
SCHEDCP_SDK_API Manager find_manager(const ManagerQuery& query);

// {"kind", "evidence", "summary", "hand_over"?, "holder"?, "guard"?, "owner"? ({pid, ppid,
// comm, command, unit}), "unit"?, "execution_id"?, "units": [{name, active, pids}],
// "scan": {processes, fds, full_scan, truncated}}.
SCHEDCP_SDK_API boost::json::object to_json(const Manager& manager);

// The JSON Schema of what to_json(Manager) writes (closed, as status_schema()).
SCHEDCP_SDK_API boost::json::object manager_schema();

// Parsers of the kernel's files, exposed for tests.
namespace proc_text {
// fdinfo's "link_type:\tNAME" value, or nullopt.
SCHEDCP_SDK_API std::optional<std::string> link_type(std::string_view fdinfo);
// The parent pid from /proc/PID/stat (after the last ')', the state, then ppid).
SCHEDCP_SDK_API std::optional<int> stat_ppid(std::string_view stat);
// The innermost systemd unit (".service" or ".scope" component) of the cgroup v2 line
// "0::/system.slice/scx.service", or nullopt.
SCHEDCP_SDK_API std::optional<std::string> cgroup_unit(std::string_view proc_cgroup);
// cgroup.events' "populated 1".
SCHEDCP_SDK_API bool cgroup_populated(std::string_view cgroup_events);
}  // namespace proc_text

}  // namespace schedcp::sdk::sched_ext
