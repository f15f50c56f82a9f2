// Command specs: what a plugin registers to offer a `schedcp-cli` subcommand.
//
// The host parses argv against the spec (typed options, positionals, `--` pass-through),
// generates --help from it, and calls the handler with the parsed values. Where a
// command does what a tool does, declare it (CommandSpec::tool): the host then builds the
// tool's arguments from the command line and checks them against the tool's input schema,
// exactly as for an MCP call, so a limit is written once (in the schema) and both paths
// enforce it; make the tool's handler and the command's call one function with them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "schedcp/sdk/call_context.hpp"

namespace schedcp::sdk {

enum class OptionType {
    flag,     // --verbose        -> true when present
    string,   // --name S         -> "S"
    integer,  // --interval 500   -> 500 (checked)
    number,   // --ratio 0.5      -> 0.5 (checked)
};

struct OptionSpec {
    // Long name without dashes: "production" -> --production. [a-z][a-z0-9-]{0,31}, not
    // json, help or config (reserved by schedcp-cli).
    std::string name;
    char short_name = 0;  // optional: 'd' -> -d; a letter, not 'h'; unique in the command
    OptionType type = OptionType::flag;
    std::string value_name;  // shown in help: --name S
    std::string help;
    bool repeatable = false;  // values collect into an array
    // Bounds for integer/number options (inclusive), checked by the host.
    std::optional<double> minimum;
    std::optional<double> maximum;
    // Allowed values for string options; empty = any.
    std::vector<std::string> choices;
};

struct PositionalSpec {
    std::string name;  // [a-z][a-z0-9_]{0,31}; key in `values` and shown as NAME in help
    std::string help;
    bool required = true;
};

struct CommandInvocation {
    boost::json::object values;            // options and positionals by name
    std::vector<std::string> passthrough;  // everything after `--`, untouched
    // For a command with a ToolMapping: the tool's arguments built from the command line,
    // already checked against the tool's input schema (optional nulls dropped). Empty
    // otherwise.
    boost::json::object tool_arguments;
};

// How a command's command line becomes one of its plugin's tools' arguments. By default the
// arguments are `values` (option names with '-' as '_') without `command_only`, plus
// `fixed`, plus the passthrough as the argument `passthrough_as`; `build`, when set, makes
// them instead (it may throw sdk::InvalidArgument, e.g. for "KEY=VALUE" it cannot parse).
// The tool must be registered by the same plugin, before the command.
struct ToolMapping {
    std::string tool;                       // "run_scheduler"
    boost::json::object fixed;              // arguments the command implies: {"command": "create"}
    std::vector<std::string> command_only;  // values that are not arguments: {"sudo"}
    std::string passthrough_as;             // "args": `-- ARGS` becomes {"args": [...]}
    std::function<boost::json::object(const CommandInvocation&)> build;
};

struct CommandResult {
    boost::json::value data;  // printed with --json
    std::string text;         // printed otherwise (empty: nothing)
    int exit_code = 0;        // 0 ok, 1 failure
};

using CommandHandler =
    std::function<boost::asio::awaitable<CommandResult>(const CommandInvocation&, CommandContext&)>;

struct CommandSpec {
    // {"workload", "create"}: schedcp-cli workload create. Words [a-z][a-z0-9-]{0,31}; the
    // first is not plugins, call or help (schedcp-cli's own); not a prefix of another path.
    std::vector<std::string> path;
    std::string summary;      // one line, for the parent's command list
    std::string description;  // longer help text, optional
    std::vector<OptionSpec> options;
    std::vector<PositionalSpec> positionals;
    bool passthrough = false;  // accepts `-- ARGS...`
    std::string passthrough_help;
    std::optional<ToolMapping> tool;  // the tool this command does, if any (see ToolMapping)
    CommandHandler handler;
};

}  // namespace schedcp::sdk
