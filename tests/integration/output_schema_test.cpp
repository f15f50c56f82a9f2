// Every schedcp tool's structured results against the outputSchema it declares (issue #18):
// the real server with every plugin but the compiler (tests/compiler checks
// create_and_verify_scheduler the same way), fake schedulers and a fake sched_ext, and
// each tool called for each of its commands, success and the non-error failures (a
// scheduler that fails to start, a rollback, a restart policy, an unreadable source).
// OutputSchemaCheck validates every result client-side with the SDK's validator and checks
// that renaming any of its fields breaks it; the server also checks each result itself
// (server.validate_tool_results, on in tests).
#include <fstream>

#include <boost/test/unit_test.hpp>

#include "output_schema_check.hpp"
#include "runner_fixture.hpp"

using namespace schedcp::test;
using namespace schedcp::test::runner_fixture;

namespace {

// The plugins after the runner, each with its test settings.
const std::string kMorePlugins =
    "  - name: system\n    settings: {version_timeout_ms: 500}\n"
    "  - name: monitor\n    settings: {runqlat: false}\n"
    "  - name: workloads\n"
    "  - name: evaluator\n    settings:\n      default_settle_ms: 0\n";

std::string field(const bj::object& response, const char* name) {
    return std::string(response.at("result").at("structuredContent").at(name).as_string());
}

bool is_error(const bj::object& response) {
    return response.at("result").at("isError").as_bool();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(output_schema, RunnerFixture)

BOOST_AUTO_TEST_CASE(every_tools_results_match_its_declared_output_schema) {
    scheduler("scx_simple", "lines=3\n");
    scheduler("scx_qmap", "die_at_start=2\n");
    scheduler("scx_central", "never_enable=1\n");
    std::ofstream(scx_service_file) << "SCX_SCHEDULER=scx_simple\nSCX_FLAGS=-f\n";
    McpClient c(config("", kMorePlugins));
    c.initialize();
    OutputSchemaCheck check(c);
    // Every tool of these plugins has a fixed shape, so every one declares it.
    BOOST_TEST(check.without_schema().empty());

    // catalog and system
    check.call("list_schedulers");
    check.call("list_schedulers", {{"name", "rusty"}});
    check.call("get_system_info");

    // runner: a run, its status, the list, a stop; a run that fails to start, a rollback,
    // a restart policy.
    auto run = check.call("run_scheduler", {{"name", "scx_simple"}, {"args", bj::array{"-f"}}});
    const std::string id = field(run, "execution_id");
    check.call("get_execution_status", {{"execution_id", id}});
    check.call("list_executions");
    auto rolled_back = check.call("run_scheduler", {{"name", "scx_central"}, {"replace", true}});
    BOOST_TEST(rolled_back.at("result").at("structuredContent").as_object().contains("rollback"));
    const std::string restored(rolled_back.at("result")
                                   .at("structuredContent")
                                   .at("rollback")
                                   .at("restored_execution_id")
                                   .as_string());
    check.call("stop_scheduler", {{"execution_id", restored}});
    check.call("get_execution_status", {{"execution_id", id}});  // ended: no statistics
    auto failed = check.call("run_scheduler", {{"name", "scx_qmap"}, {"on_failure", "restart"}});
    BOOST_TEST(field(failed, "status") == "failed");
    BOOST_TEST(failed.at("result").at("structuredContent").as_object().contains("failure_policy"));
    check.call("stop_scheduler", {{"execution_id", field(failed, "execution_id")}});
    check.call("list_executions");

    // scheduler_default: every command.
    check.call("scheduler_default", {{"command", "get"}});  // none: what scx.service would run
    check.call("scheduler_default", {{"command", "set"}, {"name", "scx_simple"}});
    check.call("scheduler_default", {{"command", "get"}});
    check.call("scheduler_default", {{"command", "import"}, {"from", "scx.service"}});
    check.call("scheduler_default", {{"command", "clear"}});

    // workload: every command.
    auto created = check.call("workload", {{"command", "create"}, {"description", "a build"}});
    const std::string workload = field(created, "workload_id");
    auto with = [&](bj::object args) {
        args["workload_id"] = workload;
        return args;
    };
    check.call("workload", {{"command", "list"}});
    check.call("workload", with({{"command", "get"}}));
    check.call("workload", with({{"command", "add_history"},
                                 {"execution_id", id},
                                 {"result_description", "fine"},
                                 {"metrics", bj::object{{"time_s", 1.5}}}}));
    check.call("workload", with({{"command", "get_history"}}));
    check.call("workload", with({{"command", "update"}, {"description", "a bigger build"}}));
    check.call("workload", with({{"command", "recommend"}, {"metric", "time_s"}, {"goal", "min"}}));

    // system_monitor: status without a session, start, status, stop.
    check.call("system_monitor", {{"command", "status"}});
    check.call("system_monitor", {{"command", "start"}, {"interval_ms", 100}});
    check.call("system_monitor", {{"command", "status"}});
    check.call("system_monitor", {{"command", "stop"}});

    // evaluate_scheduler in the foreground (a run that fails too) and in the background;
    // evaluation: every command.
    check.call("evaluate_scheduler",
               {{"command", bj::array{"/bin/sh", "-c", "exit 0"}},
                {"schedulers", bj::array{"default", "scx_simple"}},
                {"repeats", 2},
                {"warmup", 0},
                {"workload_id", workload}},
               std::chrono::seconds(60));
    check.call("evaluate_scheduler",
               {{"command", bj::array{"/bin/false"}},
                {"schedulers", bj::array{"default"}},
                {"repeats", 1},
                {"warmup", 0}},
               std::chrono::seconds(60));
    auto background = check.call("evaluate_scheduler", {{"command", bj::array{"/bin/sleep", "5"}},
                                                        {"schedulers", bj::array{"default"}},
                                                        {"repeats", 2},
                                                        {"warmup", 0},
                                                        {"background", true}});
    const std::string evaluation = field(background, "evaluation_id");
    check.call("evaluation", {{"command", "list"}});
    check.call("evaluation", {{"command", "status"}, {"evaluation_id", evaluation}});
    check.call("evaluation", {{"command", "cancel"}, {"evaluation_id", evaluation}});
    bool ended = false;
    for (int i = 0; i < 600 && !ended; ++i) {
        auto r = c.call("evaluation", {{"command", "result"}, {"evaluation_id", evaluation}});
        ended = !is_error(r);
        if (ended)
            check.check("evaluation", {{"command", "result"}, {"evaluation_id", evaluation}}, r);
        else
            std::this_thread::sleep_for(50ms);
    }
    BOOST_TEST(ended);

    check.call("workload", with({{"command", "delete"}}));

    // Every tool but the compiler's, and every command of the multi-command ones.
    const std::set<std::string> expected{"list_schedulers",
                                         "get_system_info",
                                         "run_scheduler",
                                         "stop_scheduler",
                                         "get_execution_status",
                                         "list_executions",
                                         "scheduler_default get",
                                         "scheduler_default set",
                                         "scheduler_default import",
                                         "scheduler_default clear",
                                         "workload create",
                                         "workload list",
                                         "workload get",
                                         "workload get_history",
                                         "workload add_history",
                                         "workload update",
                                         "workload delete",
                                         "workload recommend",
                                         "system_monitor start",
                                         "system_monitor status",
                                         "system_monitor stop",
                                         "evaluate_scheduler",
                                         "evaluation list",
                                         "evaluation status",
                                         "evaluation result",
                                         "evaluation cancel"};
    for (const auto& e : expected) {
        BOOST_TEST_INFO(e);
        BOOST_TEST(check.checked().count(e) == 1u);
    }
    std::set<std::string> tools = check.tools();
    tools.erase("create_and_verify_scheduler");  // not loaded here
    for (const auto& t : tools) {
        bool seen = false;
        for (const auto& e : check.checked()) seen = seen || e == t || e.starts_with(t + " ");
        BOOST_TEST_INFO(t);
        BOOST_TEST(seen);
    }
}

BOOST_AUTO_TEST_SUITE_END()
