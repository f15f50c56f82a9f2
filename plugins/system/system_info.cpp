#include "system_info.hpp"

#include <sstream>

#include <boost/json/serialize.hpp>

#include "host_facts.hpp"
#include "schedcp/sdk/sched_ext_manager.hpp"
#include "schedcp/sdk/services/scheduler_catalog.hpp"
#include "schedcp/sdk/services/scheduler_runner.hpp"
#include "schedcp/sdk/text.hpp"
#include "schedcp/sdk/topology.hpp"

namespace schedcp::plugins::system {

namespace bj = boost::json;
namespace svc = sdk::services;

bj::object installed_schedulers(const sdk::ServiceRegistry& services, VersionProbe& versions) {
    auto catalog = services.find<svc::SchedulerCatalog>();
    auto locator = services.find<svc::SchedulerLocator>();
    if (!catalog || !locator)
        return bj::object{{"available", false},
                          {"reason", std::string("the ") + (catalog ? "runner" : "catalog") +
                                         " plugin is not loaded: it " +
                                         (catalog ? "knows where schedulers are installed"
                                                  : "knows which schedulers exist")}};
    const auto entries = catalog->list();
    std::vector<std::pair<const svc::SchedulerEntry*, std::string>> found;
    for (const auto& e : entries)
        if (e.launch.empty())  // built-ins; a custom one is an object file, not a program
            if (auto path = locator->locate(e)) found.push_back({&e, *path});
    std::vector<std::filesystem::path> paths;
    for (const auto& [e, path] : found) paths.push_back(path);
    const auto results = versions.versions(paths);
    bj::array installed;
    for (std::size_t i = 0; i < found.size(); ++i) {
        bj::object o{
            {"name", found[i].first->name},
            {"path", found[i].second},
            {"version", results[i].version ? bj::value(*results[i].version) : bj::value(nullptr)}};
        if (results[i].error) o["version_error"] = *results[i].error;
        installed.push_back(std::move(o));
    }
    return bj::object{
        {"available", true}, {"catalogued", entries.size()}, {"installed", std::move(installed)}};
}

bj::object manager_in_charge(const HostRoots& roots, const sdk::ServiceRegistry& services) {
    sdk::sched_ext::ManagerQuery q{.roots = {.proc = roots.proc,
                                             .cgroup = roots.sys / "fs/cgroup",
                                             .sched_ext = roots.sys / "kernel/sched_ext"}};
    // The runner in this process knows its own execution: when it runs, the kernel's ops
    // are the ones it confirmed, and nothing needs to be scanned.
    if (auto runner = services.find<svc::SchedulerRunner>())
        if (auto live = runner->live(); live && live->status == svc::ExecutionStatus::running)
            if (auto ops = sdk::sched_ext::read_status(q.roots.sched_ext).ops)
                q.own = sdk::sched_ext::OwnExecution{
                    .execution_id = live->execution_id,
                    .scheduler = live->scheduler,
                    .ops = *ops,
                    .pid = live->pid ? std::optional(static_cast<int>(*live->pid)) : std::nullopt};
    return sdk::sched_ext::to_json(sdk::sched_ext::find_manager(q));
}

bj::object system_info(const HostRoots& roots, const sdk::ServiceRegistry& services,
                       VersionProbe& versions) {
    return bj::object{{"kernel", kernel_facts(roots)},
                      {"sched_ext", sched_ext_facts(roots)},
                      {"manager", manager_in_charge(roots, services)},
                      {"cpu", sdk::host::to_json(sdk::host::read_topology(roots))},
                      {"memory", memory_facts(roots)},
                      {"load", load_facts(roots)},
                      {"schedulers", installed_schedulers(services, versions)}};
}

namespace {

std::string text(const bj::value& v) {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_null()) return "-";
    if (v.is_bool()) return v.as_bool() ? "yes" : "no";
    if (v.is_double()) {
        std::ostringstream os;
        os << v.as_double();
        return os.str();
    }
    return bj::serialize(v);
}

std::string or_none(const bj::value& v) {
    auto s = text(v);
    return s.empty() ? "none" : s;
}

}  // namespace

