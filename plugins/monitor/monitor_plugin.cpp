// The monitor plugin: what the system did while a scheduler ran (system_monitor
// start/stop/status; schedcp-cli monitor): CPU, memory, context switches, load, CPU
// pressure, schedstat, the sched_ext state, and run-queue latency from BPF; and the
// WorkloadMonitor service, which observes single workload runs for the evaluator.
#include <unistd.h>

#include <iomanip>
#include <memory>
#include <sstream>
#include <stop_token>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "monitor_schema.hpp"
#include "run_observer.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/plugin.hpp"
#include "schedcp/sdk/services/workload_monitor.hpp"
#include "schedcp/sdk/settings.hpp"
#include "session.hpp"

namespace schedcp::plugins::monitor {

namespace bj = boost::json;
namespace asio = boost::asio;

namespace {

std::string live_line(const Sample& b, const Sample* a) {
    std::ostringstream os;
    os << std::fixed << std::setprecision(1) << "[" << std::setw(5) << b.t << " s]";
    if (a && a->stat && b.stat && b.stat->all.total() > a->stat->all.total())
        os << " cpu "
           << 100.0 * static_cast<double>(b.stat->all.busy - a->stat->all.busy) /
                  static_cast<double>(b.stat->all.total() - a->stat->all.total())
           << "%";
    if (b.mem) os << "  mem " << b.mem->used_percent() << "%";
    if (a && a->stat && b.stat && b.t > a->t)
        os << "  ctxt "
           << static_cast<long>(
                  static_cast<double>(b.stat->context_switches - a->stat->context_switches) /
                  (b.t - a->t))
           << "/s";
    if (b.load1) os << "  load " << *b.load1;
    if (b.sched_ext.present)
        os << "  sched_ext " << b.sched_ext.state_text()
           << (b.sched_ext.ops ? " (" + *b.sched_ext.ops + ")" : "");
    return os.str();
}

// The monitor's settings: the section's keys, their rules and where they go.
const sdk::Settings<MonitorSettings>& settings() {
    using sdk::SettingType;
    static const sdk::Settings<MonitorSettings> table({
        {.key = "runqlat",
         .type = SettingType::boolean,
         .help = "measure run-queue latency with BPF",
         .member = &MonitorSettings::runqlat},
        {.key = "max_samples",
         .type = SettingType::integer,
         .help = "samples a session keeps",
         .member = &MonitorSettings::max_samples,
         .minimum = 10,
         .maximum = 10000000},
        {.key = "proc_root",
         .type = SettingType::path,
         .help = "the proc file system (tests point it elsewhere)",
         .member = {&MonitorSettings::sources, &Sources::proc_root}},
        sdk::sched_ext_root_setting({&MonitorSettings::sources, &Sources::sched_ext_root}),
        {.key = "scx_stats_socket",
         .type = SettingType::path,
         .help = "the running scheduler's scx_stats socket, sampled while it exists",
         .member = {&MonitorSettings::sources, &Sources::scx_stats_socket}},
        {.key = "scx_stats_timeout_ms",
         .type = SettingType::integer,
         .help = "how long one scx_stats read may take (on a worker thread, one read at a "
                 "time: samples go on without statistics while it waits)",
         .member = {&MonitorSettings::sources, &Sources::scx_stats_timeout_ms},
         .minimum = 10,
         .maximum = 10000},
    });
    return table;
}

}  // namespace

class MonitorPlugin final : public sdk::Plugin {
  public:
    sdk::PluginInfo info() const override {
        return {.name = "monitor",
                .version = "0.1.0",
                .description = "system and scheduler metrics, and run-queue latency from BPF",
                .settings_schema = settings().schema(),
                .settings_help = settings().help()};
    }

