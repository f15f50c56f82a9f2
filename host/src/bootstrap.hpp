// Start-up shared by `schedcp`, `schedcp-http` and `schedcp-cli`: find and load the config,
// set up logging, load and start the plugins. Failures come back as one line for stderr.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "config.hpp"
#include "host.hpp"

namespace schedcp::host {

struct BootResult {
    std::unique_ptr<Host> host;
    std::string error;  // set when host is null: one line, to print and exit 2
};

// The directory of the running program.
std::filesystem::path executable_dir();

// The config `config_path` names, else the one beside the programs in `bin_dir`
// (resolve_config_path); nothing else happens: no logging, no plugins. The error is one line.
std::variant<HostConfig, std::string> load_host_config(
    const std::optional<std::filesystem::path>& config_path, const std::filesystem::path& bin_dir);

// Takes the sudo password from the environment, then sets up logging and the data dir and
// loads and starts the plugins: the host of programs in `bin_dir` (<prefix>/bin).
BootResult boot(HostConfig config, sdk::HostMode mode, const std::filesystem::path& bin_dir);

// Both, for a program in <prefix>/bin.
BootResult boot(const std::optional<std::filesystem::path>& config_path, sdk::HostMode mode);

}  // namespace schedcp::host
