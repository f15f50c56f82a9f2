// An evaluation's result: per configuration the counted figures and their statistics,
// against the baseline (`default` when listed, else the first configuration) the ratio,
// Welch's p-value and a plain verdict, the best configuration, and every failed run with
// its output (failed runs are never averaged in). Partial while the evaluation runs.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "evaluation.hpp"

namespace schedcp::plugins::evaluator {

// Below this p-value a difference is called significant.
inline constexpr double kSignificance = 0.05;

boost::json::object evaluation_report(const Evaluation& e);

// The report as a table and verdicts, for the CLI and the tool's text.
std::string render_report(const boost::json::object& report);

}  // namespace schedcp::plugins::evaluator
