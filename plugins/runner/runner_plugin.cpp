// The runner plugin: starts, tracks and stops sched_ext schedulers (run_scheduler,
// stop_scheduler, get_execution_status, list_executions; CLI run and status), as root or
// through sudo, and never leaves one running that nobody owns.
#include <memory>

#include <boost/asio/post.hpp>

#include "default_command.hpp"
#include "execution_resources.hpp"
#include "execution_updates.hpp"
#include "launcher.hpp"
#include "output_schemas.hpp"
#include "replace_confirmation.hpp"
#include "run_command.hpp"
#include "runner_service.hpp"
#include "schedcp/sdk/install_layout.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/plugin.hpp"
#include "schedcp/sdk/settings.hpp"
#include "schedcp/sdk/sudo_secret.hpp"
#include "scheduler_args.hpp"
#include "switch_command.hpp"

namespace schedcp::plugins::runner {

namespace bj = boost::json;
namespace asio = boost::asio;

namespace {

// The runner's settings: the section's keys, their rules and where they go.
const sdk::Settings<RunnerSettings>& settings() {
    using sdk::SettingType;
    static const sdk::Settings<RunnerSettings> table({
        {.key = "scheduler_paths",
         .type = SettingType::string_list,
         .help = "directories searched for scheduler programs, before $PATH",
         .member = &RunnerSettings::scheduler_paths,
         .min_length = 1,
         .expand_home = true},
        {.key = "start_timeout_ms",
         .type = SettingType::integer,
         .help = "how long to wait for sched_ext to report a start",
         .member = &RunnerSettings::start_timeout_ms,
         .minimum = 100,
         .maximum = 120000},
        {.key = "stop_int_timeout_ms",
         .type = SettingType::integer,
         .help = "after SIGINT, how long before SIGTERM",
         .member = &RunnerSettings::stop_int_timeout_ms,
         .minimum = 0,
         .maximum = 600000},
        {.key = "stop_term_timeout_ms",
         .type = SettingType::integer,
         .help = "after SIGTERM, how long before SIGKILL",
         .member = &RunnerSettings::stop_term_timeout_ms,
         .minimum = 0,
         .maximum = 600000},
        {.key = "output_lines",
         .type = SettingType::integer,
         .help = "lines of output kept per execution",
         .member = &RunnerSettings::output_lines,
         .minimum = 10,
         .maximum = 100000},
        {.key = "max_finished_executions",
         .type = SettingType::integer,
         .help = "finished executions remembered (list_executions, get_execution_status); older "
                 "ones are forgotten",
         .member = &RunnerSettings::max_finished_executions,
         .minimum = 1,
         .maximum = 10000},
        {.key = "guard_policy",
         .type = SettingType::path,
         .help = "schedcp-guard's policy: where it may find schedulers; it and the directories "
                 "above it must be root-owned and not group/other-writable",
         .member = &RunnerSettings::guard_policy,
         .default_help =
             "<sysconf>/schedcp/guard.policy (/etc for the prefix /usr, else <prefix>/etc)"},
        {.key = "use_sudo",
         .type = SettingType::choice,
         .help = "auto: sudo when not root; never; always: sudo even as root",
         .member = &RunnerSettings::sudo,
         .choices = {"auto", "never", "always"}},
        {.key = "sudo_path",
         .type = SettingType::path,
         .help = "the sudo program",
         .member = &RunnerSettings::sudo_path},
        {.key = "on_failure",
         .type = SettingType::choice,
         .help = "what to do when a scheduler ends without being asked (run_scheduler's "
                 "default): none; restart it (backoff, burst limit); fallback: start the "
                 "fallback_scheduler once",
         .member = &RunnerSettings::on_failure,
         .choices = {"none", "restart", "fallback"}},
        {.key = "fallback_scheduler",
         .type = SettingType::string,
         .help = "on_failure fallback: the scheduler to start, or \"default\" to leave the "
                 "kernel's own scheduler",
         .member = {&RunnerSettings::fallback, &LaunchConfig::name},
         .pattern = "^[A-Za-z0-9_.-]+$",
         .min_length = 1},
        {.key = "fallback_args",
         .type = SettingType::string_list,
         .help = "on_failure fallback: arguments for fallback_scheduler (its catalogued "
                 "options, checked when the runner loads)",
         .member = &RunnerSettings::fallback_args,
         .max_items = scheduler_args::kMaxArgs},
        {.key = "fallback_mode",
         .type = SettingType::string,
         .help = "on_failure fallback: a mode of fallback_scheduler instead of fallback_args "
                 "(auto, gaming, powersave, lowlatency, server); empty: none",
         .member = &RunnerSettings::fallback_mode,
         .pattern = "^(auto|gaming|powersave|lowlatency|server)?$"},
        {.key = "restart_backoff_ms",
         .type = SettingType::integer,
         .help = "on_failure restart: wait before the first restart, doubled for each further "
                 "failure",
         .member = {&RunnerSettings::restart, &RestartLimits::backoff_ms},
         .minimum = 0,
         .maximum = 600000},
        {.key = "restart_backoff_max_ms",
         .type = SettingType::integer,
         .help = "on_failure restart: the longest wait between restarts",
         .member = {&RunnerSettings::restart, &RestartLimits::backoff_max_ms},
         .minimum = 0,
         .maximum = 3600000},
        {.key = "restart_burst",
         .type = SettingType::integer,
         .help = "on_failure restart: give up after this many failures within "
                 "restart_burst_seconds",
         .member = {&RunnerSettings::restart, &RestartLimits::burst},
         .minimum = 1,
         .maximum = 1000},
        {.key = "restart_burst_seconds",
         .type = SettingType::integer,
         .help = "on_failure restart: the window restart_burst counts failures in",
         .member = {&RunnerSettings::restart, &RestartLimits::burst_seconds},
         .minimum = 1,
         .maximum = 86400},
        {.key = "kmsg_path",
         .type = SettingType::path,
         .help = "the kernel's log, read from each start on for sched_ext's line saying why a "
                 "scheduler was disabled (a file or FIFO in tests); unreadable without root "
                 "when kernel.dmesg_restrict is set, then exit reasons come from the "
                 "scheduler's output only",
         .member = &RunnerSettings::kmsg_path},
        {.key = "scx_loader_config",
         .type = SettingType::path_list,
         .help = "scx_loader's configuration: the first of these files that exists is read, as "
                 "scx_loader does (default show/import; modes' arguments)",
         .member = &RunnerSettings::scx_loader_config},
        {.key = "scx_loader_modes",
         .type = SettingType::boolean,
         .help = "a mode's arguments come from scx_loader's file ([scheds.NAME] <mode>_mode) "
                 "when it sets them, as scx_loader does; false: always the catalog's",
         .member = &RunnerSettings::scx_loader_modes},
        {.key = "scx_service_config",
         .type = SettingType::path,
         .help = "scx.service's configuration (SCX_SCHEDULER, SCX_FLAGS): default show/import",
         .member = &RunnerSettings::scx_service_config},
        sdk::sched_ext_root_setting(&RunnerSettings::sched_ext_root),
        {.key = "proc_root",
         .type = SettingType::path,
         .help = "the proc file system, where the process holding sched_ext's BPF link and its "
                 "parents are found (who is in charge; tests point it at a fake tree)",
         .member = &RunnerSettings::proc_root},
        {.key = "cgroup_root",
         .type = SettingType::path,
         .help = "the cgroup v2 mount, where scx.service, scx_loader.service and "
                 "schedcp-default.service are seen running (tests point it at a fake tree)",
         .member = &RunnerSettings::cgroup_root},
        {.key = "scx_stats_socket",
         .type = SettingType::path,
         .help = "the running scheduler's scx_stats socket, read for get_execution_status' "
                 "scheduler_stats and `schedcp-cli status`",
         .member = {&RunnerSettings::scheduler_stats, &StatsSource::socket}},
        {.key = "scx_stats_timeout_ms",
         .type = SettingType::integer,
         .help = "how long one scx_stats read may take (connect, ask, answer; on a worker thread)",
         .member = {&RunnerSettings::scheduler_stats, &StatsSource::timeout_ms},
         .minimum = 10,
         .maximum = 10000},
        {.key = "scx_stats_max_bytes",
         .type = SettingType::integer,
         .help = "the longest scx_stats answer accepted; a longer one is refused, not cut",
         .member = {&RunnerSettings::scheduler_stats, &StatsSource::max_bytes},
         .minimum = 1024,
         .maximum = 16777216},
    });
    return table;
}

bj::object id_schema() {
    return bj::object{
        {"type", "object"},
        {"properties",
         bj::object{{"execution_id", bj::object{{"type", "string"},
                                                {"minLength", 1},
                                                {"maxLength", 100},
                                                {"description", "from run_scheduler"}}}}},
        {"required", bj::array{"execution_id"}},
        {"additionalProperties", false}};
}

}  // namespace

class RunnerPlugin final : public sdk::Plugin {
  public:
    sdk::PluginInfo info() const override {
        return {.name = "runner",
                .version = "0.1.0",
                .description = "runs, stops and watches sched_ext schedulers",
                .settings_schema = settings().schema(),
                .settings_help = settings().help()};
    }

