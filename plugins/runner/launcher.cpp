#include "launcher.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "argument_rules.hpp"
#include "execution_updates.hpp"
#include "foreign_config_file.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/system.hpp"
#include "schedcp/sdk/text.hpp"
#include "scx_loader_config.hpp"
#include "status_protocol.hpp"

namespace schedcp::plugins::runner {

namespace bj = boost::json;
namespace asio = boost::asio;
using sdk::services::ExecutionStatus;
using sdk::services::SchedulerEntry;
using namespace std::chrono_literals;

namespace {

// Lines the runner adds to an execution's output for what the guard reported on its status
// channel (readable next to the scheduler's own lines; never parsed back).
constexpr std::string_view kGuardPrefix = "[schedcp-guard] ";
constexpr std::size_t kMaxOutputLine = 64 * 1024;
constexpr std::size_t kMaxLoggedProtocolErrors = 5;
// How long an unrequested end waits for the kernel's log to say why.
constexpr auto kKernelLogGrace = std::chrono::milliseconds(250);

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}

// Arguments reach the scheduler as argv (never a shell); a control character in one is
// never meant (and would garble the logs). Count and length: scheduler_args::check_bounds.
void check_no_control_characters(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i)
        for (unsigned char c : args[i])
            if (c < 0x20 || c == 0x7f)
                throw sdk::InvalidArgument(
                    "args[" + std::to_string(i) +
                    "] contains a control character; arguments are plain text");
}

std::string expected_ops_of(const SchedulerEntry& e) {
    if (auto* ops = e.metadata.if_contains("ops_name"); ops && ops->is_string())
        return std::string(ops->get_string());
    return e.name.starts_with("scx_") ? e.name.substr(4) : e.name;
}

// The environment of the guard's command (sudo, or the guard itself): nothing secret, and
// the C locale, so sudo's PAM prompt is the default one that -p replaces.
std::vector<std::string> guard_environment() {
    std::vector<std::string> env;
    for (auto& kv : sdk::process::clean_environment())
        if (!kv.starts_with("LANG=") && !kv.starts_with("LC_ALL=")) env.push_back(std::move(kv));
    env.push_back("LANG=C");
    env.push_back("LC_ALL=C");
    return env;
}

// Whether the guard already wrote on its status channel: consumed (a record arrived) or
// still in the pipe. The guard writes its first record before it forwards any scheduler
// output, so a prompt seen after that may be anyone's text, not sudo's.
bool guard_spoke(const Execution& e) {
    if (e.guard_reported || e.status_fd < 0) return true;
    pollfd p{.fd = e.status_fd, .events = POLLIN, .revents = 0};
    return ::poll(&p, 1, 0) != 0;
}

}  // namespace

StartRequest start_request_from(const bj::object& tool_arguments) {
    StartRequest r;
    r.name = sdk::json::required_string(tool_arguments, "name");
    r.args = sdk::json::optional_string_array(tool_arguments, "args");
    r.mode = sdk::json::optional_string(tool_arguments, "mode");
    r.replace = sdk::json::optional_bool(tool_arguments, "replace").value_or(false);
    if (auto policy = sdk::json::optional_string(tool_arguments, "on_failure")) {
        r.on_failure = parse_failure_policy(*policy);
        if (!r.on_failure)
            throw sdk::InvalidArgument("on_failure must be none, restart or fallback, not '" +
                                       sdk::text::sanitize(*policy, 40) + "'");
    }
    if (auto* f = tool_arguments.if_contains("fallback")) {
        if (!f->is_object())
            throw sdk::InvalidArgument("fallback must be an object {name, args?, mode?}");
        const auto& o = f->as_object();
        r.fallback = LaunchConfig{.name = sdk::json::required_string(o, "name"),
                                  .args = sdk::json::optional_string_array(o, "args"),
                                  .mode = sdk::json::optional_string(o, "mode")};
    }
    return r;
}

RunnerCore::RunnerCore(RunnerSettings settings, sdk::ServiceRegistry& services, sdk::Logger& log,
                       std::shared_ptr<const sdk::SudoSecret> secret)
    : settings_(std::move(settings)),
      services_(services),
      log_(log),
      secret_(std::move(secret)),
      table_(settings_.max_finished_executions),
      programs_(settings_.scheduler_paths) {}

void RunnerCore::locate_with_pool(boost::asio::any_io_executor pool) {
    programs_.watch_in_background(
        [pool](std::function<void()> job) { boost::asio::post(pool, std::move(job)); });
}

std::shared_ptr<sdk::services::SchedulerCatalog> RunnerCore::catalog() const {
    auto c = services_.find<sdk::services::SchedulerCatalog>();
    if (!c)
        throw sdk::Unavailable(
            "the runner needs the scheduler catalog: add the catalog plugin to the config");
    return c;
}

std::optional<std::string> RunnerCore::locate(const SchedulerEntry& entry) const {
    if (!entry.launch.empty()) {
        std::error_code ec;
        for (const auto& part : entry.launch)
            if (part.starts_with("/") && !std::filesystem::exists(part, ec)) return std::nullopt;
        return entry.launch.front();
    }
    if (auto p = programs_.find(entry.name)) return p->string();
    return std::nullopt;
}

