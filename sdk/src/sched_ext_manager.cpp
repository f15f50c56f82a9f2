#include "schedcp/sdk/sched_ext_manager.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>

#include "schedcp/sdk/text.hpp"

namespace schedcp::sdk::sched_ext {

namespace fs = std::filesystem;
namespace bj = boost::json;

namespace {

constexpr std::size_t kMaxSmallFile = 64 * 1024;
constexpr std::size_t kMaxArgvItems = 64;
constexpr std::size_t kMaxArgvBytes = 4096;
constexpr std::size_t kMaxUnitPids = 16;
constexpr std::size_t kMaxHolders = 8;  // struct_ops holders kept from a scan
constexpr int kMaxAncestors = 16;       // parents followed up from the holder
constexpr std::string_view kBpfLinkTarget = "anon_inode:bpf_link";

// Calls f(line) for each line of text (without its newline); stops when f returns true.
template <class F>
void for_each_line(std::string_view text, F f) {
    for (std::size_t start = 0; start < text.size();) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        if (f(text.substr(start, end - start))) return;
        start = end + 1;
    }
}

std::optional<std::string> read_small(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::string s(kMaxSmallFile, '\0');
    in.read(s.data(), static_cast<std::streamsize>(s.size()));
    s.resize(static_cast<std::size_t>(in.gcount()));
    return s;
}

std::optional<int> to_pid(std::string_view s) {
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

std::string trim_line(std::string s) {
    if (auto nl = s.find('\n'); nl != std::string::npos) s.resize(nl);
    return s;
}

std::optional<ProcessFacts> process_facts(const fs::path& proc, int pid) {
    const fs::path dir = proc / std::to_string(pid);
    auto stat = read_small(dir / "stat");
    if (!stat) return std::nullopt;
    ProcessFacts p{.pid = pid, .ppid = proc_text::stat_ppid(*stat).value_or(0)};
    p.comm = trim_line(read_small(dir / "comm").value_or(""));
    if (auto cmdline = read_small(dir / "cmdline")) {
        std::size_t bytes = 0;
        for (std::size_t start = 0; start < cmdline->size() && p.argv.size() < kMaxArgvItems;) {
            auto end = cmdline->find('\0', start);
            if (end == std::string::npos) end = cmdline->size();
            std::string arg = cmdline->substr(start, end - start);
            bytes += arg.size();
            if (bytes > kMaxArgvBytes) break;
            p.argv.push_back(std::move(arg));
            start = end + 1;
        }
    }
    if (auto cgroup = read_small(dir / "cgroup"))
        if (auto unit = proc_text::cgroup_unit(*cgroup)) p.unit = text::sanitize(*unit, 256);
    return p;
}

// Whether `pid` holds a struct_ops BPF link; counts what it looked at. Stops at `budget`.
bool holds_struct_ops_link(const fs::path& proc, int pid, ManagerScan& scan, std::size_t budget) {
    const fs::path fd_dir = proc / std::to_string(pid) / "fd";
    std::error_code ec;
    fs::directory_iterator it(fd_dir, ec), end;
    if (ec) return false;
    ++scan.processes;
    for (; it != end; it.increment(ec)) {
        if (ec) return false;
        if (scan.fds >= budget) {
            scan.truncated = true;
            return false;
        }
        ++scan.fds;
        std::error_code link_ec;
        const fs::path target = fs::read_symlink(it->path(), link_ec);
        if (link_ec || target.native() != kBpfLinkTarget) continue;
        auto info = read_small(proc / std::to_string(pid) / "fdinfo" / it->path().filename());
        if (info && proc_text::link_type(*info) == "struct_ops") return true;
    }
    return false;
}

std::vector<int> numeric_entries(const fs::path& dir) {
    std::vector<int> pids;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (auto pid = to_pid(it->path().filename().native())) pids.push_back(*pid);
    std::sort(pids.begin(), pids.end());
    return pids;
}

UnitState read_unit(const fs::path& cgroup_root, std::string_view name) {
    const fs::path dir = cgroup_root / "system.slice" / std::string(name);
    UnitState u{.name = std::string(name)};
    auto events = read_small(dir / "cgroup.events");
    u.active = events && proc_text::cgroup_populated(*events);
    if (!u.active) return u;
    for_each_line(read_small(dir / "cgroup.procs").value_or(""), [&](std::string_view line) {
        if (auto pid = to_pid(line)) u.pids.push_back(*pid);
        return u.pids.size() >= kMaxUnitPids;
    });
    return u;
}

// A holder that looks like a scheduler wins over another struct_ops user.
bool looks_like_scheduler(const ProcessFacts& p, const std::optional<std::string>& ops) {
    if (p.comm.starts_with("scx_") || p.comm == "schedcp-loader") return true;
    if (!ops || p.argv.empty()) return false;
    return fs::path(p.argv.front()).filename().native().find(*ops) != std::string::npos;
}

std::optional<ProcessFacts> find_holder(const ManagerQuery& q, Manager& m) {
    // 1. The known units' processes: where a manager's scheduler usually is.
    for (const auto& u : m.units)
        for (int pid : u.pids)
            if (holds_struct_ops_link(q.roots.proc, pid, m.scan, q.max_fds))
                return process_facts(q.roots.proc, pid);
    // 2. Every process, bounded by max_fds.
    m.scan.full_scan = true;
    std::vector<ProcessFacts> holders;
    for (int pid : numeric_entries(q.roots.proc)) {
        if (m.scan.truncated || holders.size() >= kMaxHolders) break;
        if (holds_struct_ops_link(q.roots.proc, pid, m.scan, q.max_fds))
            if (auto p = process_facts(q.roots.proc, pid)) holders.push_back(std::move(*p));
    }
    for (auto& h : holders)
        if (looks_like_scheduler(h, m.kernel.ops)) return std::move(h);
    if (!holders.empty()) return std::move(holders.front());
    return std::nullopt;
}

std::string with_unit(const ProcessFacts& p) {
    return "pid " + std::to_string(p.pid) + " (" + p.command() + ")" +
           (p.unit ? ", unit " + *p.unit : std::string());
}

std::string loaded(const Status& k) {
    return k.ops ? "'" + *k.ops + "'" : std::string("a scheduler");
}

// Who the holder's parents say is in charge.
void classify(const ManagerQuery& q, Manager& m) {
    const ProcessFacts& h = *m.holder;
    const int self = q.self_pid ? q.self_pid : static_cast<int>(::getpid());
    std::vector<ProcessFacts> chain;  // the holder's parents, nearest first
    for (int pid = h.ppid, n = 0; pid > 1 && n < kMaxAncestors; ++n) {
        auto p = process_facts(q.roots.proc, pid);
        if (!p) break;
        pid = p->ppid;
        chain.push_back(std::move(*p));
    }
    const bool ours = h.pid == self || std::any_of(chain.begin(), chain.end(),
                                                   [&](const auto& p) { return p.pid == self; });
    const std::string holds = loaded(m.kernel) + " is held by " + with_unit(h);
    for (std::size_t i = 0; i < chain.size(); ++i) {
        if (chain[i].comm != "schedcp-guard") continue;
        m.guard = chain[i];
        for (std::size_t j = i + 1; j < chain.size(); ++j)
            if (chain[j].comm != "sudo") {
                m.owner = chain[j];
                break;
            }
        if (ours) {
            m.kind = ManagerKind::this_process;
            m.summary = "this schedcp process: " + holds;
            return;
        }
        m.kind = ManagerKind::schedcp;
        m.unit = m.owner ? m.owner->unit : std::nullopt;
        m.summary = "another schedcp process" +
                    (m.owner ? ", " + with_unit(*m.owner) : std::string()) + ": " + holds;
        m.hand_over =
            (m.unit && *m.unit == kSchedcpDefaultUnit
                 ? "`systemctl stop " + *m.unit + "`"
                 : "stop it where it runs (Ctrl-C, or `kill -TERM " +
                       std::to_string(m.owner ? m.owner->pid : h.pid) + "`)") +
            "; `schedcp-cli switch NAME` takes over from a `schedcp-cli run` or `default run`";
        return;
    }
    if (ours) {
        m.kind = ManagerKind::this_process;
        m.summary = "this schedcp process: " + holds;
        return;
    }
    auto loader = std::find_if(chain.begin(), chain.end(),
                               [](const auto& p) { return p.comm == "scx_loader"; });
    if (h.unit == kScxLoaderUnit || loader != chain.end()) {
        m.kind = ManagerKind::scx_loader;
        m.owner = loader != chain.end() ? *loader : h;
        m.unit = m.owner->unit;
        m.summary = "scx_loader (" + with_unit(*m.owner) + "): " + holds;
        m.hand_over =
            "stop its scheduler over D-Bus: `dbus-send --system --print-reply "
            "--dest=org.scx.Loader /org/scx/Loader org.scx.Loader.StopScheduler` (or `scxctl "
            "stop`), or `systemctl stop scx_loader.service`";
        return;
    }
    if (h.unit == kScxServiceUnit) {
        m.kind = ManagerKind::scx_service;
        m.owner = h;
        m.unit = h.unit;
        m.summary = "scx.service: " + holds;
        m.hand_over =
            "`systemctl stop scx.service` (and `systemctl disable scx.service` to keep it from "
            "starting at boot)";
        return;
    }
    m.kind = ManagerKind::other;
    m.owner = h;
    m.unit = h.unit;
    m.summary = "someone else: " + holds;
    m.hand_over = "stop pid " + std::to_string(h.pid) +
                  " where it was started (SIGINT unloads an scx scheduler cleanly)";
}

// No holder visible: a running manager's unit, else unknown.
void classify_without_holder(Manager& m) {
    for (auto [name, kind] : {std::pair{kScxServiceUnit, ManagerKind::scx_service},
                              std::pair{kScxLoaderUnit, ManagerKind::scx_loader}}) {
        if (const auto* u = m.active_unit(name)) {
            m.kind = kind;
            m.evidence = ManagerEvidence::unit;
            m.unit = u->name;
            m.summary = loaded(m.kernel) + " is loaded and " + u->name +
                        " runs (no process visible here holds the scheduler's BPF link)";
            m.hand_over = "`systemctl stop " + u->name + "`";
            return;
        }
    }
    m.kind = ManagerKind::unknown;
    m.summary = loaded(m.kernel) +
                " is loaded, but no process visible here holds its BPF link (a link pinned in "
                "bpffs, or a process in another PID namespace)";
    m.hand_over =
        "find who loaded it (`bpftool link show` lists struct_ops links); schedcp leaves it "
        "alone";
}

}  // namespace

std::string_view manager_kind_name(ManagerKind kind) {
    switch (kind) {
        case ManagerKind::nobody:
            return "nobody";
        case ManagerKind::this_process:
            return "this_process";
        case ManagerKind::schedcp:
            return "schedcp";
        case ManagerKind::scx_loader:
            return "scx_loader";
        case ManagerKind::scx_service:
            return "scx_service";
        case ManagerKind::other:
            return "other";
        case ManagerKind::unknown:
            break;
    }
    return "unknown";
}

std::string_view manager_evidence_name(ManagerEvidence evidence) {
    switch (evidence) {
        case ManagerEvidence::none:
            return "none";
        case ManagerEvidence::own_execution:
            return "own_execution";
        case ManagerEvidence::bpf_link:
            return "bpf_link";
        case ManagerEvidence::unit:
            break;
    }
    return "unit";
}

std::string ProcessFacts::command() const {
    if (argv.empty()) return "[" + text::sanitize(comm, 64) + "]";
    std::string s;
    for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
    return text::sanitize(s, 300);
}

const UnitState* Manager::active_unit(std::string_view name) const {
    for (const auto& u : units)
        if (u.name == name && u.active) return &u;
    return nullptr;
}

Manager find_manager(const ManagerQuery& q) {
    Manager m;
    m.kernel = read_status(q.roots.sched_ext);
    for (auto name : {kScxServiceUnit, kScxLoaderUnit, kSchedcpDefaultUnit})
        m.units.push_back(read_unit(q.roots.cgroup, name));
    if (!m.kernel.busy()) {
        m.summary = m.kernel.present ? "nobody: sched_ext is " + m.kernel.state_text()
                                     : "nobody: this kernel has no sched_ext";
        if (m.active_unit(kScxServiceUnit))
            m.summary += "; but scx.service runs and starts its own scheduler";
        return m;
    }
    if (q.own && (!m.kernel.ops || *m.kernel.ops == q.own->ops)) {
        m.kind = ManagerKind::this_process;
        m.evidence = ManagerEvidence::own_execution;
        m.own = q.own;
        m.summary = "this schedcp process: execution " + q.own->execution_id + " (" +
                    q.own->scheduler + ")" +
                    (q.own->pid ? ", pid " + std::to_string(*q.own->pid) : std::string());
        return m;
    }
    m.holder = find_holder(q, m);
    if (!m.holder) {
        classify_without_holder(m);
        return m;
    }
    m.evidence = ManagerEvidence::bpf_link;
    classify(q, m);
    return m;
}

namespace {

bj::object process_json(const ProcessFacts& p) {
    return bj::object{{"pid", p.pid},
                      {"ppid", p.ppid},
                      {"comm", text::sanitize(p.comm, 64)},
                      {"command", p.command()},
                      {"unit", p.unit ? bj::value(text::sanitize(*p.unit, 256)) : nullptr}};
}

}  // namespace

bj::object to_json(const Manager& m) {
    bj::object o{{"kind", manager_kind_name(m.kind)},
                 {"evidence", manager_evidence_name(m.evidence)},
                 {"summary", m.summary}};
    if (!m.hand_over.empty()) o["hand_over"] = m.hand_over;
    if (m.holder) o["holder"] = process_json(*m.holder);
    if (m.guard) o["guard"] = process_json(*m.guard);
    if (m.owner) o["owner"] = process_json(*m.owner);
    if (m.unit) o["unit"] = text::sanitize(*m.unit, 256);
    if (m.own) o["execution_id"] = m.own->execution_id;
    bj::array units;
    for (const auto& u : m.units) {
        bj::array pids;
        for (int pid : u.pids) pids.push_back(pid);
        units.push_back(
            bj::object{{"name", u.name}, {"active", u.active}, {"pids", std::move(pids)}});
    }
    o["units"] = std::move(units);
    o["scan"] = bj::object{{"processes", m.scan.processes},
                           {"fds", m.scan.fds},
                           {"full_scan", m.scan.full_scan},
                           {"truncated", m.scan.truncated}};
    return o;
}

namespace proc_text {

std::optional<std::string> link_type(std::string_view fdinfo) {
    constexpr std::string_view key = "link_type:";
    std::optional<std::string> type;
    for_each_line(fdinfo, [&](std::string_view line) {
        if (!line.starts_with(key)) return false;
        line.remove_prefix(key.size());
        while (!line.empty() && (line.front() == '\t' || line.front() == ' '))
            line.remove_prefix(1);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
        type = std::string(line);
        return true;
    });
    return type;
}

std::optional<int> stat_ppid(std::string_view stat) {
    // "PID (COMM) S PPID ...": COMM may hold spaces and parentheses; the last ')' ends it.
    auto close = stat.rfind(')');
    if (close == std::string_view::npos || close + 4 >= stat.size()) return std::nullopt;
    std::string_view rest = stat.substr(close + 2);  // "S PPID ..."
    auto sp = rest.find(' ');
    if (sp == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(sp + 1);
    auto end = rest.find(' ');
    std::string_view field = rest.substr(0, end);
    int v = 0;
    auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
    if (ec != std::errc() || ptr != field.data() + field.size() || v < 0) return std::nullopt;
    return v;
}

std::optional<std::string> cgroup_unit(std::string_view proc_cgroup) {
    // cgroup v2's line is "0::PATH"; a hybrid system adds v1 lines, which are ignored.
    std::optional<std::string> unit;
    for_each_line(proc_cgroup, [&](std::string_view line) {
        if (!line.starts_with("0::")) return false;
        std::string_view path = line.substr(3);
        for (std::size_t p = 0; p < path.size();) {
            auto slash = path.find('/', p);
            if (slash == std::string_view::npos) slash = path.size();
            std::string_view part = path.substr(p, slash - p);
            if (part.ends_with(".service") || part.ends_with(".scope")) unit = std::string(part);
            p = slash + 1;
        }
        return true;
    });
    return unit;
}

bool cgroup_populated(std::string_view cgroup_events) {
    bool populated = false;
    for_each_line(cgroup_events, [&](std::string_view line) {
        populated = line == "populated 1";
        return populated;
    });
    return populated;
}

}  // namespace proc_text

}  // namespace schedcp::sdk::sched_ext
