// What a plugin's handler threw, as the error its caller gets: one mapping for tools (MCP
// tools/call, `schedcp-cli call`) and CLI commands alike.
//  - sdk::Error: as it is (the plugin chose the code, message and details); logged at info;
//  - boost::system::system_error operation_aborted while the caller cancelled: cancelled;
//  - anything else, std::exception or not: internal, "internal error in plugin 'P': what",
//    logged at error level: a plugin bug, which must still end in an answer.
#pragma once

#include <string_view>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/log.hpp"

namespace schedcp::host {

struct HandlerCall {
    std::string_view plugin;     // whose handler ran ("host" for schedcp-cli's own commands)
    std::string_view operation;  // for the log: "tool list_schedulers", "schedcp-cli run"
    bool cancelled = false;      // the caller asked to cancel, so an abort is a cancellation
    std::string_view cancelled_message = "cancelled by the caller";
};

// Call only inside a catch block: it rethrows the exception being handled to classify it.
sdk::Error error_from_current_exception(const HandlerCall& call, sdk::Logger& log);

}  // namespace schedcp::host
