#include "system_schema.hpp"

#include "schedcp/sdk/sched_ext.hpp"
#include "schedcp/sdk/sched_ext_manager.hpp"
#include "schedcp/sdk/schema_builder.hpp"

namespace schedcp::plugins::system {

namespace bj = boost::json;
using namespace sdk::schema;

namespace {

bj::object unavailable() {
    return closed_object(
        bj::object{{"available", bj::object{{"const", false}}}, {"reason", type("string")}},
        {"available", "reason"});
}

// kernel_facts().
bj::object kernel() {
    return closed_object(
        bj::object{
            {"release", nullable("string")},
            {"architecture", nullable("string")},
            {"btf",
             closed_object(bj::object{{"available", type("boolean")}, {"path", type("string")}},
                           {"available", "path"})},
            {"cgroup_v2", type("boolean")},
            {"cgroup_mode", one_of_values({"unified", "hybrid", "legacy"})},
            {"psi", any_of({closed_object(bj::object{{"available", bj::object{{"const", true}}}},
                                          {"available"}),
                            unavailable()})}},
        {"release", "architecture", "btf", "cgroup_v2", "cgroup_mode", "psi"});
}

// sched_ext_facts(): sched_ext::to_json of the status, with `present`, the reason when absent,
// and the event counters as {available: true, counters} or why not.
bj::object sched_ext() {
    bj::object o = sdk::sched_ext::status_schema();
    auto& props = o["properties"].as_object();
    props["present"] = type("boolean");
    props["reason"] = type("string", "why this kernel has no sched_ext");
    props["events"] = any_of({closed_object(bj::object{{"available", bj::object{{"const", true}}},
                                                       {"counters", map_of(type("integer"))}},
                                            {"available", "counters"}),
                              unavailable()});
    o["required"].as_array().push_back("present");
    return o;
}

// sdk::host::to_json(Topology).
bj::object cpu() {
    const bj::object cpu_list = type("string", "the kernel's format, e.g. 0-3,8");
    return closed_object(
        bj::object{
            {"model", nullable("string")},
            {"logical_cpus", type("integer")},
            {"online_cpus", cpu_list},
            {"offline_cpus", cpu_list},
            {"isolated_cpus", cpu_list},
            {"possible_cpus", cpu_list},
            {"cores", type("integer")},
            {"threads_per_core", type("integer")},
            {"smt_active", nullable("boolean")},
            {"smt_siblings", array_of(cpu_list)},
            {"packages", type("integer")},
            {"llc_domains", array_of(closed_object(bj::object{{"level", type("integer")},
                                                              {"size", nullable("string")},
                                                              {"cpus", cpu_list},
                                                              {"cpu_count", type("integer")}},
                                                   {"level", "size", "cpus", "cpu_count"}))},
            {"numa_nodes",
             array_of(closed_object(
                 bj::object{{"node", type("integer")},
                            {"cpus", cpu_list},
                            {"cpu_count", type("integer")},
                            {"memory_total_mb", nullable("integer")},
                            {"memory_free_mb", nullable("integer")}},
                 {"node", "cpus", "cpu_count", "memory_total_mb", "memory_free_mb"}))},
            {"hybrid",
             closed_object(bj::object{{"hybrid", type("boolean")},
                                      {"source", one_of_values({"pmu", "cpu_capacity"})},
                                      {"core_types", array_of(closed_object(
                                                         bj::object{{"type", type("string")},
                                                                    {"cpus", cpu_list},
                                                                    {"cpu_count", type("integer")},
                                                                    {"capacity", type("integer")}},
                                                         {"type", "cpus", "cpu_count"}))}},
                           {"hybrid"})},
            {"frequency_mhz",
             closed_object(bj::object{{"min", nullable("number")}, {"max", nullable("number")}},
                           {"min", "max"})}},
        {"model", "logical_cpus", "online_cpus", "offline_cpus", "isolated_cpus", "possible_cpus",
         "cores", "threads_per_core", "smt_active", "smt_siblings", "packages", "llc_domains",
         "numa_nodes", "hybrid", "frequency_mhz"});
}

bj::object memory() {
    return any_of({closed_object(bj::object{{"total_mb", nullable("integer")},
                                            {"available_mb", nullable("integer")},
                                            {"swap_total_mb", nullable("integer")},
                                            {"swap_free_mb", nullable("integer")}},
                                 {"total_mb", "available_mb", "swap_total_mb", "swap_free_mb"}),
                   unavailable()});
}

bj::object load() {
    return any_of(
        {closed_object(bj::object{{"one_minute", type("number")},
                                  {"five_minutes", type("number")},
                                  {"fifteen_minutes", type("number")},
                                  {"runnable", type("integer")},
                                  {"tasks", type("integer")}},
                       {"one_minute", "five_minutes", "fifteen_minutes", "runnable", "tasks"}),
         unavailable()});
}

// installed_schedulers().
bj::object schedulers() {
    return any_of(
        {closed_object(bj::object{{"available", bj::object{{"const", true}}},
                                  {"catalogued", type("integer")},
                                  {"installed", array_of(closed_object(
                                                    bj::object{{"name", type("string")},
                                                               {"path", type("string")},
                                                               {"version", nullable("string")},
                                                               {"version_error", type("string")}},
                                                    {"name", "path", "version"}))}},
                       {"available", "catalogued", "installed"}),
         unavailable()});
}

}  // namespace

bj::object system_info_output_schema() {
    return closed_object(bj::object{{"kernel", kernel()},
                                    {"sched_ext", sched_ext()},
                                    {"manager", sdk::sched_ext::manager_schema()},
                                    {"cpu", cpu()},
                                    {"memory", memory()},
                                    {"load", load()},
                                    {"schedulers", schedulers()}},
                         {"kernel", "sched_ext", "manager", "cpu", "memory", "load", "schedulers"});
}

}  // namespace schedcp::plugins::system
