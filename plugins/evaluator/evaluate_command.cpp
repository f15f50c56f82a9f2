#include "evaluate_command.hpp"

#include <fstream>

#include "report.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "svg_plot.hpp"

namespace schedcp::plugins::evaluator {

namespace bj = boost::json;
namespace asio = boost::asio;

namespace {

// "KEY=VALUE" pairs of a repeatable option as an object.
bj::object pairs(const bj::object& values, const char* option) {
    bj::object out;
    if (const auto* list = values.if_contains(option))
        for (const auto& v : list->as_array()) {
            const std::string s(v.as_string());
            const auto eq = s.find('=');
            if (eq == std::string::npos || eq == 0)
                throw sdk::InvalidArgument("--" + std::string(option) + " takes KEY=VALUE, not '" +
                                           s + "'");
            out[s.substr(0, eq)] = s.substr(eq + 1);
        }
    return out;
}

bj::object tool_arguments(const sdk::CommandInvocation& inv) {
    const auto& v = inv.values;
    bj::object a;
    bj::array schedulers;
    if (const auto* list = v.if_contains("scheduler"))
        for (const auto& s : list->as_array())
            schedulers.push_back(configuration_from_text(std::string(s.as_string())));
    a["schedulers"] = std::move(schedulers);
    if (!inv.passthrough.empty()) {
        bj::array argv;
        for (const auto& s : inv.passthrough) argv.push_back(bj::string(s));
        a["command"] = std::move(argv);
    }
    auto copy = [&](const char* option, const char* key) {
        if (const auto* x = v.if_contains(option); x && !x->is_null()) a[key] = *x;
    };
    copy("benchmark", "benchmark");
    copy("repeats", "repeats");
    copy("warmup", "warmup");
    copy("order", "order");
    copy("settle_ms", "settle_ms");
    copy("timeout", "timeout_seconds");
    copy("regex", "figure_regex");
    copy("figure_name", "figure_name");
    copy("direction", "direction");
    copy("cwd", "cwd");
    copy("workload_id", "workload_id");
    if (v.contains("drop_caches") && v.at("drop_caches").as_bool()) a["drop_caches"] = true;
    if (auto p = pairs(v, "param"); !p.empty()) a["params"] = std::move(p);
    if (auto e = pairs(v, "env"); !e.empty()) a["env"] = std::move(e);
    return a;
}

}  // namespace

sdk::CommandSpec evaluate_command(std::shared_ptr<EvaluatorCore> core) {
    using sdk::OptionType;
    sdk::CommandSpec spec;
    spec.path = {"evaluate"};
    spec.summary = "Which scheduler makes a workload faster, and is the difference real?";
    spec.description =
        "Runs the workload (a command after '--', or --benchmark NAME) under each scheduler\n"
        "configuration (-s, repeatable: 'default' is the kernel's own scheduler), interleaved,\n"
        "after warm-up runs, and reports per configuration mean, median, stddev, CV, 95% CI,\n"
        "the ratio to the baseline with Welch's p-value, and the best. sched_ext is left as\n"
        "it was. Example:\n"
        "  schedcp-cli evaluate -s default -s scx_simple -r 5 -- hackbench -g 4 -l 200";
    spec.options = {
        {.name = "scheduler",
         .short_name = 's',
         .type = OptionType::string,
         .value_name = "CONFIG",
         .help = "a configuration: default, NAME, 'NAME --mode M' or 'NAME --flag V'",
         .repeatable = true},
        {.name = "repeats",
         .short_name = 'r',
         .type = OptionType::integer,
         .value_name = "N",
         .help = "counted runs per configuration (default 3)"},
        {.name = "warmup",
         .short_name = 'w',
         .type = OptionType::integer,
         .value_name = "N",
         .help = "warm-up runs per configuration, not counted (default 1)"},
        {.name = "order",
         .type = OptionType::string,
         .value_name = "ORDER",
         .help = "interleaved (default) or blocked",
         .choices = {"interleaved", "blocked"}},
        {.name = "settle-ms",
         .type = OptionType::integer,
         .value_name = "MS",
         .help = "wait after a scheduler is enabled"},
        {.name = "timeout",
         .type = OptionType::integer,
         .value_name = "SECONDS",
         .help = "one run's time limit"},
        {.name = "benchmark",
         .short_name = 'b',
         .type = OptionType::string,
         .value_name = "NAME",
         .help = "a built-in benchmark instead of a command"},
        {.name = "param",
         .short_name = 'p',
         .type = OptionType::string,
         .value_name = "K=V",
         .help = "a benchmark parameter",
         .repeatable = true},
        {.name = "regex",
         .type = OptionType::string,
         .value_name = "RE",
         .help = "the figure: a regex with one capture group (default: wall time)"},
        {.name = "figure-name",
         .type = OptionType::string,
         .value_name = "NAME",
         .help = "the figure's name"},
        {.name = "direction",
         .type = OptionType::string,
         .value_name = "D",
         .help = "lower or higher is better (default lower)",
         .choices = {"lower", "higher"}},
        {.name = "cwd",
         .type = OptionType::string,
         .value_name = "DIR",
         .help = "the command's working directory"},
        {.name = "env",
         .short_name = 'e',
         .type = OptionType::string,
         .value_name = "K=V",
         .help = "an environment variable for the command",
         .repeatable = true},
        {.name = "workload-id",
         .type = OptionType::string,
         .value_name = "ID",
         .help = "record the counted runs in this workload profile's history"},
        {.name = "drop-caches",
         .type = OptionType::flag,
         .help = "drop the page cache before each run (root)"},
        {.name = "plot",
         .type = OptionType::string,
         .value_name = "FILE.svg",
         .help = "write a box plot per configuration (self-contained SVG)"},
    };
    spec.passthrough = true;
    spec.passthrough_help = "the workload command and its arguments (argv, no shell)";
    spec.tool = sdk::ToolMapping{.tool = "evaluate_scheduler", .build = tool_arguments};
    spec.handler = [core](const sdk::CommandInvocation& inv,
                          sdk::CommandContext& ctx) -> asio::awaitable<sdk::CommandResult> {
        auto plot = sdk::json::optional_string(inv.values, "plot");
        auto evaluating = core->evaluate(inv.tool_arguments, ctx);
        bj::object report = co_await std::move(evaluating);
        if (plot) {
            std::ofstream out(*plot, std::ios::trunc);
            out << box_plot_svg(report);
            if (!out) throw sdk::Unavailable("could not write the plot to " + *plot);
        }
        std::string text = render_report(report);
        if (plot) text += "Plot: " + *plot + "\n";
        const bool ok = report.at("state").as_string() == "completed";
        co_return sdk::CommandResult{
            .data = std::move(report), .text = std::move(text), .exit_code = ok ? 0 : 1};
    };
    return spec;
}

}  // namespace schedcp::plugins::evaluator
