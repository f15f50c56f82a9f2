// scx_loader's configuration file, read as scx_loader reads it (sched-ext/scx-loader,
// crates/scx_loader/src/config.rs), with toml++:
//
//   default_sched = "scx_lavd"       # started when scx_loader starts (boot); "" or absent: none
//   default_mode = "Gaming"          # Auto (default) | Gaming | LowLatency | PowerSave | Server
//   [scheds.scx_lavd]                # per scheduler, per mode: the arguments that replace the
//   gaming_mode = ["--performance"]  # built-in ones (auto_, gaming_, lowlatency_, powersave_,
//                                    # server_mode); a mode left out keeps the built-in ones
//
// Where: the first of its paths that exists (/etc/scx_loader/config.toml, /etc/scx_loader.toml,
// then the distribution's /usr/share/scx_loader/config.toml, /usr/share/scx_loader.toml); a
// later one is never read, even when the first is broken (scx_loader then refuses to start).
// An empty file is an error, as for scx_loader. Keys scx_loader does not know are ignored, as
// scx_loader ignores them; a known key of the wrong type or value is an error naming the file,
// the line and the key.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedcp::plugins::runner {

struct ScxLoaderConfig {
    std::filesystem::path file;
    std::optional<std::string> default_sched;  // nullopt: absent or ""
    std::size_t default_sched_line = 0;
    std::string default_mode = "auto";  // schedcp's word for it (the catalog's mode names)
    bool default_mode_set = false;
    struct ModeOverride {
        std::vector<std::string> args;  // replace the catalog's arguments for the mode
        std::size_t line = 0;
    };
    // [scheds.NAME] NAME -> mode (schedcp's word) -> its arguments.
    std::map<std::string, std::map<std::string, ModeOverride>> mode_args;

    // The file's arguments for `mode` of `scheduler`, if it sets them.
    const ModeOverride* mode_override(std::string_view scheduler, std::string_view mode) const;
};

// Parses `text`, the content of `file` (named in errors). Throws sdk::InvalidArgument
// ("FILE:LINE: what").
ScxLoaderConfig parse_scx_loader_config(std::string_view text, const std::filesystem::path& file);

// The first of `paths` that exists, parsed; nullopt when none exists. Throws as
// parse_scx_loader_config and read_foreign_config do.
std::optional<ScxLoaderConfig> load_scx_loader_config(
    const std::vector<std::filesystem::path>& paths);

}  // namespace schedcp::plugins::runner
