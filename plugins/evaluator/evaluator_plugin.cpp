// The evaluator plugin: "which scheduler makes this workload faster, and is the difference
// real?" as one call (evaluate_scheduler; schedcp-cli evaluate), with background
// evaluations for clients whose requests time out (the evaluation tool). It reaches the
// runner and the workload store only through their SDK services.
#include <memory>

#include "evaluate_command.hpp"
#include "evaluator_core.hpp"
#include "report.hpp"
#include "report_schema.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/plugin.hpp"
#include "schedcp/sdk/settings.hpp"

namespace schedcp::plugins::evaluator {

namespace bj = boost::json;
namespace asio = boost::asio;

namespace {

const sdk::Settings<EvaluatorLimits>& settings() {
    using sdk::SettingType;
    static const sdk::Settings<EvaluatorLimits> table({
        {.key = "default_timeout_seconds",
         .type = SettingType::integer,
         .help = "one run's time limit when the call gives none",
         .member = &EvaluatorLimits::default_timeout_seconds,
         .minimum = 1,
         .maximum = 86400},
        {.key = "max_timeout_seconds",
         .type = SettingType::integer,
         .help = "the largest timeout_seconds a call may ask for",
         .member = &EvaluatorLimits::max_timeout_seconds,
         .minimum = 1,
         .maximum = 86400},
        {.key = "max_repeats",
         .type = SettingType::integer,
         .help = "the most counted runs per configuration",
         .member = &EvaluatorLimits::max_repeats,
         .minimum = 1,
         .maximum = 1000},
        {.key = "max_warmup",
         .type = SettingType::integer,
         .help = "the most warm-up runs per configuration",
         .member = &EvaluatorLimits::max_warmup,
         .minimum = 0,
         .maximum = 100},
        {.key = "max_configurations",
         .type = SettingType::integer,
         .help = "the most scheduler configurations in one evaluation",
         .member = &EvaluatorLimits::max_configurations,
         .minimum = 1,
         .maximum = 64},
        {.key = "default_settle_ms",
         .type = SettingType::integer,
         .help = "wait after a scheduler is enabled when the call gives none",
         .member = &EvaluatorLimits::default_settle_ms,
         .minimum = 0,
         .maximum = 600000},
        {.key = "max_settle_ms",
         .type = SettingType::integer,
         .help = "the largest settle_ms a call may ask for",
         .member = &EvaluatorLimits::max_settle_ms,
         .minimum = 0,
         .maximum = 600000},
        {.key = "max_output_kib",
         .type = SettingType::integer,
         .help = "a run's output kept (its end), to read the figure and explain failures",
         .member = &EvaluatorLimits::max_output_kib,
         .minimum = 4,
         .maximum = 65536},
        {.key = "max_background",
         .type = SettingType::integer,
         .help = "background evaluations running at once",
         .member = &EvaluatorLimits::max_background,
         .minimum = 1,
         .maximum = 64},
        {.key = "finished_kept",
         .type = SettingType::integer,
         .help = "finished background evaluations remembered",
         .member = &EvaluatorLimits::finished_kept,
         .minimum = 1,
         .maximum = 1000},
        {.key = "history_commit_seconds",
         .type = SettingType::integer,
         .help = "counted runs are recorded in a workload's history together at the end, or "
                 "once the oldest unrecorded one waited this long (0: after every run)",
         .member = &EvaluatorLimits::history_commit_seconds,
         .minimum = 0,
         .maximum = 86400},
    });
    return table;
}

}  // namespace

class EvaluatorPlugin final : public sdk::Plugin {
  public:
    sdk::PluginInfo info() const override {
        return {.name = "evaluator",
                .version = "0.1.0",
                .description = "measures a workload under several schedulers, with statistics",
                .settings_schema = settings().schema(),
                .settings_help = settings().help()};
    }

