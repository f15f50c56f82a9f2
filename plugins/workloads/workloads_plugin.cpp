// The workloads plugin: workload profiles and the history of what ran on them (the
// `workload` tool and `schedcp-cli workload ...`), in one durable store shared by the
// server and the CLI.
#include <ctime>
#include <memory>
#include <sstream>

#include "history_service.hpp"
#include "schedcp/sdk/blocking.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/plugin.hpp"
#include "schedcp/sdk/settings.hpp"
#include "schedcp/sdk/text.hpp"
#include "workload_ops.hpp"
#include "workload_resources.hpp"
#include "workload_schema.hpp"

namespace schedcp::plugins::workloads {

namespace bj = boost::json;
namespace asio = boost::asio;

namespace {

struct WorkloadsSettings {
    std::string file = "schedcp_workloads.json";
};

// The workloads plugin's settings: the section's keys, their rules and where they go.
const sdk::Settings<WorkloadsSettings>& settings() {
    static const sdk::Settings<WorkloadsSettings> table({
        {.key = "file",
         .type = sdk::SettingType::string,
         .help = "store file name in the data dir",
         .member = &WorkloadsSettings::file,
         .pattern = "^[A-Za-z0-9_.-]+$"},
    });
    return table;
}

std::string when(const bj::value& t) {
    std::time_t s = static_cast<std::time_t>(t.to_number<std::int64_t>());
    std::tm tm{};
    ::localtime_r(&s, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

std::string join_args(const bj::value& args) {
    std::string s;
    for (const auto& a : args.as_array()) s += (s.empty() ? "" : " ") + std::string(a.as_string());
    return s.empty() ? "-" : s;
}

std::string metrics_text(const bj::object& e) {
    std::string s;
    if (auto* m = e.if_contains("metrics"); m && m->is_object())
        for (const auto& kv : m->get_object()) {
            std::ostringstream v;
            v << kv.value().to_number<double>();
            s += (s.empty() ? "" : " ") + std::string(kv.key()) + "=" + v.str();
        }
    return s.empty() ? "-" : s;
}

// A profile's optional name (absent, or null in a SchedCP store), else `none`.
std::string profile_name(const bj::object& p, const char* none) {
    const auto* n = p.if_contains("name");
    return n && n->is_string() ? std::string(n->get_string()) : std::string(none);
}

std::string render_history(const bj::object& r) {
    const auto& p = r.at("profile").as_object();
    std::string out = std::string(p.at("id").as_string()) + "  " + profile_name(p, "") + "\n" +
                      std::string(p.at("description").as_string()) + "\n\n";
    sdk::text::Table t({"WHEN", "EXECUTION", "SCHEDULER", "ARGS", "METRICS", "RESULT"});
    // get_history lists runs oldest first (as SchedCP does); the table shows the newest on top.
    const auto& history = r.at("history").as_array();
    for (auto it = history.rbegin(); it != history.rend(); ++it) {
        const auto& e = it->as_object();
        t.add_row({when(e.at("created_at")), std::string(e.at("execution_id").as_string()),
                   std::string(e.at("scheduler_name").as_string()), join_args(e.at("args")),
                   metrics_text(e), std::string(e.at("result_description").as_string())});
    }
    return out + (t.empty() ? std::string("No history yet.\n") : t.render());
}

std::string render_list(const bj::object& r) {
    sdk::text::Table t({"ID", "NAME", "RUNS", "UPDATED", "DESCRIPTION"});
    for (const auto& v : r.at("profiles").as_array()) {
        const auto& p = v.as_object();
        std::string d(p.at("description").as_string());
        if (d.size() > 60) d = d.substr(0, 57) + "...";
        t.add_row({std::string(p.at("id").as_string()), profile_name(p, "-"),
                   std::to_string(p.at("history_count").to_number<std::int64_t>()),
                   when(p.at("updated_at")), d});
    }
    return t.empty() ? "No workload profiles yet.\n" : t.render();
}

std::string render_ranking(const bj::object& r) {
    sdk::text::Table t({"RANK", "SCHEDULER", "ARGS", "RUNS", "MEAN", "BEST", "WORST"});
    auto num = [](const bj::value& v) {
        std::ostringstream os;
        os << v.to_number<double>();
        return os.str();
    };
    for (const auto& v : r.at("ranking").as_array()) {
        const auto& e = v.as_object();
        t.add_row({std::to_string(e.at("rank").to_number<std::int64_t>()),
                   std::string(e.at("scheduler").as_string()), join_args(e.at("args")),
                   std::to_string(e.at("runs").to_number<std::int64_t>()), num(e.at("mean")),
                   num(e.at("best")), num(e.at("worst"))});
    }
    std::string goal(r.at("goal").as_string());
    return "Ranked by " + std::string(r.at("metric").as_string()) + " (" +
           (goal == "min" ? "lower" : "higher") + " is better):\n" + t.render() +
           (r.at("runs_without_metric").to_number<std::int64_t>() > 0
                ? std::to_string(r.at("runs_without_metric").to_number<std::int64_t>()) +
                      " runs did not record it.\n"
                : std::string());
}

}  // namespace

class WorkloadsPlugin final : public sdk::Plugin {
  public:
    sdk::PluginInfo info() const override {
        return {.name = "workloads",
                .version = "0.1.0",
                .description = "workload profiles and the history of what ran on them",
                .settings_schema = settings().schema(),
                .settings_help = settings().help()};
    }

    void setup(sdk::PluginContext& ctx) override {
        const WorkloadsSettings ws = settings().parse(ctx.settings());
        ops_ = std::make_shared<WorkloadOps>(
            WorkloadStore(ctx.data_dir() / ws.file, WorkloadStore::Caching::snapshot),
            ctx.services());
        auto ops = ops_;
        ctx.services().publish<sdk::services::WorkloadHistory>(
            std::make_shared<HistoryService>(ops_));
        // Store operations block (file lock, fsync): they run on the worker pool.
        auto blocking = [](sdk::CallContext& c, auto fn) {
            return sdk::run_blocking(c.blocking_executor(), std::move(fn));
        };

        sdk::ToolSpec tool;
        tool.name = "workload";
        tool.title = "Workload profiles and history";
        tool.description =
            "Manage workload profiles and what each scheduler achieved on them, so choices are "
            "data-driven. "
            "command 'create' (description, optional name) makes a profile and returns its "
            "workload_id; 'list' "
            "shows all; 'get_history' (workload_id) shows a profile and its runs, oldest first; "
            "'add_history' "
            "(workload_id, execution_id from run_scheduler, result_description, optional numeric "
            "metrics such as "
            "{\"p99_ms\": 19.1}) records a run; 'get', 'update' (workload_id, description), "
            "'delete' (workload_id); "
            "'recommend' (workload_id, metric, goal min|max) ranks the schedulers tried by a "
            "recorded metric.";
        tool.input_schema = workload_input_schema();
        tool.output_schema = workload_output_schema();
        // destructive: `delete` erases a profile and its history.
        tool.annotations = {
            .read_only = false, .destructive = true, .idempotent = false, .open_world = false};
        // These change nothing: an HTTP `read` token may use them.
        tool.read_only_commands = sdk::ReadOnlyCommands{
            .argument = "command", .values = {"list", "get", "get_history", "recommend"}};
        tool.handler = [ops, blocking](const bj::object& args,
                                       sdk::CallContext& ctx) -> asio::awaitable<sdk::ToolResult> {
            // A read of an unchanged store is answered here, on the event loop: it waits for
            // nothing (no lock, no file read), and the worker pool's two thread hand-offs
            // were most of such a call's cost. (Over MCP ready_answer below usually has
            // answered it already; schedcp-cli comes here.)
            if (auto answer = ops->run_cached(args))
                co_return sdk::ToolResult::ok(std::move(*answer));
            auto op = blocking(
                ctx, [ops, args] { return ops->run(args); });  // call, then await: see blocking.hpp
            co_return sdk::ToolResult::ok(co_await std::move(op));
        };
        // The same read, for the MCP server to answer before it sets up a call at all.
        tool.ready_answer = [ops](const bj::object& args) -> std::optional<sdk::ToolResult> {
            if (auto answer = ops->run_cached(args)) return sdk::ToolResult::ok(std::move(*answer));
            return std::nullopt;
        };
        ctx.add_tool(std::move(tool));
        ctx.add_instructions(
            "workload records what each scheduler achieved, so later choices are data-driven.");
        register_workload_resources(ctx, ops_);

        auto add = [&](std::vector<std::string> path, std::string summary,
                       std::vector<sdk::PositionalSpec> positionals,
                       std::vector<sdk::OptionSpec> options,
                       std::function<bj::object(const sdk::CommandInvocation&)> run,
                       std::function<std::string(const bj::object&)> render,
                       std::optional<sdk::ToolMapping> tool = std::nullopt) {
            sdk::CommandSpec spec;
            spec.path = std::move(path);
            spec.summary = std::move(summary);
            spec.positionals = std::move(positionals);
            spec.options = std::move(options);
            spec.tool = std::move(tool);
            spec.handler = [run, render, blocking](
                               const sdk::CommandInvocation& inv,
                               sdk::CommandContext& c) -> asio::awaitable<sdk::CommandResult> {
                auto op = blocking(
                    c, [run, inv] { return run(inv); });  // call, then await: see blocking.hpp
                bj::object r = co_await std::move(op);
                std::string text = render(r);
                co_return sdk::CommandResult{std::move(r), std::move(text), 0};
            };
            ctx.add_command(std::move(spec));
        };
        auto message = [](const bj::object& r) {
            return std::string(r.at("message").as_string()) + "\n";
        };
        // The workload tool's `command` each subcommand implies: the host checks the command
        // line as the tool's arguments (its schema's limits) and passes them on.
        auto as = [](const char* command) {
            return sdk::ToolMapping{.tool = "workload", .fixed = {{"command", command}}};
        };
        auto args = [](const sdk::CommandInvocation& inv) { return inv.tool_arguments; };

        add(
            {"workload", "create"}, "Create a workload profile from a description",
            {{"description", "the workload, in words"}},
            {{.name = "name",
              .short_name = 'n',
              .type = sdk::OptionType::string,
              .value_name = "NAME",
              .help = "a short name"}},
            [ops, args](const auto& inv) { return ops->create(args(inv)); },
            [](const bj::object& r) { return std::string(r.at("workload_id").as_string()) + "\n"; },
            as("create"));
        add(
            {"workload", "list"}, "List workload profiles, newest first", {}, {},
            [ops](const auto&) { return ops->list(); }, render_list, as("list"));
        add(
            {"workload", "show"}, "Show a profile and its history",
            {{"workload_id", "the profile's id"}}, {},
            [ops, args](const auto& inv) { return ops->get_history(args(inv)); }, render_history,
            as("get_history"));
        add(
            {"workload", "history"}, "Show a profile's history, newest first",
            {{"workload_id", "the profile's id"}}, {},
            [ops, args](const auto& inv) { return ops->get_history(args(inv)); }, render_history,
            as("get_history"));
        add(
            {"workload", "add-history"}, "Record what an execution achieved on a workload",
            {{"workload_id", "the profile's id"},
             {"execution_id", "the execution (run_scheduler / run)"},
             {"result_description", "what it achieved, in words"}},
            {{.name = "scheduler",
              .short_name = 's',
              .type = sdk::OptionType::string,
              .value_name = "NAME",
              .help = "the scheduler, for an execution this process did not start"},
             {.name = "arg",
              .short_name = 'a',
              .type = sdk::OptionType::string,
              .value_name = "ARG",
              .help = "one of its arguments",
              .repeatable = true},
             {.name = "metric",
              .short_name = 'm',
              .type = sdk::OptionType::string,
              .value_name = "KEY=VALUE",
              .help = "a numeric result, e.g. p99_ms=19.1",
              .repeatable = true}},
            [ops, args](const auto& inv) { return ops->add_history(args(inv)); },
            [](const bj::object& r) { return std::string(r.at("history_id").as_string()) + "\n"; },
            sdk::ToolMapping{.tool = "workload", .build = [](const sdk::CommandInvocation& inv) {
                                 bj::object a = inv.values;
                                 a["command"] = "add_history";
                                 if (auto* args = a.if_contains("arg")) {
                                     a["args"] = *args;
                                     a.erase("arg");
                                 }
                                 if (auto* ms = a.if_contains("metric")) {
                                     bj::object metrics;
                                     for (const auto& m : ms->as_array()) {
                                         std::string kv(m.as_string());
                                         auto eq = kv.find('=');
                                         char* end = nullptr;
                                         double v = eq == std::string::npos
                                                        ? 0
                                                        : std::strtod(kv.c_str() + eq + 1, &end);
                                         if (eq == std::string::npos || eq == 0 || !end || *end ||
                                             end == kv.c_str() + eq + 1)
                                             throw sdk::InvalidArgument(
                                                 "--metric needs KEY=NUMBER, got '" + kv + "'");
                                         metrics[kv.substr(0, eq)] = v;
                                     }
                                     a["metrics"] = std::move(metrics);
                                     a.erase("metric");
                                 }
                                 return a;
                             }});
        add(
            {"workload", "update"}, "Replace a profile's description",
            {{"workload_id", "the profile's id"}, {"description", "the new description"}}, {},
            [ops, args](const auto& inv) { return ops->update(args(inv)); }, message, as("update"));
        add(
            {"workload", "delete"}, "Delete a profile and its history",
            {{"workload_id", "the profile's id"}}, {},
            [ops, args](const auto& inv) { return ops->remove(args(inv)); }, message, as("delete"));
        add(
            {"workload", "recommend"},
            "Rank the schedulers tried on a workload by a recorded metric",
            {{"workload_id", "the profile's id"}},
            {{.name = "metric",
              .short_name = 'm',
              .type = sdk::OptionType::string,
              .value_name = "NAME",
              .help = "the metric to rank by"},
             {.name = "goal",
              .short_name = 'g',
              .type = sdk::OptionType::string,
              .value_name = "GOAL",
              .help = "lower or higher is better",
              .choices = {"min", "max"}}},
            [ops, args](const auto& inv) { return ops->recommend(args(inv)); }, render_ranking,
            as("recommend"));
        add(
            {"workload", "import"}, "Merge a SchedCP schedcp_workloads.json into this store",
            {{"file", "the file to import"}}, {},
            [ops](const sdk::CommandInvocation& inv) {
                return ops->import_file(sdk::json::required_string(inv.values, "file"));
            },
            message);
    }

  private:
    std::shared_ptr<WorkloadOps> ops_;
};

}  // namespace schedcp::plugins::workloads

SCHEDCP_PLUGIN(schedcp::plugins::workloads::WorkloadsPlugin)