    void setup(sdk::PluginContext& ctx) override {
        MonitorSettings ms = settings().parse(ctx.settings());
        monitor_ = std::make_shared<Monitor>(ms, ctx.executor(), ctx.blocking_executor(),
                                             ctx.services(), ctx.logger());
        auto monitor = monitor_;
        // The evaluator's per-run observations (CPU and run-queue latency while a workload
        // runs), from the same sources and with the same runqlat setting.
        ctx.services().publish<sdk::services::WorkloadMonitor>(
            std::make_shared<WorkloadMonitorService>(ms.sources.proc_root, ms.runqlat));

        sdk::ToolSpec tool;
        tool.name = "system_monitor";
        tool.title = "Measure the system";
        tool.description =
            "Measure what the system does while a scheduler runs. command 'start' begins sampling "
            "every "
            "interval_ms (default 1000): CPU (overall and per CPU), memory, context switches, "
            "load, CPU "
            "pressure, schedstat run time/delay/timeslices, the sched_ext state and event "
            "counters, "
            "the running scheduler's own statistics (scx_stats), and run-queue "
            "latency from BPF "
            "(wake-up to running, p50/p95/p99/max). 'stop' ends it and returns the summary (avg, "
            "p95, max of each "
            "series, and the scheduler execution that was live); 'status' reports progress. "
            "Sources this kernel "
            "lacks are reported with available: false and the reason. One session at a time.";
        tool.input_schema = bj::object{
            {"type", "object"},
            {"properties",
             bj::object{{"command", bj::object{{"enum", bj::array{"start", "stop", "status"}}}},
                        {"interval_ms",
                         bj::object{{"type", "integer"},
                                    {"minimum", 100},
                                    {"maximum", 60000},
                                    {"description", "start: sampling interval (default 1000)"}}}}},
            {"required", bj::array{"command"}},
            {"additionalProperties", false}};
        tool.output_schema = monitor_output_schema();
        tool.annotations = {
            .read_only = false, .destructive = false, .idempotent = false, .open_world = false};
        // status only reports progress: an HTTP `read` token may use it (not start or stop,
        // which begin and end the one session).
        tool.read_only_commands =
            sdk::ReadOnlyCommands{.argument = "command", .values = {"status"}};
        tool.handler = [monitor](const bj::object& args,
                                 sdk::CallContext&) -> asio::awaitable<sdk::ToolResult> {
            std::string command = sdk::json::required_string(args, "command");
            if (command == "start") {
                co_return sdk::ToolResult::ok(monitor->start(
                    static_cast<int>(sdk::json::optional_int(args, "interval_ms").value_or(1000))));
            }
            if (args.contains("interval_ms"))
                throw sdk::InvalidArgument("interval_ms only applies to command 'start'");
            if (command == "stop") co_return sdk::ToolResult::ok(monitor->stop());
            co_return sdk::ToolResult::ok(monitor->status());
        };
        ctx.add_tool(std::move(tool));
        ctx.add_instructions("Wrap a workload in system_monitor start/stop to measure it.");

        sdk::CommandSpec cmd;
        cmd.path = {"monitor"};
        cmd.summary = "Sample the system for a while and print a summary";
        cmd.description =
            "Samples every --interval ms for --duration seconds (Ctrl-C ends it early), showing a "
            "live line on a\n"
            "terminal, then prints the same summary as the system_monitor tool's 'stop'.";
        cmd.options = {{.name = "duration",
                        .short_name = 'd',
                        .type = sdk::OptionType::integer,
                        .value_name = "SECONDS",
                        .help = "how long (default 10)",
                        .minimum = 1,
                        .maximum = 86400},
                       {.name = "interval",
                        .short_name = 'i',
                        .type = sdk::OptionType::integer,
                        .value_name = "MS",
                        .help = "sampling interval (default 1000)",
                        .minimum = 100,
                        .maximum = 60000}};
        cmd.handler = [monitor](const sdk::CommandInvocation& inv,
                                sdk::CommandContext& ctx) -> asio::awaitable<sdk::CommandResult> {
            const auto duration = sdk::json::optional_int(inv.values, "duration").value_or(10);
            const auto interval =
                static_cast<int>(sdk::json::optional_int(inv.values, "interval").value_or(1000));
            const bool live = ctx.interactive() && !ctx.json_output();
            if (live) {
                monitor->on_sample = [&ctx](const Sample& b, const Sample* a) {
                    ctx.out() << "\r\033[K" << live_line(b, a) << std::flush;
                };
            } else if (!ctx.json_output()) {
                ctx.out() << "Monitoring for " << duration << " s..." << std::endl;
            }
            monitor->start(interval);
            {
                // One wait for the whole duration, cut short by Ctrl-C: the stop request may
                // come from another thread, so the cancellation is posted to this executor
                // (the timer is shared so a late post never touches a destroyed one).
                auto ex = co_await asio::this_coro::executor;
                auto timer = std::make_shared<asio::steady_timer>(ex);
                timer->expires_after(std::chrono::seconds(duration));
                std::stop_callback on_stop(ctx.stop_token(), [ex, timer] {
                    asio::post(ex, [timer] { timer->cancel(); });
                });
                boost::system::error_code ended_early;
                if (!ctx.cancelled())
                    co_await timer->async_wait(
                        asio::redirect_error(asio::use_awaitable, ended_early));
            }
            monitor->on_sample = nullptr;
            if (live) ctx.out() << "\n";
            bj::object result = monitor->stop();
            std::string text = render_summary(result);
            co_return sdk::CommandResult{result.at("summary"), std::move(text), 0};
        };
        ctx.add_command(std::move(cmd));
    }

    void stop() noexcept override {
        if (monitor_) monitor_->halt();
    }

  private:
    std::shared_ptr<Monitor> monitor_;
};

}  // namespace schedcp::plugins::monitor

SCHEDCP_PLUGIN(schedcp::plugins::monitor::MonitorPlugin)
