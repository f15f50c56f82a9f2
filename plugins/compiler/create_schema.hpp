// create_and_verify_scheduler's output schema: create_result() of a scheduler compiled,
// checked and registered, verified or with the reason it could not be verified here.
// Failures (compile errors, failed checks, a kernel rejection) are error results, whose
// {"error": {code, message, details}} no output schema covers.
#pragma once

#include <boost/json/object.hpp>

namespace schedcp::plugins::compiler {

boost::json::object create_output_schema();

}  // namespace schedcp::plugins::compiler
