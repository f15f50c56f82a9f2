// The conformance suite's fixtures that ask the client (elicitation, sampling, roots):
// tools-call-sampling/-elicitation, elicitation-sep1034-defaults/-sep1330-enums (2025
// revisions), input-required-result-* and server-stateless's test_missing_capability and
// test_streaming_elicitation (2026-07-28). The same handlers serve both eras.
#pragma once

#include "schedcp/sdk/plugin_context.hpp"

namespace conformance {

void add_asking_fixtures(schedcp::sdk::PluginContext& ctx);

}  // namespace conformance
