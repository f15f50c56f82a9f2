// The workload tool's output schema: one shape per command (create, list, get,
// get_history, add_history, update, delete, recommend), as an anyOf of closed objects.
// Profiles and history entries come from the store, which holds SchedCP's format and may
// carry more fields: those two are open, with the fields WorkloadStore::check guarantees.
#pragma once

#include <boost/json/object.hpp>

namespace schedcp::plugins::workloads {

boost::json::object workload_output_schema();

}  // namespace schedcp::plugins::workloads