    void setup(sdk::PluginContext& ctx) override {
        RunnerSettings rs = settings().parse(ctx.settings());
        rs.guard = (ctx.plugin_dir() / "../libexec/schedcp-guard").lexically_normal();
        // Beside the default config, where the guard looks for its own default:
        // <sysconf>/schedcp (sdk/install_layout.hpp; the build tree has the same layout).
        if (rs.guard_policy.empty())
            rs.guard_policy =
                sdk::install_layout::config_dir(
                    sdk::install_layout::prefix_of_lib_schedcp_dir(ctx.plugin_dir())) /
                "guard.policy";

        if (!rs.fallback_args.empty()) rs.fallback.args = rs.fallback_args;
        if (!rs.fallback_mode.empty()) rs.fallback.mode = rs.fallback_mode;

        // The host took the password out of the environment before any plugin loaded.
        core_ =
            std::make_shared<RunnerCore>(rs, ctx.services(), ctx.logger(), sdk::sudo_secret::get());
        core_->check_fallback_setting();  // a fallback that could never start fails now
        updates_ = std::make_shared<ExecutionUpdates>(ctx);
        core_->set_updates(updates_);
        auto service = std::make_shared<RunnerService>(core_);
        ctx.services().publish<sdk::services::SchedulerRunner>(service);
        ctx.services().publish<sdk::services::SchedulerLocator>(service);
        core_->locate_with_pool(ctx.blocking_executor());
        register_tools(ctx);
        register_execution_resources(ctx, core_);
        ctx.add_command(run_command(core_));
        ctx.add_command(status_command(core_, ctx.blocking_executor()));
        ctx.add_command(switch_command(core_));
        register_boot_default(
            ctx, core_, std::make_shared<BootDefaultStore>(ctx.data_dir() / "boot_default.json"));
    }

