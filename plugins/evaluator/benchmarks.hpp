// The built-in benchmarks: Debian-packaged tools (scripts/install-deps.sh installs them)
// with typed, bounded parameters (never free text on their command line) and a parser for
// what they print. Each names its primary figure and which way is better; the parser
// returns every figure it found (recorded in the workload history as metrics).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "evaluation_spec.hpp"

namespace schedcp::plugins::evaluator {

using Figures = std::map<std::string, double>;

struct BenchmarkParameter {
    std::string name;
    std::string help;
    // An integer within [minimum, maximum], or (with choices) one of them.
    std::int64_t minimum = 0;
    std::int64_t maximum = 0;
    std::int64_t default_integer = 0;
    std::vector<std::string> choices;
    std::string default_choice;
};

struct Benchmark {
    std::string name;         // "hackbench"
    std::string package;      // the Debian package that has the program
    std::string program;      // the executable, found in $PATH
    std::string description;  // what it measures
    std::vector<BenchmarkParameter> parameters;
    std::string figure;  // the primary figure's name in Figures
    std::string unit;
    Direction direction = Direction::lower;
    // The arguments after the program (a parameter absent from `values` has its default).
    std::function<std::vector<std::string>(const std::map<std::string, std::string>& values)>
        arguments;
    // Every figure in the output; throws std::runtime_error when the primary one is missing.
    std::function<Figures(std::string_view output)> parse;
};

const std::vector<Benchmark>& benchmarks();
// nullptr for an unknown name.
const Benchmark* find_benchmark(std::string_view name);

// The parameter values (as text) with defaults filled in, from the tool's `params` object;
// throws sdk::InvalidArgument for an unknown parameter, a wrong type or a value out of
// bounds, naming it and what is allowed.
std::map<std::string, std::string> benchmark_values(const Benchmark& b,
                                                    const boost::json::object& params);

// The schema of `benchmark` and `params` (enum of names; params described per benchmark).
boost::json::object benchmark_params_schema();

}  // namespace schedcp::plugins::evaluator