std::optional<std::vector<std::string>> RunnerCore::scx_loader_mode_args(
    const SchedulerEntry& entry, const std::string& mode) const {
    const std::string& scheduler = entry.name;
    std::optional<ScxLoaderConfig> config;
    try {
        config = load_scx_loader_config(settings_.scx_loader_config);
    } catch (const sdk::Error& e) {
        // scx_loader itself refuses to start on such a file; guessing which arguments were
        // meant would run the scheduler as nobody configured it.
        throw sdk::InvalidArgument("mode '" + mode +
                                   "': scx_loader's configuration may set its arguments, and it "
                                   "cannot be read: " +
                                   e.what() +
                                   " (fix the file, or set the runner's scx_loader_modes: false)");
    }
    if (!config) return std::nullopt;
    const auto* found = config->mode_override(scheduler, mode);
    if (!found) return std::nullopt;
    const std::string key = "scheds." + scheduler + "." + mode + "_mode";
    if (!entry.custom)
        if (auto why = scheduler_args::check(argument_rules(entry), found->args))
            throw sdk::InvalidArgument(at_line(config->file, found->line, key + ": " + *why));
    SCHEDCP_LOG(log_, info) << scheduler << " mode " << mode << ": arguments from "
                            << config->file.string() << ":" << found->line << " (" << key << ")";
    return found->args;
}

std::vector<std::string> RunnerCore::resolve_args(const SchedulerEntry& entry,
                                                  const StartRequest& r, ModeArgs modes) const {
    if (r.args && r.mode)
        throw sdk::InvalidArgument(
            "give either args or mode, not both (a mode stands for a set of arguments)");
    if (r.mode) {
        // As scx_loader does: its file's [scheds.NAME] <mode>_mode replaces the built-in
        // arguments (the catalog's, which follow scx_loader's built-in ones).
        if (modes == ModeArgs::scx_loader_or_catalog && settings_.scx_loader_modes)
            if (auto from_file = scx_loader_mode_args(entry, *r.mode)) return *from_file;
        auto it = entry.modes.find(*r.mode);
        if (it == entry.modes.end()) {
            std::vector<std::string> have;
            for (const auto& [m, flags] : entry.modes) have.push_back(m);
            throw sdk::InvalidArgument(
                entry.name + " has no '" + *r.mode + "' mode" +
                (have.empty() ? std::string(" (scx_loader maps no modes for it; pass args instead)")
                              : " (it has: " + join(have) + ")"));
        }
        return it->second;
    }
    return r.args.value_or(std::vector<std::string>{});
}

sdk::sched_ext::Manager RunnerCore::manager() const {
    sdk::sched_ext::ManagerQuery q{.roots = {.proc = settings_.proc_root,
                                             .cgroup = settings_.cgroup_root,
                                             .sched_ext = settings_.sched_ext_root}};
    if (auto e = table_.live())
        q.own = sdk::sched_ext::OwnExecution{
            .execution_id = e->id,
            .scheduler = e->scheduler,
            .ops = e->observed_ops.value_or(e->expected_ops),
            .pid = e->pid ? std::optional(static_cast<int>(*e->pid)) : std::nullopt};
    return sdk::sched_ext::find_manager(q);
}

void RunnerCore::check_conflict(const sdk::sched_ext::Status& k,
                                const std::shared_ptr<Execution>& ours, bool replace) const {
    (void)replace;
    if (!k.busy() && !ours) {
        // Nothing loaded; but scx.service, while it runs, loads its own scheduler (and
        // systemd restarts it): starting ours would fight it.
        sdk::sched_ext::Manager m = manager();
        if (const auto* u = m.active_unit(sdk::sched_ext::kScxServiceUnit)) {
            std::string pids;
            for (int pid : u->pids) pids += (pids.empty() ? "" : ", ") + std::to_string(pid);
            throw sdk::Conflict(
                "scx.service is running (" + (pids.empty() ? "no process listed" : "pid " + pids) +
                    ") and loads its own scheduler; stop it first: `systemctl stop scx.service` "
                    "(and `systemctl disable scx.service` to keep it from starting at boot)",
                bj::object{{"state", k.state_text()}, {"manager", sdk::sched_ext::to_json(m)}});
        }
        return;
    }
    std::string what = k.ops ? "'" + *k.ops + "'" : std::string("a scheduler");
    if (ours) {
        throw sdk::Conflict("sched_ext already has " +
                                (k.busy() ? what + " loaded (state " + k.state_text() + ")"
                                          : std::string("a scheduler starting")) +
                                ", started by this server as execution " + ours->id + " (" +
                                ours->scheduler +
                                "); stop it with stop_scheduler, or pass replace: true",
                            bj::object{{"state", k.state_text()},
                                       {"ops", k.ops ? bj::value(*k.ops) : bj::value(nullptr)},
                                       {"execution_id", ours->id}});
    }
    // Someone else's: say who, and how to make them let go (never taken by force).
    sdk::sched_ext::Manager m = manager();
    throw sdk::Conflict(
        "sched_ext already has " + what + " loaded (state " + k.state_text() +
            "), not started by this server; in charge: " + m.summary + ". To hand over: " +
            (m.hand_over.empty() ? std::string("stop it where it was started") : m.hand_over) +
            " (replace: true replaces only this server's own)",
        bj::object{{"state", k.state_text()},
                   {"ops", k.ops ? bj::value(*k.ops) : bj::value(nullptr)},
                   {"manager", sdk::sched_ext::to_json(m)}});
}

