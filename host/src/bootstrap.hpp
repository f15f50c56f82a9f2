// Start-up shared by `schedcp` and `schedcp-cli`: find and load the config, set up
// logging, load and start the plugins. Failures come back as one line for stderr.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "host.hpp"

namespace schedcp::host {

struct BootResult {
    std::unique_ptr<Host> host;
    std::string error;  // set when host is null: one line, to print and exit 2
};

std::filesystem::path executable_dir();

BootResult boot(const std::optional<std::filesystem::path>& config_path, sdk::HostMode mode);

}  // namespace schedcp::host
