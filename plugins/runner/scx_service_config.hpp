// scx.service's configuration, /etc/default/scx, read as scx.service reads it: systemd loads
// it as an EnvironmentFile= (KEY=VALUE lines; never run by a shell), then the unit runs
// `/bin/bash -c 'exec $SCX_SCHEDULER $SCX_FLAGS'`, so both values are split into words at
// blanks. Here nothing is executed or expanded: the words are taken as they are, and a word
// bash would expand as a file pattern (* ? [) is refused rather than guessed.
//
//   SCX_SCHEDULER=scx_bpfland
//   SCX_FLAGS='--slice-us 20000 --primary-domain all'
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedcp::plugins::runner {

struct EnvironmentValue {
    std::string value;
    std::size_t line = 0;  // where the assignment starts
};

// systemd's EnvironmentFile= syntax (systemd.exec(5)): blank lines and lines starting with
// '#' or ';' are comments; KEY=VALUE with KEY [A-Za-z_][A-Za-z0-9_]*; a value unquoted
// (backslash escapes the next character; a backslash at the end of a line continues it;
// surrounding blanks dropped), 'single-quoted' (verbatim) or "double-quoted" (backslash
// escapes " \ ` $ and a newline). A later assignment replaces an earlier one. Where systemd
// would silently ignore a line (no '=', an invalid name such as `export KEY`), this refuses
// it, since scx.service would not see what it seems to say. Throws sdk::InvalidArgument
// ("FILE:LINE: what").
std::map<std::string, EnvironmentValue> parse_environment_file(std::string_view text,
                                                               const std::filesystem::path& file);

// bash's word splitting of an unquoted expansion (blanks: space, tab, newline). Throws
// sdk::InvalidArgument for a word with * ? or [ (bash would expand it against the files in /).
std::vector<std::string> split_words(std::string_view value, const std::filesystem::path& file,
                                     std::size_t line, std::string_view key);

struct ScxServiceConfig {
    std::filesystem::path file;
    std::optional<std::string> scheduler;  // SCX_SCHEDULER (a path's file name); nullopt: unset
    std::size_t scheduler_line = 0;
    std::vector<std::string> flags;  // SCX_FLAGS, split
    std::size_t flags_line = 0;
};

ScxServiceConfig parse_scx_service_config(std::string_view text, const std::filesystem::path& file);
// nullopt when `file` does not exist.
std::optional<ScxServiceConfig> load_scx_service_config(const std::filesystem::path& file);

}  // namespace schedcp::plugins::runner
