// The runner's side of scheduler_args.hpp: the rules of a catalog entry as the runner has it
// at run time (its tuning_parameters and modes), for a friendly error at run_scheduler time.
// The guard checks the same rules again, compiled in, on the root side.
#pragma once

#include "schedcp/sdk/services/scheduler_catalog.hpp"
#include "scheduler_args.hpp"

namespace schedcp::plugins::runner {

// Views into `entry`, which must outlive the result. Parameters whose data is malformed
// (no flag, unknown type) are left out, so they are refused as unknown options.
scheduler_args::Rules argument_rules(const sdk::services::SchedulerEntry& entry);

}  // namespace schedcp::plugins::runner
