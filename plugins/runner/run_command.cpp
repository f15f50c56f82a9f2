#include "run_command.hpp"

#include <stop_token>

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

#include "schedcp/sdk/json.hpp"

namespace schedcp::plugins::runner {

namespace bj = boost::json;
namespace asio = boost::asio;

namespace {

// The execution its run's failure policy started after e, if any.
std::shared_ptr<Execution> successor(const RunnerCore& core, const Execution& e) {
    if (!e.supervision || e.supervision->current_execution_id == e.id) return nullptr;
    return core.table().find(e.supervision->current_execution_id);
}

bool waiting_for_restart(const Execution& e) {
    return e.supervision && e.supervision->state == SupervisionState::backing_off;
}

}  // namespace

void announce(const Execution& e, sdk::CommandContext& ctx) {
    if (ctx.json_output()) return;
    ctx.out() << "Started " << e.scheduler << " as execution " << e.id << " (" << e.privilege
              << (e.pid ? ", pid " + std::to_string(*e.pid) : std::string()) << "): " << e.message
              << "\n";
    for (const auto& line : e.output) ctx.out() << line << "\n";
}

asio::awaitable<std::shared_ptr<Execution>> follow_in_foreground(std::shared_ptr<RunnerCore> core,
                                                                 std::shared_ptr<Execution> e,
                                                                 sdk::CommandContext& ctx) {
    const bool text = !ctx.json_output();
    if (text) {
        if (e->live()) ctx.out() << "Press Ctrl-C to stop it." << std::endl;
        e->on_line = [&ctx](const std::string& line) { ctx.out() << line << std::endl; };
    }
    {
        // Wakes when the execution ends (its pidfd, through watch_exit) or Ctrl-C asks to
        // stop; the stop request may come from another thread, so it is posted here.
        auto ex = co_await asio::this_coro::executor;
        std::stop_callback on_stop(ctx.stop_token(),
                                   [ex, e] { asio::post(ex, [e] { e->changed.notify(); }); });
        while (!ctx.cancelled()) {
            // The run goes on while its failure policy restarts it or starts its
            // fallback: follow its current execution.
            if (auto next = successor(*core, *e)) {
                e->on_line = nullptr;
                e = next;
                if (text) {
                    ctx.out() << "Now " << e->scheduler << " as execution " << e->id << std::endl;
                    e->on_line = [&ctx](const std::string& line) {
                        ctx.out() << line << std::endl;
                    };
                }
                continue;
            }
            if (!e->live() && !waiting_for_restart(*e)) break;
            auto waiting = e->changed.wait_until(std::chrono::steady_clock::time_point::max());
            co_await std::move(waiting);
        }
    }
    if (e->live() || waiting_for_restart(*e)) {
        if (text) ctx.out() << "Stopping " << e->scheduler << "..." << std::endl;
        e = co_await core->stop(e->id);
    }
    e->on_line = nullptr;
    co_return e;
}

sdk::CommandResult foreground_result(const RunnerCore& core, const Execution& e) {
    bj::object result = core.render(e);
    std::string summary = e.scheduler + " " +
                          std::string(sdk::services::execution_status_name(e.status)) + ": " +
                          e.message + "\n";
    const auto& k = result.at("kernel").as_object();
    if (k.at("sched_ext").as_bool())
        summary += "sched_ext is now " + std::string(k.at("state").as_string()) + "\n";
    int code = e.status == sdk::services::ExecutionStatus::stopped
                   ? (e.exit_code ? *e.exit_code : 0)
                   : (e.signal ? 128 + *e.signal : e.exit_code.value_or(1));
    return sdk::CommandResult{std::move(result), std::move(summary), code};
}

asio::awaitable<sdk::CommandResult> run_in_foreground(std::shared_ptr<RunnerCore> core,
                                                      StartRequest r, sdk::CommandContext& ctx) {
    auto starting = core->start(std::move(r));  // call, then await: see sdk/blocking.hpp
    auto e = co_await std::move(starting);
    announce(*e, ctx);
    auto following = follow_in_foreground(core, e, ctx);
    e = co_await std::move(following);
    co_return foreground_result(*core, *e);
}

std::vector<sdk::OptionSpec> start_options() {
    return {
        {.name = "sudo",
         .short_name = 's',
         .type = sdk::OptionType::flag,
         .help = "use sudo when not root (password from SCHEDCP_SUDO_PASSWORD)"},
        {.name = "mode",
         .short_name = 'm',
         .type = sdk::OptionType::string,
         .value_name = "MODE",
         .help = "scx_loader mode instead of arguments",
         .choices = {"auto", "gaming", "powersave", "lowlatency", "server"}},
    };
}

sdk::CommandSpec run_command(std::shared_ptr<RunnerCore> core) {
    sdk::CommandSpec spec;
    spec.path = {"run"};
    spec.summary = "Run a scheduler in the foreground until Ctrl-C";
    spec.description =
        "Starts NAME (a scheduler from 'schedcp-cli list'), waits until the kernel reports it "
        "loaded,\n"
        "and streams its output. Ctrl-C stops it cleanly (SIGINT, then SIGTERM, then SIGKILL); "
        "the\n"
        "exit code is the scheduler's own. Scheduler arguments go after '--', e.g.\n"
        "  schedcp-cli run scx_rusty -- --slice-us-underutil 30000";
    spec.options = start_options();
    spec.options.insert(
        spec.options.end(),
        {
            {.name = "replace",
             .short_name = 'r',
             .type = sdk::OptionType::flag,
             .help = "stop this process's own running scheduler first"},
            {.name = "on-failure",
             .type = sdk::OptionType::string,
             .value_name = "POLICY",
             .help = "when it ends without being asked: restart it (backoff, burst limit), start "
                     "--fallback, or none (default: the runner's on_failure setting)",
             .choices = {"none", "restart", "fallback"}},
            {.name = "fallback",
             .type = sdk::OptionType::string,
             .value_name = "NAME",
             .help = "with --on-failure fallback: the scheduler to start instead, or 'default' "
                     "(leave the kernel's own)"},
        });
    spec.positionals = {{"name", "the scheduler, e.g. scx_rusty"}};
    spec.passthrough = true;
    spec.passthrough_help = "arguments for the scheduler";
    // Checked as run_scheduler's arguments (its schema's limits), by the host.
    spec.tool = sdk::ToolMapping{
        .tool = "run_scheduler", .command_only = {"sudo", "fallback"}, .passthrough_as = "args"};
    spec.handler = [core](const sdk::CommandInvocation& inv,
                          sdk::CommandContext& ctx) -> asio::awaitable<sdk::CommandResult> {
        StartRequest r = start_request_from(inv.tool_arguments);
        r.cli = true;
        r.cli_sudo_flag = sdk::json::optional_bool(inv.values, "sudo").value_or(false);
        if (auto fallback = sdk::json::optional_string(inv.values, "fallback"))
            r.fallback = LaunchConfig{.name = *fallback};
        co_return co_await run_in_foreground(core, std::move(r), ctx);
    };
    return spec;
}

namespace {
// "statistics: 12 fields from /var/run/scx/root/stats" or why there are none.
std::string stats_line(const bj::object& stats) {
    if (!stats.at("available").as_bool())
        return "scheduler statistics: not available: " +
               std::string(stats.at("reason").as_string()) + "\n";
    const auto* fields = stats.at("stats").if_object();
    return "scheduler statistics (scx_stats, " + std::string(stats.at("socket").as_string()) +
           "): " + std::to_string(fields ? fields->size() : 0) + " fields; --json shows them\n";
}
}  // namespace

sdk::CommandSpec status_command(std::shared_ptr<RunnerCore> core,
                                boost::asio::any_io_executor pool) {
    sdk::CommandSpec spec;
    spec.path = {"status"};
    spec.summary = "Show what sched_ext has loaded right now, who is in charge of it, and its "
                   "statistics";
    spec.description =
        "The kernel's sched_ext state and loaded scheduler, and who is in charge of it when\n"
        "that is not nobody: this process, another schedcp process (schedcp-cli run, default\n"
        "run), scx_loader, scx.service, or someone else (pid and command), with how to hand\n"
        "over. Found from the process holding the scheduler's BPF link, its parents and its\n"
        "cgroup (the systemd unit). While a scheduler is loaded, its scx_stats statistics.";
    spec.handler = [core, pool](const sdk::CommandInvocation&,
                                sdk::CommandContext&) -> asio::awaitable<sdk::CommandResult> {
        const sdk::sched_ext::Manager m = core->manager();
        const sdk::sched_ext::Status& k = m.kernel;
        bj::object data = sdk::sched_ext::to_json(k);
        std::string text;
        if (!k.present) {
            text = sdk::sched_ext::no_sched_ext_message(core->settings().sched_ext_root) + "\n";
        } else {
            text = "sched_ext: " + k.state_text();
            if (k.ops) text += ", scheduler '" + *k.ops + "' loaded";
            if (k.switch_all)
                text += *k.switch_all ? " (all tasks)" : " (partial: SCHED_EXT tasks only)";
            text += "\n";
            if (k.enable_seq)
                text += "schedulers loaded since boot: " + std::to_string(*k.enable_seq) + "\n";
        }
        if (m.kind != sdk::sched_ext::ManagerKind::nobody) {
            text += "in charge: " + m.summary + "\n";
            if (!m.hand_over.empty()) text += "to hand over: " + m.hand_over + "\n";
        } else {
            for (const auto& u : m.units)
                if (u.active) text += u.name + " is running\n";
        }
        data["manager"] = sdk::sched_ext::to_json(m);
        // Whoever started it: the loaded scheduler's socket is the system's, not ours alone.
        if (k.present && k.state == sdk::sched_ext::State::enabled) {
            auto reading = read_scheduler_stats(core->settings().scheduler_stats,
                                                pool);  // call, then await: see blocking.hpp
            bj::object stats = co_await std::move(reading);
            text += stats_line(stats);
            data["scheduler_stats"] = std::move(stats);
        }
        co_return sdk::CommandResult{std::move(data), std::move(text), 0};
    };
    return spec;
}

}  // namespace schedcp::plugins::runner
