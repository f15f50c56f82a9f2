#include "workload_schema.hpp"

#include "schedcp/sdk/schema_builder.hpp"

namespace schedcp::plugins::workloads {

namespace bj = boost::json;
using namespace sdk::schema;

namespace {

bj::object profile() {
    return object_of(bj::object{{"id", type("string")},
                                {"name", nullable("string")},
                                {"description", type("string")},
                                {"created_at", type("integer", "Unix seconds")},
                                {"updated_at", type("integer", "Unix seconds")}},
                     {"id", "description", "created_at", "updated_at"});
}

bj::object history_entry() {
    return object_of(bj::object{{"id", type("string")},
                                {"workload_id", type("string")},
                                {"execution_id", type("string")},
                                {"scheduler_name", type("string", "the scheduler, or 'unknown'")},
                                {"args", array_of(type("string"))},
                                {"mode", type("string")},
                                {"result_description", type("string")},
                                {"metrics", map_of(type("number"))},
                                {"created_at", type("integer", "Unix seconds")}},
                     {"id", "workload_id", "execution_id", "scheduler_name", "args",
                      "result_description", "created_at"});
}

}  // namespace

bj::object workload_output_schema() {
    bj::object listed = profile();
    listed["properties"].as_object()["history_count"] = type("integer");
    listed["required"].as_array().push_back("history_count");
    return any_of({
        // create
        closed_object(bj::object{{"message", type("string")},
                                 {"workload_id", type("string")},
                                 {"profile", profile()}},
                      {"message", "workload_id", "profile"}),
        // list
        closed_object(bj::object{{"profiles", array_of(std::move(listed))}}, {"profiles"}),
        // get
        closed_object(bj::object{{"profile", profile()}, {"history_count", type("integer")}},
                      {"profile", "history_count"}),
        // get_history
        closed_object(bj::object{{"profile", profile()}, {"history", array_of(history_entry())}},
                      {"profile", "history"}),
        // add_history
        closed_object(bj::object{{"history_id", type("string")},
                                 {"message", type("string")},
                                 {"entry", history_entry()}},
                      {"history_id", "message", "entry"}),
        // update
        closed_object(bj::object{{"message", type("string")}, {"profile", profile()}},
                      {"message", "profile"}),
        // delete
        closed_object(bj::object{{"message", type("string")},
                                 {"workload_id", type("string")},
                                 {"deleted_history", type("integer")}},
                      {"message", "workload_id", "deleted_history"}),
        // recommend
        closed_object(bj::object{{"workload_id", type("string")},
                                 {"metric", type("string")},
                                 {"goal", one_of_values({"min", "max"})},
                                 {"ranking", array_of(closed_object(
                                                 bj::object{{"rank", type("integer")},
                                                            {"scheduler", type("string")},
                                                            {"args", array_of(type("string"))},
                                                            {"runs", type("integer")},
                                                            {"mean", type("number")},
                                                            {"best", type("number")},
                                                            {"worst", type("number")},
                                                            {"last_execution_id", type("string")}},
                                                 {"rank", "scheduler", "args", "runs", "mean",
                                                  "best", "worst", "last_execution_id"}))},
                                 {"runs_without_metric", type("integer")}},
                      {"workload_id", "metric", "goal", "ranking", "runs_without_metric"}),
    });
}

}  // namespace schedcp::plugins::workloads
