// The CLI's built-in commands, which belong to the host rather than to a plugin:
//   plugins            what is loaded, from which file, its ABI, tools and commands
//   call TOOL [JSON]   invoke any registered tool with JSON arguments
#pragma once

#include <vector>

#include "../host.hpp"
#include "schedcp/sdk/command.hpp"

namespace schedcp::host::cli {

std::vector<sdk::CommandSpec> builtin_commands(Host& host);

}  // namespace schedcp::host::cli
