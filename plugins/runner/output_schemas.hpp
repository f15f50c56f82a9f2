// The runner's output schemas. An execution as Execution::to_json writes it, in the four
// places it appears (list_executions' items; stop_scheduler's answer, which adds the kernel
// and who is in charge; run_scheduler's, which adds SchedCP's `scheduler` name;
// get_execution_status', which adds scheduler_stats), list_executions' answer, and
// scheduler_default's (one shape for its four commands).
#pragma once

#include <boost/json/object.hpp>

namespace schedcp::plugins::runner {

boost::json::object run_output_schema();
boost::json::object stop_output_schema();
boost::json::object status_output_schema();
boost::json::object list_output_schema();
boost::json::object default_output_schema();

}  // namespace schedcp::plugins::runner
