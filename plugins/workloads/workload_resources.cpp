#include "workload_resources.hpp"

#include <boost/json/serialize.hpp>

#include "schedcp/sdk/blocking.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/services/scheduler_catalog.hpp"
#include "schedcp/sdk/services/scheduler_runner.hpp"
#include "schedcp/sdk/services/workload_monitor.hpp"
#include "schedcp/sdk/text.hpp"
#include "schedcp/sdk/uri_template.hpp"

namespace schedcp::plugins::workloads {

namespace bj = boost::json;

namespace {

constexpr std::size_t kMaxDescription = 4096;  // what `workload create` accepts

}  // namespace

std::string tune_for_workload_text(const std::string& description, bool has_catalog,
                                   bool has_runner, bool has_monitor) {
    std::string t =
        "Find the best sched_ext scheduler for this workload, with measurements, and record "
        "what each one achieved so the choice is data-driven:\n\n" +
        description +
        "\n\nWork through these steps with schedcp's tools, one scheduler at a time:\n"
        "1. Call `workload` with command 'list'; if a profile already describes this workload, "
        "use its workload_id and read what was tried ('get_history'); otherwise 'create' one "
        "with this description and keep the workload_id it returns.\n";
    int step = 2;
    auto next = [&] { return std::to_string(step++) + ". "; };
    if (has_catalog)
        t += next() +
             "Call `list_schedulers` (production_ready: true first) and pick two to four "
             "installed candidates whose use cases, characteristics and fit for this host match "
             "the workload; note their tuning parameters.\n";
    if (has_runner)
        t += next() +
             "Start a candidate with `run_scheduler` (name, and args or a mode) and keep its "
             "execution_id; confirm with `get_execution_status` that it is running.\n";
    t += next() + "Run the workload and measure it: its own figure (throughput, latency, run time)";
    t += has_monitor ? ", and `system_monitor` 'start' before and 'stop' after it for CPU, "
                       "context switches and run-queue latency.\n"
                     : ".\n";
    t += next() +
         "Record the run with `workload` 'add_history' (workload_id, execution_id, "
         "result_description in words, metrics as numbers, e.g. {\"p99_ms\": 19.1}).\n";
    if (has_runner)
        t += next() +
             "Stop the scheduler with `stop_scheduler` (execution_id) before the next "
             "candidate, and measure the kernel's default scheduler once as the "
             "baseline.\n";
    t += next() +
         "After the last candidate, call `workload` 'recommend' (workload_id, the metric, goal "
         "min or max) and report the ranking, the numbers behind it, and how sure they are.\n"
         "If the server offers `evaluate_scheduler`, it does the run-measure-record part with "
         "repeated, interleaved runs and a significance test: prefer it (pass workload_id).";
    return t;
}

void register_workload_resources(sdk::PluginContext& ctx, std::shared_ptr<WorkloadOps> ops) {
    ctx.add_resource_template(sdk::ResourceTemplateSpec{
        .uri_template = "schedcp://workloads/{id}",
        .name = "workload",
        .title = "Workload profile and history",
        .description = "A workload profile and every run recorded on it, oldest first (as the "
                       "workload tool's get_history).",
        .mime_type = "application/json",
        .read = [ops](const std::string& uri, const sdk::UriVariables& vars, sdk::CallContext& ctx)
            -> boost::asio::awaitable<std::vector<sdk::ResourceContents>> {
            const std::string id = vars.at("id");
            sdk::check_uri_id(id, "a workload id",
                              "normally a UUID (the workload command 'list' shows them)");
            // The store takes a file lock and reads a file: the worker pool.
            auto reading = sdk::run_blocking(ctx.blocking_executor(), [ops, id] {
                return ops->get_history(bj::object{{"workload_id", id}});
            });  // call, then await: see blocking.hpp
            bj::object history = co_await std::move(reading);
            co_return std::vector{
                sdk::ResourceContents::of_text(uri, "application/json", bj::serialize(history))};
        }});

    sdk::ServiceRegistry* services = &ctx.services();
    ctx.add_prompt(sdk::PromptSpec{
        .name = "tune_for_workload",
        .title = "Tune the scheduler for a workload",
        .description = "Choose a sched_ext scheduler for a workload by measurement: list the "
                       "candidates, run each, measure, record the results in the workload's "
                       "history, and recommend one.",
        .arguments = {sdk::PromptArgument{
            .name = "workload",
            .title = "Workload",
            .description = "The workload in words: what runs, what matters (latency, "
                           "throughput), how to start it and measure it.",
            .required = true}},
        .handler = [services](const sdk::PromptArguments& args,
                              sdk::CallContext&) -> boost::asio::awaitable<sdk::PromptResult> {
            std::string description = sdk::text::sanitize(args.at("workload"), kMaxDescription);
            if (description.find_first_not_of(" \t\r\n") == std::string::npos)
                throw sdk::InvalidArgument(
                    "the argument 'workload' is empty; describe what runs and what matters");
            // Services are published during setup, so by now they say which plugins loaded.
            const bool catalog = services->find<sdk::services::SchedulerCatalog>() != nullptr;
            const bool runner = services->find<sdk::services::SchedulerRunner>() != nullptr;
            const bool monitor = services->find<sdk::services::WorkloadMonitor>() != nullptr;
            co_return sdk::PromptResult{
                .description = "Tune the scheduler for: " + sdk::text::sanitize(description, 200),
                .messages = {sdk::PromptMessage::user_text(
                    tune_for_workload_text(description, catalog, runner, monitor))}};
        }});
}

}  // namespace schedcp::plugins::workloads
