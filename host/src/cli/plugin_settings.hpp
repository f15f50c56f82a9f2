// `schedcp-cli plugins --settings`: each loaded plugin's settings, as the plugin's settings
// table (sdk::Settings, settings.hpp) describes them.
#pragma once

#include <cstddef>
#include <string>

#include <boost/json/array.hpp>

#include "../host.hpp"

namespace schedcp::host::cli {

// [{key, type, default, help}, ...] for --json.
boost::json::array settings_json(const LoadedPlugin& plugin);

// "runner settings (plugins: - name: runner, settings: {...}):" and a table of them,
// lines of at most `width` columns.
std::string settings_text(const LoadedPlugin& plugin, std::size_t width);

}  // namespace schedcp::host::cli
