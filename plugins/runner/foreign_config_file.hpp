// Reading another tool's configuration file (scx_loader's TOML, scx.service's /etc/default/scx):
// bounded, never following the file into anything but a regular file, and every problem an
// exception whose message names the file, so `default show` can report it and `default
// import` refuse with it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace schedcp::plugins::runner {

// Such files are a few hundred bytes; anything larger is not one.
inline constexpr std::size_t kMaxForeignConfigBytes = 256 * 1024;

// The text of `file`; nullopt when it does not exist. Throws sdk::InvalidArgument when it is
// not a regular file, cannot be read (with the reason), is larger than
// kMaxForeignConfigBytes or holds a NUL byte.
std::optional<std::string> read_foreign_config(const std::filesystem::path& file);

// "FILE:LINE: what" (LINE left out when 0): how every problem in such a file is named.
std::string at_line(const std::filesystem::path& file, std::size_t line, const std::string& what);

}  // namespace schedcp::plugins::runner
