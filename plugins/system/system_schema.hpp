// get_system_info's output schema: system_info()'s sections (kernel, sched_ext, manager, the
// CPU topology as sdk::host::to_json writes it, memory, load, installed schedulers), each
// closed; a source the host lacks is {available: false, reason}.
#pragma once

#include <boost/json/object.hpp>

namespace schedcp::plugins::system {

boost::json::object system_info_output_schema();

}  // namespace schedcp::plugins::system
