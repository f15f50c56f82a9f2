// system_monitor's output schema: start's answer (the sources it found), status' (running or
// not) and stop's (the summary, summarize() plus the session's fields), as an anyOf of closed
// objects. Every source this kernel may lack is {available: false, reason} or its figures.
#pragma once

#include <boost/json/object.hpp>

namespace schedcp::plugins::monitor {

boost::json::object monitor_output_schema();

}  // namespace schedcp::plugins::monitor
