#include "evaluation_spec.hpp"

#include <sstream>

#include "benchmarks.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/system.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::evaluator {

namespace bj = boost::json;
using sdk::InvalidArgument;

namespace {

constexpr std::int64_t kMaxArgv = 256;
constexpr std::int64_t kMaxArgBytes = 4096;
constexpr std::int64_t kMaxEnv = 64;
// Scheduler names as the catalog spells them (and `default`).
constexpr const char* kSchedulerName = "^[a-z][a-z0-9_]{0,99}$";

bj::object integer(std::int64_t min, std::int64_t max, const std::string& help) {
    return bj::object{
        {"type", "integer"}, {"minimum", min}, {"maximum", max}, {"description", help}};
}

bj::object string_array(std::int64_t max_items, const std::string& help) {
    return bj::object{{"type", "array"},
                      {"items", bj::object{{"type", "string"}, {"maxLength", kMaxArgBytes}}},
                      {"maxItems", max_items},
                      {"description", help}};
}

bj::object configuration_schema() {
    bj::object by_name{
        {"type", "string"},
        {"pattern", kSchedulerName},
        {"description", "'default' (the kernel's own scheduler) or a scheduler name"}};
    bj::object full{
        {"type", "object"},
        {"properties",
         bj::object{{"name", by_name},
                    {"args", string_array(128, "the scheduler's flags (its catalogued options)")},
                    {"mode", bj::object{{"enum", bj::array{"auto", "gaming", "powersave",
                                                           "lowlatency", "server"}},
                                        {"description", "scx_loader mode instead of args"}}}}},
        {"required", bj::array{"name"}},
        {"additionalProperties", false}};
    return bj::object{{"anyOf", bj::array{by_name, full}}};
}

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
    return s;
}

Configuration configuration_of(const bj::value& v) {
    Configuration c;
    if (v.is_string()) {
        c.scheduler = std::string(v.get_string());
    } else {
        const auto& o = v.as_object();
        c.scheduler = sdk::json::required_string(o, "name");
        c.args = sdk::json::optional_string_array(o, "args");
        c.mode = sdk::json::optional_string(o, "mode");
    }
    c.kernel_default = c.scheduler == "default";
    if (c.kernel_default && (c.args || c.mode))
        throw InvalidArgument(
            "'default' is the kernel's own scheduler: it takes no args and no mode");
    if (c.args && c.mode)
        throw InvalidArgument("scheduler " + c.scheduler +
                              ": give either args or mode, not both (a mode stands for a set of "
                              "arguments)");
    c.label = c.scheduler;
    if (c.mode) c.label += " --mode " + *c.mode;
    if (c.args && !c.args->empty()) c.label += " " + join(*c.args);
    if (c.kernel_default) c.scheduler.clear();
    return c;
}

std::vector<std::string> environment_additions(const bj::object& args) {
    std::vector<std::string> out;
    const auto* env = args.if_contains("env");
    if (!env) return out;
    for (const auto& kv : env->as_object()) {
        const std::string key(kv.key());
        out.push_back(key + "=" + std::string(kv.value().as_string()));
    }
    return out;
}

