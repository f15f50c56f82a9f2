// The schemas of sched_ext's JSON (sched_ext::to_json of a Status and of a Manager), kept
// beside each other and apart from the code that reads the kernel: they change when the
// JSON does, and the tools' output-schema tests check them against real answers.
#include "schedcp/sdk/sched_ext.hpp"
#include "schedcp/sdk/sched_ext_manager.hpp"
#include "schedcp/sdk/schema_builder.hpp"

namespace schedcp::sdk::sched_ext {

namespace bj = boost::json;
using namespace sdk::schema;

bj::object status_schema() {
    bj::object o = closed_object(
        bj::object{{"sched_ext", type("boolean", "whether this kernel has sched_ext")},
                   {"state", type("string", "disabled, enabling, enabled, disabling, or as read")},
                   {"ops", nullable("string")},
                   {"enable_seq", type("integer")},
                   {"nr_rejected", type("integer")},
                   {"switch_all", type("boolean")},
                   {"hotplug_seq", type("integer")},
                   {"events", map_of(type("integer"))}},
        {"sched_ext"});
    // With sched_ext, state and ops are always there.
    o["if"] = bj::object{{"properties", bj::object{{"sched_ext", bj::object{{"const", true}}}}}};
    o["then"] = bj::object{{"required", bj::array{"state", "ops"}}};
    return o;
}

bj::object manager_schema() {
    const bj::object process = closed_object(bj::object{{"pid", type("integer")},
                                                        {"ppid", type("integer")},
                                                        {"comm", type("string")},
                                                        {"command", type("string")},
                                                        {"unit", nullable("string")}},
                                             {"pid", "ppid", "comm", "command", "unit"});
    return closed_object(
        bj::object{{"kind", one_of_values({"nobody", "this_process", "schedcp", "scx_loader",
                                           "scx_service", "other", "unknown"})},
                   {"evidence", one_of_values({"none", "own_execution", "bpf_link", "unit"})},
                   {"summary", type("string")},
                   {"hand_over", type("string")},
                   {"holder", process},
                   {"guard", process},
                   {"owner", process},
                   {"unit", type("string")},
                   {"execution_id", type("string")},
                   {"units", array_of(closed_object(bj::object{{"name", type("string")},
                                                               {"active", type("boolean")},
                                                               {"pids", array_of(type("integer"))}},
                                                    {"name", "active", "pids"}))},
                   {"scan", closed_object(bj::object{{"processes", type("integer")},
                                                     {"fds", type("integer")},
                                                     {"full_scan", type("boolean")},
                                                     {"truncated", type("boolean")}},
                                          {"processes", "fds", "full_scan", "truncated"})}},
        {"kind", "evidence", "summary", "units", "scan"});
}

}  // namespace schedcp::sdk::sched_ext