std::chrono::milliseconds RunnerCore::stop_budget() const {
    return std::chrono::milliseconds(settings_.stop_int_timeout_ms +
                                     settings_.stop_term_timeout_ms + 2000);
}

RunnerCore::Checked RunnerCore::check_request(const StartRequest& r, ModeArgs modes) const {
    // A scheduler the catalog knows, with args or a mode.
    auto cat = catalog();
    auto entry = cat->find(r.name);
    if (!entry) {
        auto close = cat->close_matches(r.name);
        bj::array matches;
        for (const auto& m : close) matches.push_back(bj::string(m));
        throw sdk::NotFound(
            "unknown scheduler '" + sdk::text::sanitize(r.name, 100) + "'" +
                (close.empty() ? std::string() : "; did you mean " + join(close) + "?") +
                " (list_schedulers shows them all)",
            matches.empty() ? bj::value(nullptr)
                            : bj::object{{"close_matches", std::move(matches)}});
    }
    std::vector<std::string> args = resolve_args(*entry, r, modes);
    check_no_control_characters(args);
    // schedcp-loader runs custom ones; nothing of the caller's may reach it.
    if (entry->custom && !args.empty())
        throw sdk::InvalidArgument("custom schedulers take no arguments (" + entry->name +
                                   " was given " + std::to_string(args.size()) + ")");
    // Only the scheduler's catalogued options or a mode's exact arguments (scheduler_args.hpp):
    // it runs as root, and some options would make it run a program or write a file. The
    // guard checks the same again on the root side.
    if (!entry->custom)
        if (auto why = scheduler_args::check(argument_rules(*entry), args))
            throw sdk::InvalidArgument(*why);

    return {.entry = *entry, .args = std::move(args)};
}

void RunnerCore::check_fallback_setting() const {
    const LaunchConfig& f = settings_.fallback;
    if (f.kernel_default()) {
        if (f.args || f.mode)
            throw sdk::InvalidArgument(
                "runner settings: fallback_args and fallback_mode need a fallback_scheduler "
                "(\"default\" leaves the kernel's own scheduler, which takes none)");
        return;
    }
    // Without the catalog nothing can run; run_scheduler says so when it is called.
    if (!services_.find<sdk::services::SchedulerCatalog>()) return;
    try {
        check_request({.name = f.name, .args = f.args, .mode = f.mode}, ModeArgs::catalog);
    } catch (const sdk::Error& e) {
        throw sdk::InvalidArgument(std::string("runner settings: fallback_scheduler ") + f.name +
                                   ": " + e.what());
    }
}

