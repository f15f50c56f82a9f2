#include "report_schema.hpp"

#include <initializer_list>
#include <string>

#include "schedcp/sdk/schema_builder.hpp"

namespace schedcp::plugins::evaluator {

namespace bj = boost::json;

namespace {

using sdk::schema::array_of;
using sdk::schema::closed_object;
using sdk::schema::nullable;
using sdk::schema::object_of;
using sdk::schema::type;

// {available: true, ...fields} or {available: false, reason}, described.
bj::object available_or_why(bj::object fields, std::initializer_list<const char*> required,
                            const char* description) {
    bj::object o = sdk::schema::available_or_why(std::move(fields), required);
    o["description"] = description;
    return o;
}

bj::object waits() {
    return bj::object{{"count", type("integer", "run-queue waits that ended during the runs")},
                      {"p50_us", type("number")},
                      {"p99_us", type("number")},
                      {"max_us", type("number", "the exact longest wait")}};
}

bj::object configuration() {
    bj::object waits_merged = waits();
    waits_merged["runs"] = type("integer", "the runs whose waits were merged");
    return closed_object(
        bj::object{
            {"label", type("string")},
            {"scheduler", type("string", "catalog name, or default")},
            {"baseline", type("boolean")},
            {"args", array_of(type("string"))},
            {"mode", type("string")},
            {"values", array_of(type("number"))},
            {"n", type("integer")},
            {"mean", type("number")},
            {"median", type("number")},
            {"stddev", type("number")},
            {"cv", type("number")},
            {"min", type("number")},
            {"max", type("number")},
            {"ci95", bj::object{{"anyOf", bj::array{array_of(type("number")), type("null")}}}},
            {"ratio_to_baseline", type("number")},
            {"improvement", type("number", "how many times better than the baseline")},
            {"p_value", nullable("number")},
            {"significant", type("boolean")},
            {"verdict", type("string")},
            {"run_queue_latency",
             available_or_why(std::move(waits_merged),
                              {"runs", "count", "p50_us", "p99_us", "max_us"},
                              "run-queue latency (wake-up to running) while the counted runs "
                              "ran, their log2 histograms merged bucket by bucket (monitor, "
                              "BPF)")},
            {"cpu",
             available_or_why(bj::object{{"runs", type("integer")}, {"percent", type("number")}},
                              {"runs", "percent"},
                              "CPU busy % of the whole machine while the counted runs "
                              "ran, weighted by each run's length (monitor, /proc/stat)")}},
        {"label", "scheduler", "baseline", "values", "n", "run_queue_latency", "cpu"});
}

bj::object run() {
    return closed_object(
        bj::object{{"run", type("integer")},
                   {"configuration", type("string")},
                   {"counted", type("boolean")},
                   {"ok", type("boolean")},
                   {"figure", nullable("number")},
                   {"figures", type("object")},
                   {"wall_seconds", type("number")},
                   {"execution_id", type("string")},
                   {"history_id", type("string")},
                   {"error", type("string")},
                   {"cpu_percent", type("number")},
                   {"run_queue_latency", object_of(waits(), {"count", "p50_us", "p99_us"})}},
        {"run", "configuration", "counted", "ok", "figure", "wall_seconds"});
}

}  // namespace

bj::object evaluation_output_schema() {
    return closed_object(
        bj::object{
            {"evaluation_id", type("string")},
            {"state",
             bj::object{{"enum", bj::array{"running", "completed", "cancelled", "failed"}}}},
            {"message", type("string", "background: how to follow it")},
            {"workload",
             closed_object(
                 bj::object{{"description", type("string")},
                            {"figure", type("string")},
                            {"unit", type("string")},
                            {"better", bj::object{{"enum", bj::array{"lower", "higher"}}}},
                            {"source", type("string")}},
                 {"description", "figure", "unit", "better"})},
            {"order", bj::object{{"enum", bj::array{"interleaved", "blocked"}}}},
            {"repeats", type("integer")},
            {"warmup", type("integer")},
            {"runs_done", type("integer")},
            {"runs_total", type("integer")},
            {"baseline", type("string")},
            {"configurations", array_of(configuration())},
            {"runs", array_of(run())},
            {"failed_runs", array_of(closed_object(bj::object{{"run", type("integer")},
                                                              {"configuration", type("string")},
                                                              {"counted", type("boolean")},
                                                              {"error", type("string")},
                                                              {"output", type("string")}},
                                                   {"run", "configuration", "error", "output"}))},
            {"best", nullable("string")},
            {"verdict", type("string")},
            {"error", type("string")},
            {"sched_ext_after", type("string")},
            {"workload_id", type("string")}},
        {"evaluation_id", "state"});
}

bj::object evaluation_follow_output_schema() {
    return sdk::schema::any_of(
        {// status, result, cancel
         evaluation_output_schema(),
         // list
         closed_object(
             bj::object{
                 {"evaluations",
                  array_of(closed_object(
                      bj::object{{"evaluation_id", type("string")},
                                 {"state", sdk::schema::one_of_values(
                                               {"running", "completed", "cancelled", "failed"})},
                                 {"runs_done", type("integer")},
                                 {"runs_total", type("integer")},
                                 {"workload", type("string")}},
                      {"evaluation_id", "state", "runs_done", "runs_total", "workload"}))}},
             {"evaluations"})});
}

}  // namespace schedcp::plugins::evaluator
