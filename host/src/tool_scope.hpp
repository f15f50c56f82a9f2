// Which tools/call a principal may make (HTTP authorization, docs/http-transport.md section
// 4.5): `admin` every call; `read` the tools annotated read-only, and of a multi-command tool
// that is not read-only as a whole, the commands it declares read-only
// (sdk::ToolSpec::read_only_commands), judged from the arguments as validation leaves them.
#pragma once

#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "host.hpp"
#include "principal.hpp"
#include "schedcp/sdk/tool.hpp"

namespace schedcp::host {

// Throws std::invalid_argument (naming the tool) when `spec.read_only_commands` cannot be
// decided from validated arguments: its argument is not a required top-level property of
// input_schema whose schema is an `enum` of strings holding every value, there are no
// values or a repeated one, or the tool is annotated read-only as a whole (nothing to
// declare). Host::register_tool calls it.
void check_read_only_commands(const sdk::ToolSpec& spec);

// nullopt when `principal` may make this call; else why not, naming the tool and, for a
// multi-command tool, the command (the text of the insufficient-scope error and of its log
// record). `given` is the call's arguments as sent: a principal that may call the tool
// whatever the arguments needs no look at them; for one that may call only some commands,
// they are prepared as invoke_tool prepares them (prepare_arguments) and the selector is
// read from the result. Arguments that do not validate are let through: invoke_tool then
// answers with the same validation error and runs nothing.
std::optional<std::string> scope_refusal(const Principal& principal, const RegisteredTool& tool,
                                         const boost::json::object& given);

}  // namespace schedcp::host