    void stop() noexcept override {
        if (updates_) updates_->stop();
        if (core_) core_->stop_all();
    }

  private:
    void register_tools(sdk::PluginContext& ctx) {
        auto core = core_;
        auto pool = ctx.blocking_executor();
        sdk::ToolSpec run;
        run.name = "run_scheduler";
        run.title = "Run a sched_ext scheduler";
        run.description =
            "Start a sched_ext scheduler from list_schedulers, and wait until the kernel reports "
            "it loaded "
            "(status 'running') or it fails (status 'failed', with the output that explains it). "
            "Pass its "
            "command-line flags in args, or an scx_loader mode (auto, gaming, powersave, "
            "lowlatency, server) "
            "for schedulers that have one. Only one scheduler can be loaded at a time: if one is, "
            "this fails "
            "with a conflict unless replace is true and it was started by this server.";
        const bj::object args_schema{
            {"type", "array"},
            {"items",
             bj::object{{"type", "string"},
                        {"maxLength", static_cast<std::int64_t>(scheduler_args::kMaxArgBytes)}}},
            {"maxItems", static_cast<std::int64_t>(scheduler_args::kMaxArgs)},
            {"description", "flags for the scheduler, e.g. [\"--slice-us\", \"5000\"]"}};
        const bj::object mode_schema{
            {"enum", bj::array{"auto", "gaming", "powersave", "lowlatency", "server"}},
            {"description", "scx_loader mode instead of args"}};
        run.input_schema = bj::object{
            {"type", "object"},
            {"properties",
             bj::object{
                 {"name", bj::object{{"type", "string"},
                                     {"minLength", 1},
                                     {"maxLength", 100},
                                     {"description",
                                      "scheduler name, e.g. scx_rusty (one of list_schedulers)"}}},
                 {"args", args_schema},
                 {"mode", mode_schema},
                 {"replace",
                  bj::object{{"type", "boolean"},
                             {"description", "stop this server's running scheduler first"}}},
                 {"on_failure",
                  bj::object{{"enum", bj::array{"none", "restart", "fallback"}},
                             {"description",
                              "when it ends without being asked: nothing, restart it (with "
                              "backoff; gives up after the burst limit), or start `fallback` "
                              "once (default: the runner's on_failure setting)"}}},
                 {"fallback",
                  bj::object{
                      {"type", "object"},
                      {"properties",
                       bj::object{{"name", bj::object{{"type", "string"},
                                                      {"minLength", 1},
                                                      {"maxLength", 100},
                                                      {"description",
                                                       "a scheduler, or \"default\": leave the "
                                                       "kernel's own"}}},
                                  {"args", args_schema},
                                  {"mode", mode_schema}}},
                      {"required", bj::array{"name"}},
                      {"additionalProperties", false},
                      {"description",
                       "with on_failure: fallback, what to start instead (default: the "
                       "runner's fallback_scheduler setting)"}}}}},
            {"required", bj::array{"name"}},
            {"additionalProperties", false}};
        run.output_schema = run_output_schema();
        run.annotations = {
            .read_only = false, .destructive = true, .idempotent = false, .open_world = false};
        run.handler = [core](const bj::object& args,
                             sdk::CallContext& ctx) -> asio::awaitable<sdk::ToolResult> {
            auto request = start_request_from(args);
            if (auto running = core->table().live(); running && request.replace) {
                auto confirming = confirm_replace(ctx, *running, request.name);
                if (auto refusal = co_await std::move(confirming)) co_return std::move(*refusal);
            }
            auto starting =
                core->start(std::move(request));  // call, then await: see sdk/blocking.hpp
            auto e = co_await std::move(starting);
            bj::object out = core->render(*e, 50);
            out["scheduler"] = e->scheduler;  // SchedCP's name for it, beside schedcp's `name`
            co_return sdk::ToolResult::ok(std::move(out));
        };
        ctx.add_tool(std::move(run));
        ctx.add_instructions(
            "run_scheduler loads one (only one can be loaded at a time); get_execution_status "
            "and stop_scheduler watch and end the run.");

        sdk::ToolSpec stop;
        stop.name = "stop_scheduler";
        stop.title = "Stop a scheduler";
        stop.description =
            "Stop a scheduler started by run_scheduler: SIGINT (it unloads cleanly), then SIGTERM, "
            "then SIGKILL "
            "if it does not exit. Returns how it ended and what the kernel reports afterwards.";
        stop.input_schema = id_schema();
        stop.output_schema = stop_output_schema();
        stop.annotations = {
            .read_only = false, .destructive = true, .idempotent = true, .open_world = false};
        stop.handler = [core](const bj::object& args,
                              sdk::CallContext&) -> asio::awaitable<sdk::ToolResult> {
            const std::string id =
                sdk::json::required_string(args, "execution_id");  // named: see blocking.hpp
            auto e = co_await core->stop(id);
            co_return sdk::ToolResult::ok(core->render(*e, 50));
        };
        ctx.add_tool(std::move(stop));

        sdk::ToolSpec status;
        status.name = "get_execution_status";
        status.title = "Execution status";
        status.description =
            "Status of a scheduler execution (starting, running, stopped, exited, failed), its "
            "command and "
            "arguments, pid, start/end time, exit code or signal, why it ended in the kernel's "
            "words (exit_kind, exit_reason, exit_message, kernel_message), its recent output, "
            "what the kernel reports right now (sched_ext state and loaded ops), and while it "
            "runs the scheduler's own statistics (scheduler_stats, from its scx_stats socket; "
            "available: false with the reason for schedulers that publish none).";
        bj::object status_schema = id_schema();
        status_schema["properties"].as_object()["lines"] = bj::object{
            {"type", "integer"},
            {"minimum", 1},
            {"maximum", 100000},
            {"description", "how many recent output lines to return (default: all kept)"}};
        status.input_schema = std::move(status_schema);
        status.output_schema = status_output_schema();
        status.annotations = {
            .read_only = true, .destructive = false, .idempotent = true, .open_world = false};
        status.handler = [core, pool](const bj::object& args,
                                      sdk::CallContext&) -> asio::awaitable<sdk::ToolResult> {
            auto e = core->status(sdk::json::required_string(args, "execution_id"));
            auto lines =
                static_cast<std::size_t>(sdk::json::optional_int(args, "lines").value_or(0));
            bj::object out = core->render(*e, lines);
            if (e->status == sdk::services::ExecutionStatus::running) {
                auto reading = read_scheduler_stats(core->settings().scheduler_stats,
                                                    pool);  // call, then await: see blocking.hpp
                out["scheduler_stats"] = co_await std::move(reading);
            } else {
                out["scheduler_stats"] =
                    stats_not_running(e->id, sdk::services::execution_status_name(e->status));
            }
            co_return sdk::ToolResult::ok(std::move(out));
        };
        ctx.add_tool(std::move(status));

        sdk::ToolSpec list;
        list.name = "list_executions";
        list.title = "List executions";
        list.description =
            "Every scheduler execution this server started, newest first, with its status.";
        list.input_schema = bj::object{{"type", "object"}, {"additionalProperties", false}};
        list.output_schema = list_output_schema();
        list.annotations = {
            .read_only = true, .destructive = false, .idempotent = true, .open_world = false};
        list.handler = [core](const bj::object&,
                              sdk::CallContext&) -> asio::awaitable<sdk::ToolResult> {
            bj::array out;
            for (const auto& e : core->table().all_newest_first()) {
                bj::object o = e->to_json(5);
                out.push_back(std::move(o));
            }
            co_return sdk::ToolResult::ok(
                bj::object{{"executions", std::move(out)},
                           {"kernel", sdk::sched_ext::to_json(core->kernel())}});
        };
        ctx.add_tool(std::move(list));
    }

    std::shared_ptr<RunnerCore> core_;
    std::shared_ptr<ExecutionUpdates> updates_;
};

}  // namespace schedcp::plugins::runner

SCHEDCP_PLUGIN(schedcp::plugins::runner::RunnerPlugin)