asio::awaitable<std::shared_ptr<Execution>> RunnerCore::start(StartRequest r) {
    // 1. What to run: a scheduler the catalog knows, with args or a mode.
    Checked checked = check_request(r);
    const auto* entry = &checked.entry;
    std::vector<std::string> args = std::move(checked.args);

    // 2. The kernel: sched_ext present, nothing loaded (or ours, to replace).
    sdk::sched_ext::Status k = kernel();
    if (!k.present)
        throw sdk::Unavailable(sdk::sched_ext::no_sched_ext_message(settings_.sched_ext_root));
    auto ours = table_.live();
    // What to start again if the new one fails: another process's configuration that a
    // switch stopped, or this process's own that replace stops below.
    std::optional<LaunchConfig> replaced = r.previous;
    if ((k.busy() || ours) && r.replace && ours) {
        replaced =
            LaunchConfig{.name = ours->scheduler,
                         .args = ours->mode.empty() ? std::optional(ours->args) : std::nullopt,
                         .mode = ours->mode.empty() ? std::nullopt : std::optional(ours->mode)};
        SCHEDCP_LOG(log_, info) << "replacing execution " << ours->id << " (" << ours->scheduler
                                << ")";
        co_await stop(ours->id);
        k = kernel();
        ours = table_.live();
    }
    check_conflict(k, ours, r.replace);

    // 3. The program, and how it gets root.
    auto program = locate(*entry);
    if (!program) {
        std::string where;
        for (const auto& d : settings_.scheduler_paths) where += d.string() + ", ";
        throw sdk::Unavailable(
            entry->name + " is not installed on this host (looked in " + where +
            "and $PATH); install the scx schedulers (package scx / scx-scheds) or add their "
            "directory to the runner's scheduler_paths");
    }
    std::error_code ec;
    if (!std::filesystem::exists(settings_.guard, ec))
        throw sdk::Internal("schedcp-guard is missing at " + settings_.guard.string() +
                            " (broken installation)");
    Privilege priv = choose_privilege(settings_.sudo, settings_.sudo_path, secret_.get(),
                                      r.cli && !r.cli_sudo_flag);

    auto e = std::make_shared<Execution>();
    e->id = new_execution_id(table_, entry->custom ? "custom_" : "sched_");
    e->scheduler = entry->name;
    e->args = args;
    e->mode = r.mode.value_or("");
    e->program = *program;
    e->command = entry->launch.empty() ? std::vector<std::string>{*program} : entry->launch;
    e->command.insert(e->command.end(), args.begin(), args.end());
    e->privilege = priv.describe();
    e->expected_ops = expected_ops_of(*entry);
    e->output_limit = settings_.output_lines;
    e->started_at = unix_now();
    e->supervision = r.supervision ? r.supervision : supervise(r);

    // The guard resolves the program itself from its policy: it is told a name, never a path.
    std::vector<std::string> guarded{settings_.guard.string(),
                                     "--int-timeout-ms",
                                     std::to_string(settings_.stop_int_timeout_ms),
                                     "--term-timeout-ms",
                                     std::to_string(settings_.stop_term_timeout_ms),
                                     "--policy",
                                     settings_.guard_policy.string(),
                                     entry->custom ? "--custom" : "--scheduler",
                                     entry->name,
                                     "--"};
    guarded.insert(guarded.end(), args.begin(), args.end());
    const sdk::process::SpawnOptions opts{
        .argv = privileged_argv(priv, guarded),
        .env = guard_environment(),
        .pipe_stdin = true,       // the lifeline (and sudo's password, when it asks)
        .capture_output = true,   // stdout: the guard's status channel
        .separate_stderr = true,  // stderr: the scheduler's output, the guard's and sudo's words
        // As root the guard is our direct child: if we die, it gets SIGTERM and stops the
        // scheduler. Through sudo (set-uid clears this) the lifeline pipe does the same.
        .parent_death_signal = SIGTERM,
    };
    const auto seq_before = k.enable_seq;
    // From here on the kernel's log is read: what it says when this scheduler ends.
    e->kernel_log.open(settings_.kmsg_path);
    if (!e->kernel_log.unavailable().empty())
        SCHEDCP_LOG(log_, info) << "execution " << e->id << ": " << e->kernel_log.unavailable()
                                << "; exit reasons come from the scheduler's output only";
    e->child = sdk::process::spawn(opts);
    e->guard_pid = e->child.pid();
    e->lifeline = e->child.take_stdin();
    if (priv.kind == Privilege::Kind::sudo_password) e->sudo_prompt = priv.prompt;
    table_.add(e);
    status_changed(*e);  // a new execution, starting
    if (auto s = e->supervision) {
        // Whoever follows the run (schedcp-cli run) waits on its current execution.
        if (auto previous = table_.find(s->current_execution_id)) previous->changed.notify();
        s->execution_ids.push_back(e->id);
        s->current_execution_id = e->id;
        if (!r.event.empty())
            s->record(r.event, e->id, e->scheduler + (e->mode.empty() ? "" : " mode " + e->mode));
    }
    SCHEDCP_LOG(log_, info) << "started execution " << e->id << ": " << e->scheduler << " ("
                            << e->privilege << ", guard pid " << e->guard_pid << ", " << args.size()
                            << " args" << (e->mode.empty() ? "" : ", mode " + e->mode) << ")";

    auto ex = co_await asio::this_coro::executor;
    e->channels_open = 2;
    // Known before either follower runs: answer_sudo looks at it.
    e->status_fd = e->child.take_output();
    asio::co_spawn(ex, follow_status(e, e->status_fd), asio::detached);
    asio::co_spawn(ex, follow_output(e, e->child.take_error()), asio::detached);
    asio::co_spawn(ex, watch_exit(e), asio::detached);

    // 4. Kernel truth: wait until sched_ext reports it enabled, or the process ends. The
    // kernel's state is polled (sysfs has no change events); the end wakes us at once.
    auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(settings_.start_timeout_ms);
    std::optional<std::chrono::steady_clock::time_point> pid_grace;
    while (e->live()) {
        sdk::sched_ext::Status now = kernel();
        bool ours_enabled = now.state == sdk::sched_ext::State::enabled &&
                            (now.ops == e->expected_ops ||
                             (now.enable_seq && seq_before && *now.enable_seq > *seq_before));
        // The guard reports the scheduler's pid right after fork; under load the scheduler
        // can enable itself before that record is read. Give the record a moment, so
        // "running" always comes with the pid.
        if (ours_enabled && !e->pid && !pid_grace)
            pid_grace = std::chrono::steady_clock::now() + 1s;
        if (ours_enabled && (e->pid || std::chrono::steady_clock::now() >= *pid_grace)) {
            e->status = ExecutionStatus::running;
            e->observed_ops = now.ops;
            e->message = "sched_ext enabled with ops '" + now.ops.value_or("?") + "'";
            SCHEDCP_LOG(log_, info) << "execution " << e->id << " running: " << e->message;
            status_changed(*e);
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            e->message = "still starting: sched_ext did not report it enabled within " +
                         std::to_string(settings_.start_timeout_ms) +
                         " ms (kernel state: " + now.state_text() + "); check get_execution_status";
            SCHEDCP_LOG(log_, warning) << "execution " << e->id << ": " << e->message;
            break;
        }
        auto waiting =
            e->changed.wait_until(std::min(deadline, std::chrono::steady_clock::now() + 50ms));
        co_await std::move(waiting);
    }
    if (replaced && e->status != ExecutionStatus::running) co_await roll_back(e, *replaced, r);
    co_return e;
}

