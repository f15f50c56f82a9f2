// What the other tools would start at boot, from their own configuration: scx_loader's
// default_sched/default_mode (scx_loader_config.hpp) and scx.service's SCX_SCHEDULER/SCX_FLAGS
// (scx_service_config.hpp). Reported by `default show` while nothing is set with schedcp
// (never as schedcp's own), and adopted by `default import`. Each is checked as `default set`
// checks its arguments; a file that cannot be used says why, naming the file and line.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "failure_policy.hpp"
#include "launcher.hpp"

namespace schedcp::plugins::runner {

struct ForeignDefault {
    std::string tool;  // "scx_loader" or "scx.service"
    std::filesystem::path file;
    std::size_t line = 0;                // of the scheduler's name
    std::optional<LaunchConfig> config;  // what it would start; nullopt: nothing
    std::vector<std::string> args;       // ... with these arguments (its mode's, resolved)
    std::string note;                    // e.g. why a mode became no arguments
    std::string problem;                 // why it cannot be adopted (config then nullopt)

    bool importable() const { return config && problem.empty(); }
    boost::json::object to_json() const;
    // "scx_loader (FILE:LINE) would start NAME --mode M (ARGS)" or what is wrong.
    std::string describe() const;
};

inline constexpr std::string_view kScxLoaderTool = "scx_loader";
inline constexpr std::string_view kScxServiceTool = "scx.service";

// The tools whose configuration file exists, scx_loader first. Never throws for what a file
// holds: each problem is in its `problem`.
std::vector<ForeignDefault> read_foreign_defaults(const RunnerCore& core);

}  // namespace schedcp::plugins::runner
