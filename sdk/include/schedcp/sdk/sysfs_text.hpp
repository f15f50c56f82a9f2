// Reading the kernel's small text files (the system plugin's host facts, the catalog's fit): one
// value per file, CPU lists ("0-3,8,10-11"), "Key: value kB" tables. Every path is under a root the
// caller chooses, so tests read captured or synthetic trees.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk::host {

// Where the kernel's file systems are mounted (tests point them at temporary trees).
struct HostRoots {
    std::filesystem::path sys = "/sys";
    std::filesystem::path proc = "/proc";
};

// The whole file (at most 1 MiB), or nullopt when it cannot be read.
SCHEDCP_SDK_API std::optional<std::string> read_text(const std::filesystem::path& p);
// The first line without trailing blanks.
SCHEDCP_SDK_API std::optional<std::string> read_line(const std::filesystem::path& p);
SCHEDCP_SDK_API std::optional<std::uint64_t> read_number(const std::filesystem::path& p);

// The kernel's CPU list format (bitmap_parselist): "0-3,8,10-11", "" for none; ranges may
// have a stride ("0-7:2/4" is not used by these files and is refused). Sorted, unique.
SCHEDCP_SDK_API std::optional<std::vector<int>> parse_cpu_list(std::string_view text);
// The list back in the kernel's format: "0-3,8,10-11".
SCHEDCP_SDK_API std::string format_cpu_list(const std::vector<int>& cpus);

// "Name:   123 kB" lines (/proc/meminfo; "Node 0 Name: ..." in a node's meminfo): the value
// of `key` in kB, or nullopt.
SCHEDCP_SDK_API std::optional<std::uint64_t> meminfo_kb(std::string_view text,
                                                        std::string_view key);

}  // namespace schedcp::sdk::host