void RunnerCore::apply_status_line(Execution& e, const std::string& line, bool cut) {
    namespace gp = guard_protocol;
    auto record = cut ? std::nullopt : gp::parse_status_record(line);
    if (record && record->kind == gp::RecordKind::started && e.pid) record.reset();  // twice
    if (!record) {
        if (++e.protocol_errors <= kMaxLoggedProtocolErrors)
            SCHEDCP_LOG(log_, warning)
                << "execution " << e.id << ": schedcp-guard protocol error, ignored: '"
                << sdk::text::sanitize(line, 100) << "'" << (cut ? " (over-long line)" : "");
        return;
    }
    e.guard_reported = true;
    switch (record->kind) {
        case gp::RecordKind::started:
            e.pid = record->value;
            break;
        case gp::RecordKind::stopping:
            e.stop_signals.emplace_back(record->signal);
            break;
        case gp::RecordKind::exited:
            e.exit_code = static_cast<int>(record->value);
            break;
        case gp::RecordKind::killed:
            e.signal = static_cast<int>(record->value);
            break;
    }
    e.add_line(std::string(kGuardPrefix) + line);
    output_added(e);
}

asio::awaitable<void> RunnerCore::follow_status(std::shared_ptr<Execution> e, int fd) {
    if (fd >= 0) {
        asio::posix::stream_descriptor in(co_await asio::this_coro::executor, fd);
        LineSplitter lines(guard_protocol::kMaxRecordBytes);
        const LineSplitter::Sink sink = [&](std::string line, bool cut) {
            apply_status_line(*e, line, cut);
        };
        std::array<char, 1024> buf;
        while (true) {
            boost::system::error_code ec;
            std::size_t n = co_await in.async_read_some(
                asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
            if (ec) break;  // EOF: the guard is gone (or watch_exit closed it)
            lines.feed({buf.data(), n}, sink);
            e->changed.notify();  // start() waits for the pid
        }
        lines.finish(sink);
        e->status_fd = -1;
    }
    --e->channels_open;
    e->changed.notify();
}

void RunnerCore::answer_sudo(Execution& e, LineSplitter& lines) {
    if (e.sudo_prompt.empty() || !lines.pending().ends_with(e.sudo_prompt)) return;
    lines.drop_pending_suffix(e.sudo_prompt.size());
    if (guard_spoke(e)) return;  // not sudo's prompt any more: just text
    if (e.password_sent) {
        // sudo asks again: it rejected the password. EOF on its stdin makes it give up.
        SCHEDCP_LOG(log_, warning)
            << "execution " << e.id << ": sudo rejected the password from SCHEDCP_SUDO_PASSWORD";
        e.release_lifeline();
        return;
    }
    if (e.lifeline < 0 || !secret_) return;
    const std::string& line = secret_->line();
    (void)!::write(e.lifeline, line.data(), line.size());
    e.password_sent = true;
}

asio::awaitable<void> RunnerCore::follow_output(std::shared_ptr<Execution> e, int fd) {
    if (fd >= 0) {
        asio::posix::stream_descriptor in(co_await asio::this_coro::executor, fd);
        LineSplitter lines(kMaxOutputLine);
        const LineSplitter::Sink sink = [&](std::string line, bool) {
            read_exit_line(line, e->exit_report);
            e->add_line(std::move(line));
            output_added(*e);
        };
        std::array<char, 8192> buf;
        while (true) {
            boost::system::error_code ec;
            std::size_t n = co_await in.async_read_some(
                asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
            if (ec) break;  // EOF: every writer (guard, scheduler, sudo) is gone
            lines.feed({buf.data(), n}, sink);
            answer_sudo(*e, lines);
        }
        lines.finish(sink);
    }
    --e->channels_open;
    e->changed.notify();
}

asio::awaitable<void> RunnerCore::watch_exit(std::shared_ptr<Execution> e) {
    try {
        auto waiting = sdk::process::async_wait(e->child);
        co_await std::move(waiting);
    } catch (const std::exception& ex) {
        SCHEDCP_LOG(log_, error) << "waiting for execution " << e->id << ": " << ex.what();
        co_return;
    }
    // The channels end with the guard; their last records say how the scheduler ended.
    // Bounded: a stray process that kept a pipe open must not keep the execution open.
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (e->channels_open > 0 && std::chrono::steady_clock::now() < deadline) {
        auto waiting = e->changed.wait_until(deadline);
        co_await std::move(waiting);
    }
    if (e->channels_open > 0)
        SCHEDCP_LOG(log_, warning)
            << "execution " << e->id << ": the guard's output stayed open after it exited";
    // An end nobody asked for: the kernel logs why as it disables the scheduler, which is
    // before the scheduler notices and exits; allow the record a moment to be readable.
    const auto log_deadline = std::chrono::steady_clock::now() + kKernelLogGrace;
    while (!e->stop_requested && e->kernel_log.is_open() && !e->exit_report.kernel_message) {
        read_kernel_log(*e);
        if (e->exit_report.kernel_message || std::chrono::steady_clock::now() >= log_deadline)
            break;
        auto waiting = e->changed.wait_until(std::chrono::steady_clock::now() + 50ms);
        co_await std::move(waiting);
    }
    finish(*e);
    co_await apply_policy(e);
}

std::shared_ptr<Supervision> RunnerCore::supervise(const StartRequest& r) const {
    const FailurePolicy policy = r.on_failure.value_or(settings_.on_failure);
    if (r.fallback && policy != FailurePolicy::fallback)
        throw sdk::InvalidArgument("fallback is used only with on_failure: fallback (here: " +
                                   std::string(failure_policy_name(policy)) + ")");
    if (policy == FailurePolicy::none) return nullptr;
    auto s = std::make_shared<Supervision>();
    s->policy = policy;
    s->relaunch = LaunchConfig{.name = r.name, .args = r.args, .mode = r.mode};
    s->cli = r.cli;
    s->cli_sudo_flag = r.cli_sudo_flag;
    s->budget = RestartBudget(settings_.restart);
    if (policy == FailurePolicy::fallback) {
        s->fallback = r.fallback.value_or(settings_.fallback);
        if (!s->fallback->kernel_default() && !catalog()->find(s->fallback->name))
            throw sdk::NotFound("unknown fallback scheduler '" +
                                sdk::text::sanitize(s->fallback->name, 100) +
                                "' (list_schedulers shows them; \"default\" leaves the "
                                "kernel's own scheduler)");
        // Its arguments or mode, now rather than when the run has already failed.
        if (!s->fallback->kernel_default())
            check_request(
                {.name = s->fallback->name, .args = s->fallback->args, .mode = s->fallback->mode});
    }
    return s;
}

std::optional<std::string> RunnerCore::foreign_scheduler() const {
    sdk::sched_ext::Status k = kernel();
    if (!k.busy() || table_.live()) return std::nullopt;
    return "sched_ext has " + (k.ops ? "'" + *k.ops + "'" : std::string("a scheduler")) +
           " loaded (state " + k.state_text() + "), not by this server: left alone (" +
           manager().summary + ")";
}

asio::awaitable<void> RunnerCore::apply_policy(std::shared_ptr<Execution> e) {
    auto s = e->supervision;
    if (!s || s->current_execution_id != e->id) co_return;
    if (s->state == SupervisionState::fell_back) {
        s->record("fallback_ended", e->id, e->message);
        co_return;
    }
    if (s->state != SupervisionState::watching) co_return;
    if (e->stop_requested || shutting_down_) {
        s->state = SupervisionState::ended;
        co_return;
    }
    if (e->status != ExecutionStatus::failed) {
        s->record("exited", e->id, e->message);
        s->state = SupervisionState::ended;
        co_return;
    }
    s->record("failed", e->id, e->message);
    SCHEDCP_LOG(log_, warning) << "execution " << e->id << " (" << e->scheduler
                               << ") failed: " << e->message;
    if (auto why = foreign_scheduler()) {
        s->record("not_restarted", e->id, *why);
        s->state = SupervisionState::ended;
        SCHEDCP_LOG(log_, warning) << "execution " << e->id << ": " << *why;
        co_return;
    }
    if (s->policy == FailurePolicy::fallback) {
        co_await fall_back(e);
        co_return;
    }
    const auto decision = s->budget.on_failure(std::chrono::steady_clock::now());
    if (decision.give_up) {
        s->record("gave_up", e->id, decision.why);
        s->state = SupervisionState::gave_up;
        e->message += "; " + decision.why;
        SCHEDCP_LOG(log_, error) << "execution " << e->id << " (" << e->scheduler
                                 << "): " << decision.why << ", not restarting it";
        co_return;
    }
    s->state = SupervisionState::backing_off;
    s->record("restarting", e->id, "in " + std::to_string(decision.delay.count()) + " ms");
    SCHEDCP_LOG(log_, info) << "execution " << e->id << ": restarting " << e->scheduler << " in "
                            << decision.delay.count() << " ms";
    // stop() ends the wait (it marks the chain ended and wakes e).
    const auto deadline = std::chrono::steady_clock::now() + decision.delay;
    while (s->state == SupervisionState::backing_off && !shutting_down_ &&
           std::chrono::steady_clock::now() < deadline) {
        auto waiting = e->changed.wait_until(deadline);
        co_await std::move(waiting);
    }
    if (s->state != SupervisionState::backing_off || shutting_down_) co_return;
    if (auto why = foreign_scheduler()) {
        s->record("not_restarted", e->id, *why);
        s->state = SupervisionState::ended;
        co_return;
    }
    s->state = SupervisionState::watching;
    StartRequest r{.name = s->relaunch.name,
                   .args = s->relaunch.args,
                   .mode = s->relaunch.mode,
                   .cli = s->cli,
                   .cli_sudo_flag = s->cli_sudo_flag,
                   .supervision = s,
                   .event = "restarted"};
    if (!co_await relaunch(e, std::move(r))) s->state = SupervisionState::gave_up;
}

asio::awaitable<void> RunnerCore::fall_back(std::shared_ptr<Execution> e) {
    auto s = e->supervision;
    s->state = SupervisionState::fell_back;
    if (s->fallback->kernel_default()) {
        s->record("fallback", e->id, "left the kernel's own scheduler (fallback: default)");
        co_return;
    }
    s->record("fallback", e->id, "starting " + s->fallback->name);
    SCHEDCP_LOG(log_, warning) << "execution " << e->id << ": falling back to "
                               << s->fallback->name;
    StartRequest r{.name = s->fallback->name,
                   .args = s->fallback->args,
                   .mode = s->fallback->mode,
                   .cli = s->cli,
                   .cli_sudo_flag = s->cli_sudo_flag,
                   .supervision = s,
                   .event = "fallback_started"};
    co_await relaunch(e, std::move(r));
}

asio::awaitable<void> RunnerCore::roll_back(std::shared_ptr<Execution> e, LaunchConfig previous,
                                            const StartRequest& r) {
    Rollback rb{.reason = e->message};
    if (auto s = e->supervision) {  // the switch failed: no restart or fallback of the new one
        s->record("rolled_back", e->id, "the switch failed; starting " + previous.name + " again");
        s->state = SupervisionState::ended;
    }
    if (e->live()) co_await stop(e->id);
    SCHEDCP_LOG(log_, warning) << "switch to " << e->scheduler << " (execution " << e->id
                               << ") failed: " << rb.reason << "; starting " << previous.name
                               << " again";
    StartRequest again{.name = previous.name,
                       .args = previous.args,
                       .mode = previous.mode,
                       .cli = r.cli,
                       .cli_sudo_flag = r.cli_sudo_flag};
    rb.restored_scheduler = previous.name;
    try {
        auto starting = start(std::move(again));  // call, then await: see sdk/blocking.hpp
        auto restored = co_await std::move(starting);
        rb.restored_execution_id = restored->id;
        rb.restored_status = restored->status;
        rb.restored_message = restored->message;
    } catch (const std::exception& ex) {
        rb.restored_status = ExecutionStatus::failed;
        rb.restored_message = std::string("could not start it again: ") + ex.what();
    }
    SCHEDCP_LOG(log_, info) << "rollback to " << previous.name << ": "
                            << sdk::services::execution_status_name(rb.restored_status) << ", "
                            << rb.restored_message;
    e->message += "; rolled back to " + previous.name + " (" +
                  std::string(sdk::services::execution_status_name(rb.restored_status)) + ")";
    e->rollback = std::move(rb);
}

asio::awaitable<bool> RunnerCore::relaunch(const std::shared_ptr<Execution>& e, StartRequest r) {
    const std::string name = r.name;
    try {
        auto starting = start(std::move(r));  // call, then await: see sdk/blocking.hpp
        co_await std::move(starting);
        co_return true;
    } catch (const std::exception& ex) {
        e->supervision->record("start_failed", e->id, ex.what());
        SCHEDCP_LOG(log_, error) << "execution " << e->id << ": could not start " << name << ": "
                                 << ex.what();
        co_return false;
    }
}

void RunnerCore::finish(Execution& e) {
    if (e.ended() || !e.child.reaped()) return;
    const auto st = *e.child.status();
    read_kernel_log(e);
    e.kernel_log.close();
    e.ended_at = unix_now();
    e.release_lifeline();
    e.child.close_descriptors();  // a finished execution holds no descriptor
    // The guard reports the scheduler's own end; without its line (sudo refused, the
    // guard was killed) the guard's status is all there is.
    if (!e.exit_code && !e.signal) {
        if (st.code) e.exit_code = *st.code;
        if (st.signal) e.signal = *st.signal;
    }
    std::string how = e.signal ? "killed by " + sdk::process::signal_name(*e.signal)
                               : "exit code " + std::to_string(e.exit_code.value_or(-1));
    if (e.stop_requested) {
        e.status = ExecutionStatus::stopped;
        e.message = "stopped on request (" +
                    (e.stop_signals.empty() ? std::string("lifeline closed")
                                            : join(e.stop_signals, " -> ")) +
                    "); " + how;
    } else if (e.exit_code == 0 && !e.signal && !e.exit_report.error()) {
        e.status = ExecutionStatus::exited;
        e.message = "exited by itself; " + how;
    } else if (e.exit_report.error()) {
        // Ejected by the kernel (a stall, a BPF error): many schedulers then exit with 0.
        e.status = ExecutionStatus::failed;
        e.message = "ejected by the kernel: " + e.exit_report.reason.value_or(*e.exit_report.kind) +
                    (e.exit_report.message ? " (" + *e.exit_report.message + ")" : std::string()) +
                    "; " + how;
    } else {
        e.status = ExecutionStatus::failed;
        std::string last;
        for (auto it = e.output.rbegin(); it != e.output.rend() && last.size() < 600; ++it)
            if (!it->starts_with(kGuardPrefix)) last = *it + (last.empty() ? "" : " | ") + last;
        e.message =
            (e.observed_ops ? "ended unexpectedly; " : "failed before sched_ext enabled it; ") +
            how + (last.empty() ? std::string() : "; last output: " + last);
    }
    SCHEDCP_LOG(log_, info) << "execution " << e.id << " (" << e.scheduler << ") "
                            << sdk::services::execution_status_name(e.status) << ": " << how;
    e.changed.notify();
    status_changed(e);
    output_added(e);  // its last lines, and the end it may have printed
    table_.prune();
}

void RunnerCore::read_kernel_log(Execution& e) const {
    const std::string& ops = e.observed_ops ? *e.observed_ops : e.expected_ops;
    e.kernel_log.drain([&](std::string_view text, double logged_at) {
        if (auto line = parse_kernel_line(text, ops)) {
            apply_kernel_line(*line, logged_at, e.exit_report);
            if (line->disabled)
                SCHEDCP_LOG(log_, warning) << "execution " << e.id << ": kernel: " << line->text;
        }
    });
}

void RunnerCore::refresh(Execution& e) const {
    if (e.live()) read_kernel_log(e);
    if (e.status != ExecutionStatus::starting || e.ended()) return;
    sdk::sched_ext::Status k = kernel();
    if (k.enabled_with(e.expected_ops)) {
        e.status = ExecutionStatus::running;
        e.observed_ops = k.ops;
        e.message = "sched_ext enabled with ops '" + *k.ops + "'";
        status_changed(e);
    }
}

void RunnerCore::status_changed(const Execution& e) const {
    if (updates_) updates_->status_changed(e.id);
}

void RunnerCore::output_added(const Execution& e) const {
    if (updates_) updates_->output_added(e.id);
}

std::shared_ptr<Execution> RunnerCore::status(const std::string& id) {
    auto e = table_.find(id);
    if (!e) {
        auto ids = table_.ids();
        throw sdk::NotFound("execution '" + sdk::text::sanitize(id, 100) + "' not found" +
                            (ids.empty() ? std::string(" (this server has started no scheduler)")
                                         : "; known: " + join(ids)));
    }
    refresh(*e);
    return e;
}

asio::awaitable<std::shared_ptr<Execution>> RunnerCore::stop(const std::string& id) {
    auto e = status(id);
    if (auto s = e->supervision) {
        // A stop ends the whole run: its current execution, and any restart it waits for.
        if (auto current = table_.find(s->current_execution_id)) e = current;
        if (s->state == SupervisionState::backing_off || s->state == SupervisionState::watching) {
            s->record("stopped", e->id, "stopped on request; the failure policy ends here");
            s->state = SupervisionState::ended;
        }
        e->changed.notify();
    }
    if (e->ended()) co_return e;
    e->stop_requested = true;
    SCHEDCP_LOG(log_, info) << "stopping execution " << e->id << " (" << e->scheduler << ")";
    // "stop" only once the guard runs: before that sudo may be reading a password. EOF
    // stops either.
    if (e->lifeline >= 0 && e->guard_reported) (void)!::write(e->lifeline, "stop\n", 5);
    e->release_lifeline();
    auto deadline = std::chrono::steady_clock::now() + stop_budget();
    bool killed = false;
    while (!e->ended()) {  // watch_exit finishes it
        if (std::chrono::steady_clock::now() >= deadline) {
            if (killed) break;
            // The guard did not finish its own escalation: kill it; the scheduler's
            // parent-death signal takes the scheduler with it.
            SCHEDCP_LOG(log_, warning)
                << "execution " << e->id << ": guard did not exit, sending SIGKILL";
            e->child.signal(SIGKILL);
            killed = true;
            deadline = std::chrono::steady_clock::now() + 2s;
        }
        auto waiting = e->changed.wait_until(deadline);
        co_await std::move(waiting);
    }
    co_return e;
}

void RunnerCore::stop_all() noexcept {
    shutting_down_ = true;
    for (const auto& e : table_.all_newest_first()) e->changed.notify();  // backoffs end
    for (const auto& e : table_.all_newest_first()) {
        if (!e->live()) continue;
        e->stop_requested = true;
        SCHEDCP_LOG(log_, info) << "host exiting: stopping execution " << e->id << " ("
                                << e->scheduler << ")";
        if (e->lifeline >= 0 && e->guard_reported) (void)!::write(e->lifeline, "stop\n", 5);
        e->release_lifeline();
    }
    // Every guard was told to stop above; wait for them all at once (one budget, not one
    // per execution), waking on each exit (pidfds), then SIGKILL whatever is left. This
    // runs at shutdown, after the last request: blocking here delays only the exit.
    std::vector<sdk::process::Child*> stopping;
    for (const auto& e : table_.all_newest_first())
        if (!e->ended()) stopping.push_back(&e->child);
    sdk::process::wait_all_for(stopping, stop_budget());
    for (auto* child : stopping) child->signal(SIGKILL);  // a no-op on the reaped ones
    sdk::process::wait_all_for(stopping, 2s);
    for (const auto& e : table_.all_newest_first()) finish(*e);
}

bj::object RunnerCore::render(const Execution& e, std::size_t lines) const {
    bj::object o = e.to_json(lines);
    const sdk::sched_ext::Manager m = manager();
    o["kernel"] = sdk::sched_ext::to_json(m.kernel);
    o["manager"] = sdk::sched_ext::to_json(m);
    return o;
}

}  // namespace schedcp::plugins::runner
