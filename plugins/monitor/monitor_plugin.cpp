// The monitor plugin: what the system did while a scheduler ran (system_monitor
// start/stop/status; schedcp-cli monitor): CPU, memory, context switches, load, CPU
// pressure, schedstat, the sched_ext state, and run-queue latency from BPF.
#include <unistd.h>

#include <iomanip>
#include <memory>
#include <sstream>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/plugin.hpp"
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
    if (!b.sched_ext_state.empty())
        os << "  sched_ext " << b.sched_ext_state << (b.ops ? " (" + *b.ops + ")" : "");
    return os.str();
}

}  // namespace

class MonitorPlugin final : public sdk::Plugin {
  public:
    sdk::PluginInfo info() const override {
        return {
            "monitor", "0.1.0", "system and scheduler metrics, and run-queue latency from BPF",
            bj::object{
                {"type", "object"},
                {"properties",
                 bj::object{
                     {"runqlat", bj::object{{"type", "boolean"},
                                            {"description", "measure run-queue latency with BPF"}}},
                     {"max_samples",
                      bj::object{{"type", "integer"}, {"minimum", 10}, {"maximum", 10000000}}},
                     {"proc_root", bj::object{{"type", "string"}, {"pattern", "^/"}}},
                     {"sched_ext_root", bj::object{{"type", "string"}, {"pattern", "^/"}}}}},
                {"additionalProperties", false}}};
    }

    void setup(sdk::PluginContext& ctx) override {
        const auto& s = ctx.settings();
        MonitorSettings ms;
        ms.runqlat = sdk::json::optional_bool(s, "runqlat").value_or(true);
        ms.max_samples =
            static_cast<std::size_t>(sdk::json::optional_int(s, "max_samples").value_or(86400));
        ms.sources.proc_root = sdk::json::optional_string(s, "proc_root").value_or("/proc");
        ms.sources.sched_ext_root =
            sdk::json::optional_string(s, "sched_ext_root").value_or("/sys/kernel/sched_ext");
        monitor_ = std::make_shared<Monitor>(ms, ctx.executor(), ctx.services(), ctx.logger());
        auto monitor = monitor_;

        sdk::ToolSpec tool;
        tool.name = "system_monitor";
        tool.title = "Measure the system";
        tool.description =
            "Measure what the system does while a scheduler runs. command 'start' begins sampling "
            "every "
            "interval_ms (default 1000): CPU (overall and per CPU), memory, context switches, "
            "load, CPU "
            "pressure, schedstat run time/delay/timeslices, the sched_ext state, and run-queue "
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
        tool.annotations = {false, false, false, false};
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
        cmd.options = {{"duration", 'd', sdk::OptionType::integer, "SECONDS",
                        "how long (default 10)", false, 1, 86400},
                       {"interval", 'i', sdk::OptionType::integer, "MS",
                        "sampling interval (default 1000)", false, 100, 60000}};
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
            asio::steady_timer timer(co_await asio::this_coro::executor);
            auto end = std::chrono::steady_clock::now() + std::chrono::seconds(duration);
            while (std::chrono::steady_clock::now() < end && !ctx.cancelled()) {
                timer.expires_after(std::chrono::milliseconds(50));
                co_await timer.async_wait(asio::use_awaitable);
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