    void setup(sdk::PluginContext& ctx) override {
        core_ = std::make_shared<EvaluatorCore>(settings().parse(ctx.settings()), ctx.services(),
                                                ctx.logger());
        auto core = core_;
        sdk::ToolSpec evaluate;
        evaluate.name = "evaluate_scheduler";
        evaluate.title = "Evaluate schedulers on a workload";
        evaluate.description =
            "Answers 'which of these schedulers is best for this workload, and is the difference "
            "real?'. Runs the workload (command: argv, never a shell; or benchmark: a built-in "
            "with params) under each configuration in schedulers ('default' = the kernel's own "
            "scheduler, the baseline; a scheduler name; or {name, args|mode}), warmup runs "
            "first (not counted), then repeats counted runs each, interleaved. Returns per "
            "configuration n, mean, median, stddev, CV, min, max, 95% CI, and against the "
            "baseline the ratio, Welch's t-test p-value and a verdict; the best configuration; "
            "run_queue_latency (p50/p99 us, merged over the runs) and cpu (%) while the runs ran, "
            "from the monitor plugin (or available: false with the reason); "
            "failed runs with their output. The figure is the wall time, a number a regex "
            "captures, or the benchmark's. sched_ext is left as it was; a scheduler loaded by "
            "someone else is refused. Progress per run; cancellable. workload_id records every "
            "counted run in that profile's history. background: true returns an evaluation_id "
            "at once (see the evaluation tool).";
        evaluate.input_schema = evaluation_input_schema(core_->limits());
        evaluate.output_schema = evaluation_output_schema();
        evaluate.annotations = {
            .read_only = false, .destructive = true, .idempotent = false, .open_world = false};
        // Long: a task when the client supports tasks (from after the checks), else as before.
        evaluate.task_support = sdk::TaskSupport::optional;
        evaluate.handler = [core](const bj::object& args,
                                  sdk::CallContext& ctx) -> asio::awaitable<sdk::ToolResult> {
            auto evaluating = core->evaluate(args, ctx);  // call, then await: see blocking.hpp
            bj::object out = co_await std::move(evaluating);
            std::string text = out.contains("configurations") ? render_report(out) : std::string();
            co_return sdk::ToolResult::ok(std::move(out), std::move(text));
        };
        ctx.add_tool(std::move(evaluate));

        sdk::ToolSpec follow;
        follow.name = "evaluation";
        follow.title = "Background evaluations";
        follow.description =
            "Follow evaluations started with evaluate_scheduler background: true. command "
            "'status' (evaluation_id): the partial result so far; 'result': the final result "
            "(an error while it runs); 'cancel': stop it (workload killed, scheduler stopped, "
            "sched_ext restored); 'list': every one remembered.";
        follow.input_schema = bj::object{
            {"type", "object"},
            {"properties",
             bj::object{
                 {"command", bj::object{{"enum", bj::array{"status", "result", "cancel", "list"}}}},
                 {"evaluation_id",
                  bj::object{{"type", "string"}, {"minLength", 1}, {"maxLength", 100}}}}},
            {"required", bj::array{"command"}},
            {"additionalProperties", false}};
        follow.output_schema = evaluation_follow_output_schema();
        follow.annotations = {
            .read_only = false, .destructive = false, .idempotent = false, .open_world = false};
        // Only cancel changes anything: an HTTP `read` token may use the others.
        follow.read_only_commands =
            sdk::ReadOnlyCommands{.argument = "command", .values = {"status", "result", "list"}};
        follow.handler = [core](const bj::object& args,
                                sdk::CallContext&) -> asio::awaitable<sdk::ToolResult> {
            const std::string command = sdk::json::required_string(args, "command");
            if (command == "list") co_return sdk::ToolResult::ok(core->list());
            const auto id = sdk::json::optional_string(args, "evaluation_id");
            if (!id) throw sdk::InvalidArgument(command + " needs evaluation_id");
            bj::object out = command == "status"   ? core->status(*id)
                             : command == "result" ? core->result(*id)
                                                   : core->cancel(*id);
            std::string text = out.contains("configurations") ? render_report(out) : std::string();
            co_return sdk::ToolResult::ok(std::move(out), std::move(text));
        };
        ctx.add_tool(std::move(follow));
        ctx.add_command(evaluate_command(core_));
        ctx.add_instructions(
            "evaluate_scheduler compares schedulers on a workload with repeated, interleaved "
            "runs and a significance test; prefer it to running and timing by hand.");
    }

  private:
    std::shared_ptr<EvaluatorCore> core_;
};

}  // namespace schedcp::plugins::evaluator

SCHEDCP_PLUGIN(schedcp::plugins::evaluator::EvaluatorPlugin)
