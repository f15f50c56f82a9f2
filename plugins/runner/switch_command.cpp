#include "switch_command.hpp"

#include "run_command.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "takeover.hpp"

namespace schedcp::plugins::runner {

namespace bj = boost::json;
namespace asio = boost::asio;
using sdk::sched_ext::ManagerKind;
using sdk::services::ExecutionStatus;

namespace {

constexpr const char* kDescription =
    "Switches sched_ext from the scheduler schedcp runs now to NAME, and back when NAME\n"
    "does not start:\n"
    "  1. NAME and its arguments are checked first (as 'run' checks them); nothing is\n"
    "     stopped for a request that cannot run.\n"
    "  2. Who is in charge is read from the kernel (the process holding the scheduler's BPF\n"
    "     link, its parents and its systemd unit):\n"
    "     - nobody: NAME is started;\n"
    "     - another schedcp process's foreground run ('schedcp-cli run', 'default run', e.g.\n"
    "       schedcp-default.service): it is asked to end (SIGTERM, as 'systemctl stop'\n"
    "       does; it stops its scheduler cleanly) and its configuration (scheduler and\n"
    "       arguments, from its schedcp-guard's command line) is remembered;\n"
    "     - an MCP server, scx_loader, scx.service or anyone else: refused, naming them\n"
    "       and how to hand over; nothing is touched.\n"
    "  3. NAME is started. When it does not reach 'enabled' within the runner's\n"
    "     start_timeout_ms, or fails, it is stopped and the previous configuration is\n"
    "     started again; both outcomes are printed.\n"
    "  4. Like 'run', this command then stays in the foreground with whichever scheduler\n"
    "     runs (NAME, or the restored one) until Ctrl-C: a scheduler lives only as long as\n"
    "     the schedcp process that started it. A unit that was stopped is not started again\n"
    "     ('systemctl start schedcp-default.service' brings the boot default back).\n"
    "Exit code: the scheduler's, as for 'run'; 1 when the switch was rolled back.";

bj::object takeover_json(const Takeover& t) {
    return bj::object{{"previous", t.previous.to_json()},
                      {"pid", t.process.pid},
                      {"command", t.process.command()},
                      {"unit", t.unit ? bj::value(*t.unit) : nullptr}};
}

// Where the switch starts from: nobody, this process's own (replace), or another schedcp
// process's run to end first. Anyone else is refused.
std::optional<Takeover> plan(const RunnerCore& core, StartRequest& r) {
    const sdk::sched_ext::Manager m = core.manager();
    switch (m.kind) {
        case ManagerKind::nobody:
            if (m.active_unit(sdk::sched_ext::kScxServiceUnit)) break;  // start() refuses it
            return std::nullopt;
        case ManagerKind::this_process:
            r.replace = true;
            return std::nullopt;
        case ManagerKind::schedcp: {
            Takeover t = plan_takeover(m);
            try {
                core.check_request(StartRequest{
                    .name = t.previous.name, .args = t.previous.args, .mode = t.previous.mode});
            } catch (const std::exception& ex) {
                throw sdk::Conflict("in charge: " + m.summary + "; what it runs (" +
                                        t.previous.command_line() +
                                        ") could not be started again here (" + ex.what() +
                                        "), so it is left alone",
                                    bj::object{{"manager", sdk::sched_ext::to_json(m)}});
            }
            return t;
        }
        default:
            throw sdk::Conflict("in charge: " + m.summary + ". To hand over: " + m.hand_over +
                                    ". `switch` takes over only from schedcp's own runs",
                                bj::object{{"manager", sdk::sched_ext::to_json(m)}});
    }
    return std::nullopt;
}

}  // namespace

sdk::CommandSpec switch_command(std::shared_ptr<RunnerCore> core) {
    sdk::CommandSpec spec;
    spec.path = {"switch"};
    spec.summary = "Switch to another scheduler; roll back when it does not start";
    spec.description = kDescription;
    spec.options = start_options();
    spec.positionals = {{"name", "the scheduler to switch to, e.g. scx_rusty"}};
    spec.passthrough = true;
    spec.passthrough_help = "arguments for the scheduler";
    spec.tool = sdk::ToolMapping{
        .tool = "run_scheduler", .command_only = {"sudo"}, .passthrough_as = "args"};
    spec.handler = [core](const sdk::CommandInvocation& inv,
                          sdk::CommandContext& ctx) -> asio::awaitable<sdk::CommandResult> {
        StartRequest r = start_request_from(inv.tool_arguments);
        r.cli = true;
        r.cli_sudo_flag = sdk::json::optional_bool(inv.values, "sudo").value_or(false);
        // Everything that can be known before anything is stopped: a request that can run.
        const RunnerCore::Checked checked = core->check_request(r);
        if (!core->locate(checked.entry))
            throw sdk::Unavailable(checked.entry.name +
                                   " is not installed on this host (see schedcp-cli list); "
                                   "nothing was stopped");
        const bool text = !ctx.json_output();
        std::optional<Takeover> from = plan(*core, r);
        if (from) {
            if (text)
                ctx.out() << "Stopping " << from->previous.command_line() << " (pid "
                          << from->process.pid << ": " << from->process.command()
                          << (from->unit ? ", unit " + *from->unit : std::string())
                          << ") to switch to " << r.name << std::endl;
            auto ending = end_other_run(
                *core, *from,
                std::chrono::milliseconds(core->settings().stop_int_timeout_ms +
                                          core->settings().stop_term_timeout_ms + 5000));
            co_await std::move(ending);
            r.previous = from->previous;
        }
        std::shared_ptr<Execution> e;
        std::string start_error;
        try {
            auto starting = core->start(r);  // call, then await: see sdk/blocking.hpp
            e = co_await std::move(starting);
        } catch (const std::exception& ex) {
            if (!from) throw;
            start_error = ex.what();  // refused before it ran: the previous one comes back
        }
        std::shared_ptr<Execution> current = e;
        if (e) {
            announce(*e, ctx);
            if (e->rollback && !e->rollback->restored_execution_id.empty())
                current = core->table().find(e->rollback->restored_execution_id);
        } else {
            if (text) ctx.out() << "Could not start " << r.name << ": " << start_error << "\n";
            StartRequest again{.name = from->previous.name,
                               .args = from->previous.args,
                               .mode = from->previous.mode,
                               .cli = true,
                               .cli_sudo_flag = r.cli_sudo_flag};
            auto starting = core->start(std::move(again));
            current = co_await std::move(starting);
        }
        const bool rolled_back = !e || e->rollback.has_value();
        if (rolled_back && text) {
            const std::string why = e ? e->rollback->reason : start_error;
            ctx.out() << "Switch to " << r.name << " failed (" << why << "); rolled back to "
                      << from->previous.name;
            if (current)
                ctx.out() << " (" << sdk::services::execution_status_name(current->status)
                          << (current->pid ? ", pid " + std::to_string(*current->pid) : "")
                          << ", execution " << current->id << "): " << current->message;
            ctx.out() << "\n";
        }
        bj::object to =
            e ? bj::object{{"execution_id", e->id},
                           {"scheduler", e->scheduler},
                           {"status", sdk::services::execution_status_name(e->status)},
                           {"message", e->message}}
              : bj::object{
                    {"scheduler", r.name}, {"status", "not_started"}, {"message", start_error}};
        if (current) {
            auto following = follow_in_foreground(core, current, ctx);
            current = co_await std::move(following);
        }
        sdk::CommandResult res = current ? foreground_result(*core, *current)
                                         : sdk::CommandResult{.data = bj::object{}, .text = ""};
        bj::object sw{{"from", from ? bj::value(takeover_json(*from)) : nullptr},
                      {"to", std::move(to)},
                      {"rolled_back", rolled_back}};
        if (e && e->rollback) sw["rollback"] = e->to_json(0).at("rollback");
        res.data.as_object()["switch"] = std::move(sw);
        if (rolled_back) {
            res.text =
                "switch to " + r.name + " rolled back to " + from->previous.name + "\n" + res.text;
            res.exit_code = 1;
        }
        co_return res;
    };
    return spec;
}

}  // namespace schedcp::plugins::runner