std::string render_system_info(const bj::object& info) {
    sdk::text::Table facts({"fact", "value"});
    const auto& k = info.at("kernel").as_object();
    facts.add_row({"kernel", text(k.at("release")) + " " + text(k.at("architecture"))});
    facts.add_row({"BTF", text(k.at("btf").at("available"))});
    facts.add_row({"cgroup v2", text(k.at("cgroup_v2")) + " (" + text(k.at("cgroup_mode")) + ")"});
    facts.add_row({"PSI", text(k.at("psi").at("available"))});

    const auto& se = info.at("sched_ext").as_object();
    if (!se.at("sched_ext").as_bool()) {
        facts.add_row({"sched_ext", "absent: " + text(se.at("reason"))});
    } else {
        std::string s = text(se.at("state"));
        if (!se.at("ops").is_null()) s += " (ops " + text(se.at("ops")) + ")";
        for (const char* key : {"switch_all", "enable_seq", "nr_rejected", "hotplug_seq"})
            if (const auto* v = se.if_contains(key)) s += ", " + std::string(key) + " " + text(*v);
        facts.add_row({"sched_ext", s});
        const auto& ev = se.at("events").as_object();
        std::string e;
        if (ev.at("available").as_bool()) {
            for (const auto& [name, v] : ev.at("counters").as_object())
                e += (e.empty() ? "" : ", ") + std::string(name) + " " + text(v);
        } else {
            e = "not available: " + text(ev.at("reason"));
        }
        facts.add_row({"sched_ext events", e});
    }

    const auto& mgr = info.at("manager").as_object();
    facts.add_row({"in charge", text(mgr.at("summary"))});
    if (const auto* how = mgr.if_contains("hand_over")) facts.add_row({"to hand over", text(*how)});

    const auto& c = info.at("cpu").as_object();
    facts.add_row({"CPU model", text(c.at("model"))});
    std::ostringstream cpus;
    cpus << text(c.at("logical_cpus")) << " logical (" << text(c.at("online_cpus")) << "), "
         << text(c.at("cores")) << " cores, " << text(c.at("threads_per_core"))
         << " threads per core, " << text(c.at("packages")) << " package(s)";
    facts.add_row({"CPUs", cpus.str()});
    facts.add_row({"offline CPUs", or_none(c.at("offline_cpus"))});
    facts.add_row({"isolated CPUs", or_none(c.at("isolated_cpus"))});
    std::string llc;
    for (const auto& d : c.at("llc_domains").as_array())
        llc += (llc.empty() ? "" : "; ") + std::string("L") + text(d.at("level")) + " " +
               text(d.at("size")) + ": CPUs " + text(d.at("cpus"));
    facts.add_row({"LLC domains", llc.empty() ? "unknown" : llc});
    std::string numa;
    for (const auto& n : c.at("numa_nodes").as_array())
        numa += (numa.empty() ? "" : "; ") + std::string("node ") + text(n.at("node")) + ": CPUs " +
                text(n.at("cpus")) + ", " + text(n.at("memory_total_mb")) + " MB";
    facts.add_row({"NUMA nodes", numa.empty() ? "none reported" : numa});
    const auto& h = c.at("hybrid").as_object();
    std::string hybrid = "no";
    if (h.at("hybrid").as_bool()) {
        hybrid = "yes (" + text(h.at("source")) + "):";
        for (const auto& t : h.at("core_types").as_array())
            hybrid += " " + text(t.at("type")) + " " + text(t.at("cpus"));
    }
    facts.add_row({"hybrid", hybrid});
    const auto& f = c.at("frequency_mhz").as_object();
    facts.add_row({"frequency", f.at("max").is_null()
                                    ? "unknown"
                                    : text(f.at("min")) + " - " + text(f.at("max")) + " MHz"});

    const auto& m = info.at("memory").as_object();
    if (m.contains("total_mb"))
        facts.add_row({"memory", text(m.at("available_mb")) + " MB available of " +
                                     text(m.at("total_mb")) + " MB"});
    const auto& l = info.at("load").as_object();
    if (l.contains("one_minute"))
        facts.add_row({"load", text(l.at("one_minute")) + " " + text(l.at("five_minutes")) + " " +
                                   text(l.at("fifteen_minutes"))});

    std::string out = facts.render();
    const auto& s = info.at("schedulers").as_object();
    if (!s.at("available").as_bool()) return out + "\nSchedulers: " + text(s.at("reason")) + "\n";
    sdk::text::Table schedulers({"scheduler", "path", "version"});
    for (const auto& e : s.at("installed").as_array())
        schedulers.add_row({text(e.at("name")), text(e.at("path")),
                            !e.at("version").is_null()                ? text(e.at("version"))
                            : e.as_object().contains("version_error") ? text(e.at("version_error"))
                                                                      : "-"});
    out += "\nSchedulers installed: " + std::to_string(s.at("installed").as_array().size()) +
           " of " + text(s.at("catalogued")) + " catalogued\n";
    if (!schedulers.empty()) out += schedulers.render();
    return out;
}

}  // namespace schedcp::plugins::system
