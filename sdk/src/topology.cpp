#include "schedcp/sdk/topology.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace schedcp::sdk::host {

namespace bj = boost::json;
namespace fs = std::filesystem;

namespace {

std::vector<int> cpu_list_file(const fs::path& p) {
    auto text = read_text(p);
    if (!text) return {};
    return parse_cpu_list(*text).value_or(std::vector<int>{});
}

std::string cpuinfo_model(const std::string& text) {
    // x86: "model name"; some architectures name it otherwise; the first one found wins.
    for (const char* key : {"model name", "cpu model", "Processor", "cpu", "Hardware"}) {
        std::size_t pos = 0;
        while ((pos = text.find(key, pos)) != std::string::npos) {
            const bool line_start = pos == 0 || text[pos - 1] == '\n';
            const auto eol = text.find('\n', pos);
            const std::string line = text.substr(pos, eol - pos);
            pos = eol == std::string::npos ? text.size() : eol;
            const auto colon = line.find(':');
            if (!line_start || colon == std::string::npos) continue;
            auto name = line.substr(0, colon);
            while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
            if (name != key) continue;
            auto value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(" \t"));
            if (!value.empty()) return value;
        }
    }
    return "";
}

// The last-level cache of one CPU: the highest level that holds data.
std::optional<CacheDomain> llc_of(const fs::path& cpu_dir) {
    std::optional<CacheDomain> best;
    std::error_code ec;
    for (fs::directory_iterator it(cpu_dir / "cache", ec), end; !ec && it != end;
         it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (!name.starts_with("index")) continue;
        auto level = read_number(it->path() / "level");
        auto type = read_line(it->path() / "type");
        if (!level || (type && *type == "Instruction")) continue;
        if (best && best->level >= static_cast<int>(*level)) continue;
        best = CacheDomain{.level = static_cast<int>(*level),
                           .size = read_line(it->path() / "size").value_or(""),
                           .cpus = cpu_list_file(it->path() / "shared_cpu_list")};
    }
    return best;
}

void read_core_types(const HostRoots& roots, const std::vector<int>& online, Topology& t) {
    // Intel hybrid: one PMU per core type, each listing its CPUs.
    std::error_code ec;
    for (fs::directory_iterator it(roots.sys / "bus/event_source/devices", ec), end;
         !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (!name.starts_with("cpu_")) continue;
        auto cpus = read_text(it->path() / "cpus");
        if (!cpus) continue;
        t.core_types.push_back(
            {.name = name.substr(4), .cpus = parse_cpu_list(*cpus).value_or(std::vector<int>{})});
    }
    if (t.core_types.size() >= 2) {
        std::sort(t.core_types.begin(), t.core_types.end(),
                  [](const CoreType& a, const CoreType& b) { return a.name < b.name; });
        t.hybrid_source = "pmu";
        return;
    }
    t.core_types.clear();
    // big.LITTLE (and x86 with asymmetric capacity): CPUs of different cpu_capacity.
    std::map<std::uint64_t, std::vector<int>, std::greater<>> by_capacity;
    for (int c : online)
        if (auto cap = read_number(roots.sys / "devices/system/cpu" / ("cpu" + std::to_string(c)) /
                                   "cpu_capacity"))
            by_capacity[*cap].push_back(c);
    if (by_capacity.size() < 2) return;
    t.hybrid_source = "cpu_capacity";
    // Biggest first: "big", then "mid1", "mid2", ... and the smallest "little".
    std::size_t rank = 0;
    for (auto& [cap, cpus] : by_capacity) {
        std::string name = rank == 0                        ? "big"
                           : rank + 1 == by_capacity.size() ? "little"
                                                            : "mid" + std::to_string(rank);
        t.core_types.push_back({.name = std::move(name), .cpus = std::move(cpus), .capacity = cap});
        ++rank;
    }
}

}  // namespace

