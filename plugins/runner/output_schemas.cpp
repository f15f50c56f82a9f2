#include "output_schemas.hpp"

#include "schedcp/sdk/sched_ext.hpp"
#include "schedcp/sdk/sched_ext_manager.hpp"
#include "schedcp/sdk/schema_builder.hpp"
#include "scheduler_stats.hpp"

namespace schedcp::plugins::runner {

namespace bj = boost::json;
using namespace sdk::schema;

namespace {

bj::object launch_config() {
    return closed_object(
        bj::object{
            {"name", type("string")}, {"args", array_of(type("string"))}, {"mode", type("string")}},
        {"name"});
}

// Execution::to_json.
bj::object execution() {
    const bj::object strings = array_of(type("string"));
    return closed_object(
        bj::object{
            {"execution_id", type("string")},
            {"name", type("string")},
            {"scheduler_name", type("string")},
            {"command", type("string", "the program run")},
            {"argv", strings},
            {"args", strings},
            {"mode", nullable("string")},
            {"privilege", type("string", "root, sudo -n or sudo -S")},
            {"status", one_of_values({"starting", "running", "stopped", "exited", "failed"})},
            {"message", type("string")},
            {"pid", nullable("integer")},
            {"started_at", type("integer", "Unix seconds")},
            {"start_time", type("integer", "Unix seconds")},
            {"ended_at", nullable("integer")},
            {"end_time", nullable("integer")},
            {"duration", nullable("integer")},
            {"exit_code", nullable("integer")},
            {"signal", nullable("string")},
            {"stop_signals", strings},
            {"exit_kind", nullable("string")},
            {"exit_reason", nullable("string")},
            {"exit_message", nullable("string")},
            {"kernel_message", nullable("string")},
            {"kernel_message_at", nullable("number")},
            {"expected_ops", type("string")},
            {"observed_ops", nullable("string")},
            {"output", strings},
            {"output_lines_dropped", type("integer")},
            {"kernel_log_unavailable", type("string")},
            {"failure_policy",
             closed_object(
                 bj::object{
                     {"on_failure", one_of_values({"none", "restart", "fallback"})},
                     {"fallback", bj::object{{"anyOf", bj::array{launch_config(), type("null")}}}},
                     {"state",
                      one_of_values({"watching", "backing_off", "fell_back", "gave_up", "ended"})},
                     {"current_execution_id", type("string")},
                     {"execution_ids", strings},
                     {"history",
                      array_of(closed_object(bj::object{{"at", type("integer", "Unix seconds")},
                                                        {"event", type("string")},
                                                        {"execution_id", type("string")},
                                                        {"detail", type("string")}},
                                             {"at", "event", "execution_id", "detail"}))}},
                 {"on_failure", "fallback", "state", "current_execution_id", "execution_ids",
                  "history"})},
            {"rollback", closed_object(bj::object{{"reason", type("string")},
                                                  {"restored_execution_id", type("string")},
                                                  {"restored_scheduler", type("string")},
                                                  {"restored_status",
                                                   one_of_values({"starting", "running", "stopped",
                                                                  "exited", "failed"})},
                                                  {"restored_message", type("string")}},
                                       {"reason", "restored_execution_id", "restored_scheduler",
                                        "restored_status", "restored_message"})}},
        {"execution_id",
         "name",
         "scheduler_name",
         "command",
         "argv",
         "args",
         "mode",
         "privilege",
         "status",
         "message",
         "pid",
         "started_at",
         "start_time",
         "ended_at",
         "end_time",
         "duration",
         "exit_code",
         "signal",
         "stop_signals",
         "exit_kind",
         "exit_reason",
         "exit_message",
         "kernel_message",
         "kernel_message_at",
         "expected_ops",
         "observed_ops",
         "output",
         "output_lines_dropped"});
}

// `o` with one more property, required.
bj::object with(bj::object o, const char* name, bj::object schema) {
    o["properties"].as_object()[name] = std::move(schema);
    o["required"].as_array().push_back(name);
    return o;
}

}  // namespace

bj::object stop_output_schema() {
    return with(with(execution(), "kernel", sdk::sched_ext::status_schema()), "manager",
                sdk::sched_ext::manager_schema());
}

bj::object run_output_schema() {
    return with(stop_output_schema(), "scheduler", type("string", "SchedCP's name for it"));
}

bj::object status_output_schema() {
    return with(stop_output_schema(), "scheduler_stats", scheduler_stats_schema());
}

bj::object list_output_schema() {
    return closed_object(bj::object{{"executions", array_of(execution())},
                                    {"kernel", sdk::sched_ext::status_schema()}},
                         {"executions", "kernel"});
}

bj::object default_output_schema() {
    // ForeignDefault::to_json: what scx_loader or scx.service would start.
    const bj::object foreign = closed_object(
        bj::object{{"tool", one_of_values({"scx_loader", "scx.service"})},
                   {"file", type("string")},
                   {"default", bj::object{{"anyOf", bj::array{launch_config(), type("null")}}}},
                   {"line", type("integer")},
                   {"args", array_of(type("string"))},
                   {"note", type("string")},
                   {"problem", type("string")}},
        {"tool", "file", "default"});
    return closed_object(
        bj::object{
            {"default", bj::object{{"anyOf", bj::array{launch_config(), type("null")}}}},
            {"file", type("string")},
            {"message", type("string")},
            {"quarantined", type("string", "get: where an unreadable stored default was moved")},
            {"problem", type("string", "get: why it was unreadable")},
            {"other_tools", array_of(foreign)},
            {"imported_from", foreign}},
        {"default", "file", "message"});
}

}  // namespace schedcp::plugins::runner
