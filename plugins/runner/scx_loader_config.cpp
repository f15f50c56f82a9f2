#include "scx_loader_config.hpp"

#include <array>
#include <utility>

#include <toml++/toml.h>

#include "foreign_config_file.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::runner {

namespace {

// scx_loader's SchedMode spellings (serde's, case-sensitive) and the catalog's mode names.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kModes{{
    {"Auto", "auto"},
    {"Gaming", "gaming"},
    {"PowerSave", "powersave"},
    {"LowLatency", "lowlatency"},
    {"Server", "server"},
}};

std::string_view type_name(const toml::node& n) {
    switch (n.type()) {
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a number";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
        case toml::node_type::time:
        case toml::node_type::date_time:
            return "a date or time";
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

// What a key looks like in a message: printable, bounded.
std::string shown(std::string_view key) {
    return sdk::text::sanitize(key, 80);
}

class Reader {
  public:
    explicit Reader(const std::filesystem::path& file) : file_(file) {}

    [[noreturn]] void fail(const toml::node& at, const std::string& what) const {
        throw sdk::InvalidArgument(at_line(file_, at.source().begin.line, what));
    }

    std::string string_of(const toml::node& n, const std::string& key) const {
        if (!n.is_string()) fail(n, key + " must be a string, not " + std::string(type_name(n)));
        return n.as_string()->get();
    }

    std::vector<std::string> arguments(const toml::node& n, const std::string& key) const {
        const auto* array = n.as_array();
        if (!array)
            fail(n, key + " must be an array of strings (the scheduler's arguments), not " +
                        std::string(type_name(n)));
        std::vector<std::string> out;
        for (std::size_t i = 0; i < array->size(); ++i)
            out.push_back(string_of(*array->get(i), key + "[" + std::to_string(i) + "]"));
        return out;
    }

  private:
    const std::filesystem::path& file_;
};

}  // namespace

const ScxLoaderConfig::ModeOverride* ScxLoaderConfig::mode_override(std::string_view scheduler,
                                                                    std::string_view mode) const {
    const auto s = mode_args.find(std::string(scheduler));
    if (s == mode_args.end()) return nullptr;
    const auto m = s->second.find(std::string(mode));
    return m == s->second.end() ? nullptr : &m->second;
}

ScxLoaderConfig parse_scx_loader_config(std::string_view text, const std::filesystem::path& file) {
    ScxLoaderConfig config{.file = file};
    if (text.empty())  // scx_loader refuses an empty file ("The config file is empty!")
        throw sdk::InvalidArgument(at_line(file, 0, "empty (scx_loader refuses an empty config)"));
    toml::table root;
    try {
        root = toml::parse(text, file.string());
    } catch (const toml::parse_error& e) {
        throw sdk::InvalidArgument(at_line(file, e.source().begin.line,
                                           "not valid TOML: " + std::string(e.description())));
    }
    const Reader read(file);
    if (const auto* n = root.get("default_sched")) {
        std::string name = read.string_of(*n, "default_sched");
        if (!name.empty()) {
            config.default_sched = std::move(name);
            config.default_sched_line = n->source().begin.line;
        }
    }
    if (const auto* n = root.get("default_mode")) {
        const std::string mode = read.string_of(*n, "default_mode");
        bool known = false;
        for (const auto& [spelling, word] : kModes)
            if (mode == spelling) {
                config.default_mode = word;
                known = true;
            }
        if (!known)
            read.fail(*n,
                      "default_mode must be Auto, Gaming, PowerSave, LowLatency or Server "
                      "(as scx_loader spells them), not '" +
                          shown(mode) + "'");
        config.default_mode_set = true;
    }
    if (const auto* n = root.get("scheds")) {
        const auto* scheds = n->as_table();
        if (!scheds)
            read.fail(*n,
                      "scheds must be a table ([scheds.NAME]), not " + std::string(type_name(*n)));
        for (const auto& [name, value] : *scheds) {
            const std::string key = "scheds." + shown(name.str());
            const auto* sched = value.as_table();
            if (!sched)
                read.fail(value, key + " must be a table, not " + std::string(type_name(value)));
            auto& modes = config.mode_args[std::string(name.str())];
            for (const auto& [spelling, word] : kModes) {
                const std::string mode_key = std::string(word) + "_mode";
                if (const auto* args = sched->get(mode_key))
                    modes[std::string(word)] = {.args = read.arguments(*args, key + "." + mode_key),
                                                .line = args->source().begin.line};
            }
        }
    }
    return config;
}

std::optional<ScxLoaderConfig> load_scx_loader_config(
    const std::vector<std::filesystem::path>& paths) {
    for (const auto& path : paths) {
        auto text = read_foreign_config(path);
        if (text) return parse_scx_loader_config(*text, path);
    }
    return std::nullopt;
}

}  // namespace schedcp::plugins::runner
