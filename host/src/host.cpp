#include "host.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "logging.hpp"
#include "plugin_context_impl.hpp"
#include "plugin_prefetch.hpp"
#include "schedcp/sdk/schema.hpp"
#include "schedcp/sdk/text.hpp"
#include "services_impl.hpp"
#include "tool_scope.hpp"

namespace schedcp::host {

namespace fs = std::filesystem;

namespace {

const std::set<std::string> kReservedCommands = {"plugins", "call", "help", "token"};
const std::set<std::string> kReservedOptions = {"json", "help", "config"};
// Per call of PluginContext::add_instructions; the whole text goes to every MCP client.
constexpr std::size_t kMaxInstructionsBytes = 1024;

std::string join_path(const std::vector<std::string>& path) {
    std::string out;
    for (const auto& p : path) out += (out.empty() ? "" : " ") + p;
    return out;
}

}  // namespace

Host::Host(HostConfig config, sdk::HostMode mode, fs::path exe_dir)
    : config_(std::move(config)),
      mode_(mode),
      exe_dir_(std::move(exe_dir)),
      logger_(make_logger("host")),
      io_(std::make_unique<boost::asio::io_context>(1)),
      services_(std::make_unique<ServiceRegistryImpl>()),
      resources_and_prompts_(std::make_unique<ResourcePromptRegistry>()) {}

Host::~Host() {
    stop();
    pool_.join();
    io_.reset();  // queued handlers are destroyed while the plugin objects still exist
    plugins_.clear();
    commands_.clear();
    resources_and_prompts_.reset();
    tool_index_.clear();
    tools_.clear();
    services_.reset();
    libraries_.clear();  // nothing from the plugins is left: unloading is safe
}

std::vector<fs::path> Host::plugin_search_dirs() const {
    std::vector<fs::path> dirs = config_.plugin_dirs;
    dirs.push_back((exe_dir_ / "../lib/schedcp/plugins").lexically_normal());
    return dirs;
}

sdk::ServiceRegistry& Host::services() {
    return *services_;
}

const RegisteredTool* Host::find_tool(std::string_view name) const {
    auto it = tool_index_.find(name);
    return it == tool_index_.end() ? nullptr : &tools_[it->second];
}

void Host::register_tool(const std::string& plugin, sdk::ToolSpec spec) {
    if (!sdk::text::is_lower_name(spec.name, 64, '_'))
        throw std::invalid_argument("tool name '" + spec.name +
                                    "' must match [a-z][a-z0-9_]{0,63}");
    if (auto existing = find_tool(spec.name))
        throw std::invalid_argument("tool '" + spec.name + "' is already registered by plugin '" +
                                    existing->plugin + "'");
    if (spec.description.empty())
        throw std::invalid_argument("tool '" + spec.name + "' has no description");
    if (!spec.handler) throw std::invalid_argument("tool '" + spec.name + "' has no handler");
    auto type = spec.input_schema.find("type");
    if (type == spec.input_schema.end() || type->value() != "object")
        throw std::invalid_argument("tool '" + spec.name +
                                    "': input schema must have type \"object\"");
    // A keyword the validator does not implement would silently constrain nothing.
    auto check = [&](const boost::json::object& schema, const char* which) {
        try {
            sdk::check_schema(schema);
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument("tool '" + spec.name + "': " + which + " " + e.what());
        }
    };
    check(spec.input_schema, "input");
    if (spec.output_schema) check(*spec.output_schema, "output");
    check_read_only_commands(spec);
    tool_index_.emplace(spec.name, tools_.size());
    for (auto& p : plugins_)
        if (p.name == plugin) p.tools.push_back(spec.name);
    tools_.push_back({std::move(spec), plugin});
}

void Host::register_command(const std::string& plugin, sdk::CommandSpec spec) {
    const std::string full = join_path(spec.path);
    if (spec.path.empty()) throw std::invalid_argument("command with an empty path");
    for (const auto& word : spec.path)
        if (!sdk::text::is_lower_name(word, 32, '-'))
            throw std::invalid_argument("command '" + full + "': '" + word +
                                        "' must match [a-z][a-z0-9-]{0,31}");
    if (kReservedCommands.count(spec.path[0]))
        throw std::invalid_argument("command '" + full + "': '" + spec.path[0] +
                                    "' is built into schedcp-cli");
    if (!spec.handler) throw std::invalid_argument("command '" + full + "' has no handler");
    for (const auto& c : commands_) {
        const auto& a = c.spec.path;
        const auto& b = spec.path;
        std::size_t n = std::min(a.size(), b.size());
        if (std::equal(a.begin(), a.begin() + static_cast<long>(n), b.begin()))
            throw std::invalid_argument("command '" + full + "' clashes with '" + join_path(a) +
                                        "' registered by plugin '" + c.plugin + "'");
    }
    std::set<std::string> names;
    std::set<char> shorts;
    for (const auto& o : spec.options) {
        if (!sdk::text::is_lower_name(o.name, 32, '-') || kReservedOptions.count(o.name))
            throw std::invalid_argument("command '" + full + "': option name '" + o.name +
                                        "' is invalid or reserved (json, help, config)");
        if (!names.insert(o.name).second)
            throw std::invalid_argument("command '" + full + "': option '" + o.name +
                                        "' declared twice");
        if (o.short_name) {
            if (o.short_name == 'h' || !std::isalpha(static_cast<unsigned char>(o.short_name)) ||
                !shorts.insert(o.short_name).second)
                throw std::invalid_argument("command '" + full + "': short option -" +
                                            std::string(1, o.short_name) +
                                            " is invalid, reserved or repeated");
        }
    }
    bool optional_seen = false;
    for (const auto& p : spec.positionals) {
        if (!sdk::text::is_lower_name(p.name, 32, '_') || !names.insert(p.name).second)
            throw std::invalid_argument("command '" + full + "': positional '" + p.name +
                                        "' is invalid or repeated");
        if (p.required && optional_seen)
            throw std::invalid_argument("command '" + full + "': required positional '" + p.name +
                                        "' after an optional one");
        optional_seen = optional_seen || !p.required;
    }
    if (spec.tool) check_tool_mapping(plugin, full, spec, names);
    for (auto& p : plugins_)
        if (p.name == plugin) p.commands.push_back(full);
    commands_.push_back({std::move(spec), plugin});
}

void Host::check_tool_mapping(const std::string& plugin, const std::string& full,
                              const sdk::CommandSpec& spec,
                              const std::set<std::string>& value_names) const {
    const sdk::ToolMapping& m = *spec.tool;
    const RegisteredTool* tool = find_tool(m.tool);
    if (!tool || tool->plugin != plugin)
        throw std::invalid_argument("command '" + full + "' maps to tool '" + m.tool +
                                    "', which plugin '" + plugin +
                                    "' has not registered (register the tool first)");
    // Names as they appear in `values`: '-' in option names becomes '_'.
    auto known = [&](std::string name) {
        for (const auto& v : value_names) {
            std::string key = v;
            std::replace(key.begin(), key.end(), '-', '_');
            if (key == name) return true;
        }
        return false;
    };
    for (const auto& name : m.command_only)
        if (!known(name))
            throw std::invalid_argument("command '" + full + "': command_only names '" + name +
                                        "', which is not one of its options or positionals");
    if (!m.passthrough_as.empty() && !spec.passthrough)
        throw std::invalid_argument("command '" + full +
                                    "': passthrough_as is set but the command takes no '--'");
}

void Host::register_instructions(const std::string& plugin, std::string text) {
    if (text.empty()) throw std::invalid_argument("instructions are empty");
    if (text.size() > kMaxInstructionsBytes)
        throw std::invalid_argument("instructions are " + std::to_string(text.size()) +
                                    " bytes; the limit is " +
                                    std::to_string(kMaxInstructionsBytes));
    for (unsigned char c : text)
        if (c < 0x20 || c == 0x7f)
            throw std::invalid_argument(
                "instructions hold a control character; write one line of plain text");
    for (auto& p : plugins_)
        if (p.name == plugin) p.instructions += (p.instructions.empty() ? "" : " ") + text;
}

void Host::load_one(const PluginConfig& pc, LoadedLibrary lib) {
    const fs::path file = lib.file;
    libraries_.push_back(lib);
    auto fail = [&](const std::string& what) {
        throw PluginLoadError("plugin '" + pc.name + "' (" + file.string() + "): " + what);
    };

    LoadedPlugin lp;
    lp.name = pc.name;
    lp.file = file;
    lp.abi_version = lib.abi_version;
    lp.instance = create_plugin(pc.name, lib);
    try {
        lp.info = lp.instance->info();
    } catch (const std::exception& e) {
        fail(std::string("info() failed: ") + e.what());
    }
    if (lp.info.name != pc.name)
        fail("the library is plugin '" + lp.info.name + "', but the config loads it as '" +
             pc.name + "'");

    // Settings: validated against the plugin's schema before the plugin sees them.
    if (!lp.info.settings_schema.empty()) {
        try {
            sdk::check_schema(lp.info.settings_schema);
        } catch (const std::invalid_argument& e) {
            fail(std::string("its settings schema is invalid: ") + e.what());
        }
    }
    static const boost::json::object kNoSettings = {{"type", "object"},
                                                    {"additionalProperties", false}};
    auto violations =
        sdk::validate(lp.info.settings_schema.empty() ? kNoSettings : lp.info.settings_schema,
                      boost::json::value(pc.settings), "settings");
    if (!violations.empty())
        throw ConfigError("config " + config_.source.string() + ":" + std::to_string(pc.line) +
                          ": plugins entry '" + pc.name + "': " + sdk::describe(violations));

    lp.context =
        std::make_unique<PluginContextImpl>(*this, pc.name, pc.settings, file.parent_path());
    plugins_.push_back(std::move(lp));
    LoadedPlugin& loaded = plugins_.back();
    try {
        loaded.instance->setup(*loaded.context);
    } catch (const std::exception& e) {
        fail(std::string("setup failed: ") + e.what());
    } catch (...) {
        fail("setup failed with a non-standard exception");
    }
    loaded.context->close_registration();
    SCHEDCP_LOG(logger_, info) << "loaded plugin " << pc.name << " " << loaded.info.version
                               << " from " << file.string() << " (" << loaded.tools.size()
                               << " tools, " << loaded.commands.size() << " commands)";
}

void Host::load_and_start() {
    try {
        std::vector<const PluginConfig*> enabled;
        std::vector<PluginToLoad> libraries;
        for (const auto& pc : config_.plugins)
            if (pc.enabled) {
                enabled.push_back(&pc);
                libraries.push_back({.name = pc.name, .path = pc.path});
            }
        PluginPrefetch prefetch(std::move(libraries), plugin_search_dirs());
        for (std::size_t i = 0; i < enabled.size(); ++i) load_one(*enabled[i], prefetch.take(i));
        for (auto& p : plugins_) {
            try {
                p.instance->start(*p.context);
            } catch (const std::exception& e) {
                throw PluginLoadError("plugin '" + p.name + "' (" + p.file.string() +
                                      "): start failed: " + e.what());
            } catch (...) {
                throw PluginLoadError("plugin '" + p.name + "' (" + p.file.string() +
                                      "): start failed with a non-standard exception");
            }
            p.started = true;
        }
    } catch (const std::exception& e) {
        SCHEDCP_LOG(logger_, error) << e.what();
        stop();
        throw;
    }
}

void Host::stop() noexcept {
    for (auto it = plugins_.rbegin(); it != plugins_.rend(); ++it) {
        if (!it->started) continue;
        it->started = false;
        it->instance->stop();
        SCHEDCP_LOG(logger_, info) << "stopped plugin " << it->name;
    }
}

}  // namespace schedcp::host