void parse_command(const bj::object& args, Workload& w) {
    w.argv = *sdk::json::optional_string_array(args, "command");
    if (w.argv.empty() || w.argv[0].empty())
        throw InvalidArgument(
            "command: give the program and its arguments, e.g. [\"make\", \"-j8\"]");
    for (std::size_t i = 0; i < w.argv.size(); ++i)
        if (w.argv[i].find('\0') != std::string::npos)
            throw InvalidArgument("command[" + std::to_string(i) + "] contains a NUL byte");
    const std::string& program = w.argv[0];
    if (program.find('/') == std::string::npos) {
        auto found = sdk::system::find_executable(program, {});
        if (!found)
            throw InvalidArgument("command: '" + sdk::text::sanitize(program, 100) +
                                  "' is not an executable in $PATH (give an absolute path)");
        w.argv[0] = found->string();
    } else if (program.front() != '/') {
        throw InvalidArgument(
            "command: the program must be a name found in $PATH or an absolute "
            "path, not a relative one ('" +
            sdk::text::sanitize(program, 100) + "')");
    }
    w.description = "command: " + sdk::text::sanitize(join(w.argv), 300);
    if (auto pattern = sdk::json::optional_string(args, "figure_regex")) {
        try {
            w.figure_regex.emplace(*pattern, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            throw InvalidArgument("figure_regex does not compile: " + std::string(e.what()));
        }
        if (w.figure_regex->mark_count() != 1)
            throw InvalidArgument("figure_regex must have exactly one capture group (it has " +
                                  std::to_string(w.figure_regex->mark_count()) +
                                  "): the group is the figure, e.g. \"Time: ([0-9.]+)\"");
        w.figure = FigureSource::regex;
        w.figure_pattern = *pattern;
        w.figure_name = sdk::json::optional_string(args, "figure_name").value_or("figure");
        w.unit = sdk::json::optional_string(args, "unit").value_or("");
    } else {
        w.figure = FigureSource::wall_time;
        w.figure_name = "wall_time_s";
        w.unit = "s";
    }
    w.direction = sdk::json::optional_string(args, "direction").value_or("lower") == "higher"
                      ? Direction::higher
                      : Direction::lower;
}

void parse_benchmark(const bj::object& args, Workload& w) {
    const std::string name = sdk::json::required_string(args, "benchmark");
    const Benchmark* b = find_benchmark(name);
    if (!b) throw InvalidArgument("unknown benchmark '" + sdk::text::sanitize(name, 50) + "'");
    for (const char* key : {"figure_regex", "figure_name", "unit", "direction"})
        if (args.contains(key))
            throw InvalidArgument(std::string(key) + " is for a command; benchmark " + b->name +
                                  " reports its own figure (" + b->figure + ")");
    static const bj::object no_params;
    const auto* params = args.if_contains("params");
    auto values = benchmark_values(*b, params ? params->as_object() : no_params);
    auto program = sdk::system::find_executable(b->program, {});
    if (!program)
        throw sdk::Unavailable("benchmark " + b->name + " needs '" + b->program +
                               "', which is not installed: install the Debian package " +
                               b->package + " (apt-get install " + b->package + ")");
    w.argv = {program->string()};
    auto rest = b->arguments(values);
    w.argv.insert(w.argv.end(), rest.begin(), rest.end());
    w.benchmark = b;
    w.figure = FigureSource::parser;
    w.figure_name = b->figure;
    w.unit = b->unit;
    w.direction = b->direction;
    std::string desc = "benchmark " + b->name;
    for (const auto& [k, v] : values) desc += " " + k + "=" + v;
    w.description = desc;
}

}  // namespace

std::string_view direction_name(Direction d) {
    return d == Direction::lower ? "lower" : "higher";
}

bj::object evaluation_input_schema(const EvaluatorLimits& limits) {
    bj::object props{
        {"command", string_array(kMaxArgv,
                                 "the workload as argv (never a shell): program (a name in $PATH "
                                 "or an absolute path) and its arguments")},
        {"cwd", bj::object{{"type", "string"},
                           {"pattern", "^/"},
                           {"maxLength", 4096},
                           {"description", "command: its working directory (absolute)"}}},
        {"env", bj::object{{"type", "object"},
                           {"additionalProperties",
                            bj::object{{"type", "string"}, {"maxLength", kMaxArgBytes}}},
                           {"description", "command: environment variables added to a clean one"}}},
        {"timeout_seconds",
         integer(1, limits.max_timeout_seconds,
                 "one run's time limit (default " + std::to_string(limits.default_timeout_seconds) +
                     "); a run over it is killed and counted as failed")},
        {"figure_regex",
         bj::object{{"type", "string"},
                    {"minLength", 1},
                    {"maxLength", 1000},
                    {"description",
                     "command: an ECMAScript regular expression with one capture group, the "
                     "figure, searched in the output (the last match counts); without it the "
                     "figure is the wall time in seconds"}}},
        {"figure_name",
         bj::object{{"type", "string"},
                    {"pattern", "^[A-Za-z0-9_.%/-]{1,64}$"},
                    {"description", "command: the figure's name (default 'figure')"}}},
        {"unit", bj::object{{"type", "string"}, {"maxLength", 16}, {"description", "its unit"}}},
        {"direction",
         bj::object{{"enum", bj::array{"lower", "higher"}},
                    {"description", "command: which figure is better (default lower)"}}},
        {"schedulers",
         bj::object{{"type", "array"},
                    {"items", configuration_schema()},
                    {"minItems", 1},
                    {"maxItems", limits.max_configurations},
                    {"description",
                     "the configurations to compare: 'default' (no sched_ext scheduler, the "
                     "baseline), a scheduler name, or {name, args | mode}"}}},
        {"repeats", integer(1, limits.max_repeats, "counted runs per configuration (default 3)")},
        {"warmup",
         integer(0, limits.max_warmup,
                 "runs per configuration before the counted ones, not counted (default 1)")},
        {"order", bj::object{{"enum", bj::array{"interleaved", "blocked"}},
                             {"description",
                              "interleaved (A B C A B C: spreads drift over all configurations, "
                              "the default) or blocked (A A A B B B)"}}},
        {"settle_ms", integer(0, limits.max_settle_ms,
                              "wait after a scheduler is enabled, before the run (default " +
                                  std::to_string(limits.default_settle_ms) + ")")},
        {"drop_caches",
         bj::object{{"type", "boolean"},
                    {"description", "drop the page cache before each run (root only)"}}},
        {"monitor",
         bj::object{{"type", "boolean"},
                    {"description",
                     "observe each counted run with the monitor plugin: CPU % and run-queue "
                     "latency (p50/p99, BPF, root) per configuration (default true)"}}},
        {"workload_id",
         bj::object{
             {"type", "string"},
             {"minLength", 1},
             {"maxLength", 100},
             {"description", "record every counted run in this workload profile's history"}}},
        {"background",
         bj::object{{"type", "boolean"},
                    {"description",
                     "return an evaluation_id at once; follow it with the evaluation tool"}}},
    };
    for (auto& [k, v] : benchmark_params_schema()) props[k] = v;
    return bj::object{{"type", "object"},
                      {"properties", std::move(props)},
                      {"required", bj::array{"schedulers"}},
                      {"additionalProperties", false}};
}