Topology read_topology(const HostRoots& roots) {
    Topology t;
    const fs::path cpu_root = roots.sys / "devices/system/cpu";
    t.online = cpu_list_file(cpu_root / "online");
    t.offline = cpu_list_file(cpu_root / "offline");
    t.isolated = cpu_list_file(cpu_root / "isolated");
    t.possible = cpu_list_file(cpu_root / "possible");
    if (auto active = read_number(cpu_root / "smt/active")) t.smt_active = *active != 0;
    if (auto text = read_text(roots.proc / "cpuinfo")) t.model = cpuinfo_model(*text);

    std::set<std::vector<int>> cores;
    std::set<std::uint64_t> packages;
    std::map<std::vector<int>, CacheDomain> llcs;
    for (int c : t.online) {
        const fs::path dir = cpu_root / ("cpu" + std::to_string(c));
        auto siblings = cpu_list_file(dir / "topology/thread_siblings_list");
        if (siblings.empty()) siblings = {c};
        cores.insert(siblings);
        auto package = read_number(dir / "topology/physical_package_id");
        if (package) packages.insert(*package);
        if (auto llc = llc_of(dir)) {
            auto key = llc->cpus.empty() ? std::vector<int>{c} : llc->cpus;
            llcs.emplace(key, *llc);
        }
        if (auto lo = read_number(dir / "cpufreq/cpuinfo_min_freq"))
            t.min_mhz = std::min(t.min_mhz.value_or(UINT64_MAX), *lo / 1000);
        if (auto hi = read_number(dir / "cpufreq/cpuinfo_max_freq"))
            t.max_mhz = std::max(t.max_mhz.value_or(0), *hi / 1000);
    }
    t.cores = static_cast<int>(cores.size());
    for (const auto& group : cores) {
        t.threads_per_core = std::max(t.threads_per_core, static_cast<int>(group.size()));
        if (group.size() > 1) t.smt_siblings.push_back(group);
    }
    t.packages = static_cast<int>(packages.size());
    for (auto& [cpus, domain] : llcs) t.llc.push_back(std::move(domain));

    const fs::path node_root = roots.sys / "devices/system/node";
    for (int n : cpu_list_file(node_root / "online")) {
        const fs::path dir = node_root / ("node" + std::to_string(n));
        NumaNode node{.id = n, .cpus = cpu_list_file(dir / "cpulist")};
        if (auto text = read_text(dir / "meminfo")) {
            node.mem_total_kb = meminfo_kb(*text, "MemTotal");
            node.mem_free_kb = meminfo_kb(*text, "MemFree");
        }
        t.nodes.push_back(std::move(node));
    }
    read_core_types(roots, t.online, t);
    return t;
}

bj::object to_json(const Topology& t) {
    bj::array llc, nodes, siblings, types;
    for (const auto& d : t.llc)
        llc.push_back(bj::object{{"level", d.level},
                                 {"size", d.size.empty() ? bj::value(nullptr) : bj::value(d.size)},
                                 {"cpus", format_cpu_list(d.cpus)},
                                 {"cpu_count", d.cpus.size()}});
    for (const auto& n : t.nodes) {
        bj::object o{
            {"node", n.id}, {"cpus", format_cpu_list(n.cpus)}, {"cpu_count", n.cpus.size()}};
        o["memory_total_mb"] =
            n.mem_total_kb ? bj::value(*n.mem_total_kb / 1024) : bj::value(nullptr);
        o["memory_free_mb"] = n.mem_free_kb ? bj::value(*n.mem_free_kb / 1024) : bj::value(nullptr);
        nodes.push_back(std::move(o));
    }
    for (const auto& g : t.smt_siblings) siblings.push_back(bj::string(format_cpu_list(g)));
    for (const auto& ct : t.core_types) {
        bj::object o{
            {"type", ct.name}, {"cpus", format_cpu_list(ct.cpus)}, {"cpu_count", ct.cpus.size()}};
        if (ct.capacity) o["capacity"] = *ct.capacity;
        types.push_back(std::move(o));
    }
    bj::object hybrid{{"hybrid", !t.hybrid_source.empty()}};
    if (!t.hybrid_source.empty()) {
        hybrid["source"] = t.hybrid_source;
        hybrid["core_types"] = std::move(types);
    }
    return bj::object{
        {"model", t.model.empty() ? bj::value(nullptr) : bj::value(t.model)},
        {"logical_cpus", t.online.size()},
        {"online_cpus", format_cpu_list(t.online)},
        {"offline_cpus", format_cpu_list(t.offline)},
        {"isolated_cpus", format_cpu_list(t.isolated)},
        {"possible_cpus", format_cpu_list(t.possible)},
        {"cores", t.cores},
        {"threads_per_core", t.threads_per_core},
        {"smt_active", t.smt_active ? bj::value(*t.smt_active) : bj::value(nullptr)},
        {"smt_siblings", std::move(siblings)},
        {"packages", t.packages},
        {"llc_domains", std::move(llc)},
        {"numa_nodes", std::move(nodes)},
        {"hybrid", std::move(hybrid)},
        {"frequency_mhz",
         bj::object{{"min", t.min_mhz ? bj::value(*t.min_mhz) : bj::value(nullptr)},
                    {"max", t.max_mhz ? bj::value(*t.max_mhz) : bj::value(nullptr)}}}};
}

}  // namespace schedcp::sdk::host
