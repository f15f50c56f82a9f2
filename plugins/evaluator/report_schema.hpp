// evaluate_scheduler's output schema: the report (evaluation_report()) of a foreground
// evaluation, or {evaluation_id, state, runs_total, message} of a background one. It
// names every field a client may rely on, with the per-configuration observations
// (run_queue_latency, cpu) present or {available: false, reason}.
#pragma once

#include <boost/json/object.hpp>

namespace schedcp::plugins::evaluator {

boost::json::object evaluation_output_schema();

// The evaluation tool's: a report (status, result; cancel's {evaluation_id, state, message}
// is one with only those) or list's {evaluations: [...]}.
boost::json::object evaluation_follow_output_schema();

}  // namespace schedcp::plugins::evaluator
