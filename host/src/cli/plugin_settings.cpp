#include "plugin_settings.hpp"

#include "schedcp/sdk/text.hpp"

namespace schedcp::host::cli {

namespace bj = boost::json;

bj::array settings_json(const LoadedPlugin& plugin) {
    bj::array out;
    for (const auto& s : plugin.info.settings_help)
        out.push_back(bj::object{
            {"key", s.key}, {"type", s.type}, {"default", s.default_value}, {"help", s.help}});
    return out;
}

std::string settings_text(const LoadedPlugin& plugin, std::size_t width) {
    const auto& help = plugin.info.settings_help;
    if (help.empty()) {
        // A plugin that writes its schema by hand has settings nobody described here.
        const auto properties = plugin.info.settings_schema.find("properties");
        const bool has_settings = properties != plugin.info.settings_schema.end() &&
                                  properties->value().is_object() &&
                                  !properties->value().get_object().empty();
        return plugin.name +
               (has_settings ? ": settings not described by the plugin\n" : ": no settings\n");
    }
    sdk::text::Table table({"SETTING", "TYPE", "DEFAULT", "HELP"});
    for (const auto& s : help)
        table.add_row({s.key, s.type, s.default_value.empty() ? "-" : s.default_value, s.help});
    return plugin.name + ":\n" + table.render(width);
}

}  // namespace schedcp::host::cli