EvaluationSpec parse_evaluation(const bj::object& args, const EvaluatorLimits& limits) {
    EvaluationSpec s;
    const bool has_command = args.contains("command"), has_benchmark = args.contains("benchmark");
    if (has_command == has_benchmark)
        throw InvalidArgument(
            "give the workload as either command (argv) or benchmark (a built-in), not " +
            std::string(has_command ? "both" : "neither"));
    if (has_command) {
        parse_command(args, s.workload);
    } else {
        if (args.contains("cwd") || args.contains("env"))
            throw InvalidArgument("cwd and env are for a command, not a benchmark");
        parse_benchmark(args, s.workload);
    }
    if (args.contains("params") && !has_benchmark)
        throw InvalidArgument("params are a benchmark's; a command takes its arguments in argv");
    s.workload.cwd = sdk::json::optional_string(args, "cwd");
    if (s.workload.cwd && !std::filesystem::is_directory(*s.workload.cwd))
        throw InvalidArgument("cwd " + sdk::text::sanitize(s.workload.cwd->string(), 200) +
                              " is not a directory");
    if (has_command) s.workload.env_additions = environment_additions(args);
    if (s.workload.env_additions.size() > kMaxEnv)
        throw InvalidArgument("at most " + std::to_string(kMaxEnv) + " environment additions");
    for (const auto& kv : s.workload.env_additions) {
        const auto eq = kv.find('=');
        if (eq == 0 || kv.substr(0, eq).find_first_not_of(
                           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
                           std::string::npos)
            throw InvalidArgument("env: '" + sdk::text::sanitize(kv.substr(0, eq), 100) +
                                  "' is not a variable name ([A-Za-z0-9_])");
    }
    s.workload.timeout = std::chrono::seconds(
        sdk::json::optional_int(args, "timeout_seconds").value_or(limits.default_timeout_seconds));

    const auto& list = args.at("schedulers").as_array();
    for (const auto& v : list) s.configurations.push_back(configuration_of(v));
    for (std::size_t i = 0; i < s.configurations.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (s.configurations[i].label == s.configurations[j].label)
                throw InvalidArgument("schedulers lists '" + s.configurations[i].label +
                                      "' twice; each configuration once");
    s.repeats = static_cast<int>(sdk::json::optional_int(args, "repeats").value_or(3));
    s.warmup = static_cast<int>(sdk::json::optional_int(args, "warmup").value_or(1));
    s.order = sdk::json::optional_string(args, "order").value_or("interleaved") == "blocked"
                  ? Order::blocked
                  : Order::interleaved;
    s.settle = std::chrono::milliseconds(
        sdk::json::optional_int(args, "settle_ms").value_or(limits.default_settle_ms));
    s.drop_caches = sdk::json::optional_bool(args, "drop_caches").value_or(false);
    s.monitor = sdk::json::optional_bool(args, "monitor").value_or(true);
    s.workload_id = sdk::json::optional_string(args, "workload_id");
    s.max_output_bytes = static_cast<std::size_t>(limits.max_output_kib) * 1024;
    return s;
}

bj::value configuration_from_text(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    if (words.empty()) throw InvalidArgument("an empty scheduler configuration");
    if (words.size() == 1) return bj::string(words[0]);
    bj::object o{{"name", words[0]}};
    if (words.size() == 3 && words[1] == "--mode") {
        o["mode"] = words[2];
        return o;
    }
    bj::array a;
    for (std::size_t i = 1; i < words.size(); ++i) a.push_back(bj::string(words[i]));
    o["args"] = std::move(a);
    return o;
}

}  // namespace schedcp::plugins::evaluator
