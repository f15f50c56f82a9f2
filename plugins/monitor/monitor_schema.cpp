#include "monitor_schema.hpp"

#include "schedcp/sdk/schema_builder.hpp"

namespace schedcp::plugins::monitor {

namespace bj = boost::json;
using namespace sdk::schema;

namespace {

// series_stats(): avg / max / p95 / min, or {available: false, reason} with too few samples.
bj::object series() {
    return any_of({closed_object(bj::object{{"avg", type("number")},
                                            {"max", type("number")},
                                            {"p95", type("number")},
                                            {"min", type("number")}},
                                 {"avg", "max", "p95", "min"}),
                   closed_object(bj::object{{"available", bj::object{{"const", false}}},
                                            {"reason", type("string")}},
                                 {"available", "reason"})});
}

// A source's section: {available: true, ...figures} (closed) or {available: false, reason}.
bj::object section(bj::object figures, std::initializer_list<const char*> required) {
    bj::object o = available_or_why(std::move(figures), required);
    o["anyOf"].as_array()[0].as_object()["additionalProperties"] = false;
    return o;
}

bj::object summary() {
    bj::object per_cpu = series();
    for (auto& shape : per_cpu["anyOf"].as_array()) {
        shape.as_object()["properties"].as_object()["cpu"] = type("integer");
        shape.as_object()["required"].as_array().push_back("cpu");
    }
    const bj::object percent = nullable("number");
    const bj::object process = closed_object(bj::object{{"execution_id", type("string")},
                                                        {"scheduler", type("string")},
                                                        {"status", type("string")}},
                                             {"execution_id", "scheduler", "status"});
    return closed_object(
        bj::object{
            {"sample_count", type("integer")},
            {"duration_secs", type("number")},
            {"session_id", type("string")},
            {"interval_ms", type("integer")},
            {"started_at", type("integer", "Unix seconds")},
            {"truncated_at_samples", type("integer")},
            {"cpu", section(bj::object{{"avg_percent", percent},
                                       {"max_percent", percent},
                                       {"p95_percent", percent},
                                       {"per_cpu_percent", array_of(std::move(per_cpu))}},
                            {"avg_percent", "max_percent", "p95_percent", "per_cpu_percent"})},
            {"memory", section(bj::object{{"avg_percent", percent},
                                          {"max_percent", percent},
                                          {"p95_percent", percent},
                                          {"used_mb", series()},
                                          {"available_mb", series()},
                                          {"avg_used_mb", percent},
                                          {"total_mb", type("number")}},
                               {"avg_percent", "max_percent", "p95_percent", "used_mb",
                                "available_mb", "avg_used_mb", "total_mb"})},
            {"context_switches_per_sec", series()},
            {"load_average", section(bj::object{{"one_minute", series()}}, {"one_minute"})},
            {"cpu_pressure",
             section(bj::object{{"some_avg10_percent", series()}, {"some_stall_percent", series()}},
                     {"some_avg10_percent", "some_stall_percent"})},
            {"schedstat", section(bj::object{{"run_time_ms_per_sec", series()},
                                             {"run_delay_ms_per_sec", series()},
                                             {"timeslices_per_sec", series()},
                                             {"run_delay_us_per_timeslice", series()}},
                                  {"run_time_ms_per_sec", "run_delay_ms_per_sec",
                                   "timeslices_per_sec", "run_delay_us_per_timeslice"})},
            {"sched_ext",
             section(bj::object{{"states_seen", array_of(type("string"))},
                                {"ops_seen", array_of(type("string"))},
                                {"events",
                                 section(bj::object{{"counters",
                                                     map_of(closed_object(
                                                         bj::object{{"total", type("integer")},
                                                                    {"per_interval", series()},
                                                                    {"per_sec", series()}},
                                                         {"total", "per_interval", "per_sec"}))}},
                                         {"counters"})}},
                     {"states_seen", "ops_seen", "events"})},
            {"scheduler", section(bj::object{{"total_timeslices", type("integer")},
                                             {"avg_run_time_ns", type("integer")}},
                                  {"total_timeslices", "avg_run_time_ns"})},
            {"scheduler_stats",
             section(bj::object{{"samples", type("integer")}, {"fields", map_of(series())}},
                     {"samples", "fields"})},
            {"runqlat", section(bj::object{{"count", type("integer")},
                                           {"p50_us", type("number")},
                                           {"p95_us", type("number")},
                                           {"p99_us", type("number")},
                                           {"max_us", type("number")},
                                           {"histogram", array_of(closed_object(
                                                             bj::object{{"from_us", type("number")},
                                                                        {"to_us", type("number")},
                                                                        {"count", type("integer")}},
                                                             {"from_us", "to_us", "count"}))}},
                                {"count", "p50_us", "p95_us", "p99_us", "max_us", "histogram"})},
            {"execution", bj::object{{"anyOf", bj::array{process, type("null")}},
                                     {"description", "the scheduler execution that was live"}}}},
        {"sample_count", "duration_secs", "session_id", "interval_ms", "started_at", "cpu",
         "memory", "context_switches_per_sec", "load_average", "cpu_pressure", "schedstat",
         "sched_ext", "scheduler", "scheduler_stats", "runqlat", "execution"});
}

// probe_sources() and the runqlat program: each available or why not.
bj::object sources() {
    bj::object available = section(bj::object{}, {});
    bj::object schedstat = section(bj::object{{"version", type("integer")}}, {"version"});
    return closed_object(
        bj::object{{"cpu", available},
                   {"memory", available},
                   {"schedstat", schedstat},
                   {"cpu_pressure", available},
                   {"load_average", available},
                   {"sched_ext", available},
                   {"runqlat", available}},
        {"cpu", "memory", "schedstat", "cpu_pressure", "load_average", "sched_ext", "runqlat"});
}

}  // namespace

bj::object monitor_output_schema() {
    return any_of({
        // start
        closed_object(bj::object{{"message", type("string")},
                                 {"session_id", type("string")},
                                 {"status", bj::object{{"const", "started"}}},
                                 {"interval_ms", type("integer")},
                                 {"sources", sources()}},
                      {"message", "session_id", "status", "interval_ms", "sources"}),
        // status
        closed_object(bj::object{{"running", bj::object{{"const", false}}}}, {"running"}),
        closed_object(bj::object{{"running", bj::object{{"const", true}}},
                                 {"session_id", type("string")},
                                 {"elapsed_secs", type("number")},
                                 {"samples", type("integer")},
                                 {"interval_ms", type("integer")}},
                      {"running", "session_id", "elapsed_secs", "samples", "interval_ms"}),
        // stop
        closed_object(bj::object{{"message", type("string")},
                                 {"status", bj::object{{"const", "stopped"}}},
                                 {"summary", summary()}},
                      {"message", "status", "summary"}),
    });
}

}  // namespace schedcp::plugins::monitor
