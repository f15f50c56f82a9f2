// Small, shared system helpers.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk::system {

// Finds an executable named `name` (a bare file name, never a path) in `dirs`, then in
// $PATH when `search_path` is set. Returns the first regular, executable file found.
SCHEDCP_SDK_API std::optional<std::filesystem::path> find_executable(
    std::string_view name, const std::vector<std::filesystem::path>& dirs, bool search_path = true);

// Expands a leading "~/" with $HOME.
SCHEDCP_SDK_API std::filesystem::path expand_home(const std::filesystem::path& p);

}  // namespace schedcp::sdk::system
