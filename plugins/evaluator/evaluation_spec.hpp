// What an evaluation is asked to do, typed: the workload (a command or a built-in
// benchmark), how its figure is read and which way is better, the scheduler
// configurations, and how the runs are arranged. Built from evaluate_scheduler's arguments
// (already checked against the input schema, which carries the limits) with the checks a
// schema cannot express.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace schedcp::plugins::evaluator {

struct Benchmark;

enum class Direction { lower, higher };  // which figure is better
enum class Order { interleaved, blocked };
enum class FigureSource { wall_time, regex, parser };

struct EvaluatorLimits {
    // The evaluator's settings (evaluator_plugin.cpp binds them).
    int default_timeout_seconds = 600;
    int max_timeout_seconds = 3600;
    int max_repeats = 50;
    int max_warmup = 10;
    int max_configurations = 8;
    int max_settle_ms = 60000;
    int default_settle_ms = 1000;
    int max_output_kib = 1024;  // a run's output kept (the end of it) for the figure and errors
    int max_background = 4;     // background evaluations running at once
    int finished_kept = 20;     // finished background evaluations remembered
    // Counted runs are recorded in a workload's history in one durable write at the end of
    // the evaluation, or earlier once the oldest unrecorded one has waited this long (0: after
    // every run): a write costs milliseconds of fsync, a run's record must not.
    int history_commit_seconds = 60;
};

struct Configuration {
    std::string label;            // "default", "scx_simple", "scx_rusty --mode gaming"
    bool kernel_default = false;  // no sched_ext scheduler: the kernel's own
    std::string scheduler;        // catalog name (empty for default)
    std::optional<std::vector<std::string>> args;
    std::optional<std::string> mode;
};

struct Workload {
    std::vector<std::string> argv;  // argv[0] a program name or absolute path; never a shell
    std::optional<std::filesystem::path> cwd;
    std::vector<std::string> env_additions;  // KEY=value, over the clean environment
    std::chrono::seconds timeout{600};
    FigureSource figure = FigureSource::wall_time;
    std::string figure_pattern;  // the regex's text, for the result
    std::optional<std::regex> figure_regex;
    const Benchmark* benchmark = nullptr;  // with FigureSource::parser
    std::string figure_name;               // "wall_time_s", "figure", or the parser's
    std::string unit;                      // "s", or the parser's; "" unknown
    Direction direction = Direction::lower;
    std::string description;  // "command: hackbench -g 4" / "benchmark hackbench groups=4"
};

struct EvaluationSpec {
    Workload workload;
    std::vector<Configuration> configurations;
    int repeats = 3;
    int warmup = 1;
    Order order = Order::interleaved;
    std::chrono::milliseconds settle{1000};
    bool drop_caches = false;
    bool monitor = true;  // observe each counted run's CPU and run-queue latency
    std::optional<std::string> workload_id;
    std::size_t max_output_bytes = 1024 * 1024;
};

// evaluate_scheduler's input schema, with the limits in it.
boost::json::object evaluation_input_schema(const EvaluatorLimits& limits);

// The spec from the tool's arguments; throws sdk::InvalidArgument with what is wrong.
EvaluationSpec parse_evaluation(const boost::json::object& args, const EvaluatorLimits& limits);

// One scheduler configuration from its CLI text: "default", "scx_simple",
// "scx_rusty --mode gaming", "scx_rusty --slice-us 5000" (split on blanks; a `--mode M`
// alone is the mode, anything else the args) as the tool's JSON form.
boost::json::value configuration_from_text(const std::string& text);

std::string_view direction_name(Direction d);

}  // namespace schedcp::plugins::evaluator
