// Command specs: what a plugin registers to offer a `schedcp-cli` subcommand.
//
// The host parses argv against the spec (typed options, positionals, `--` pass-through),
// generates --help from it, and calls the handler with the parsed values. Where a
// command mirrors a tool, make both call one function; `values` deliberately has the same
// shape as tool arguments (option names with '-' turned into '_').
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
    CommandHandler handler;
};

}  // namespace schedcp::sdk
