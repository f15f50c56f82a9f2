// The host core shared by both front ends: loads the configured plugins, owns the event
// loop, the worker pool, the tool/command/service registries, and the plugin life cycle.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "config.hpp"
#include "plugin_loader.hpp"
#include "resource_prompt_registry.hpp"
#include "schedcp/sdk/command.hpp"
#include "schedcp/sdk/plugin.hpp"
#include "schedcp/sdk/tool.hpp"

namespace schedcp::host {

class ServiceRegistryImpl;
class PluginContextImpl;

struct RegisteredTool {
    sdk::ToolSpec spec;
    std::string plugin;
};

struct RegisteredCommand {
    sdk::CommandSpec spec;
    std::string plugin;
};

struct LoadedPlugin {
    std::string name;
    std::filesystem::path file;
    std::uint32_t abi_version = 0;
    sdk::PluginInfo info;
    std::shared_ptr<sdk::Plugin> instance;
    std::unique_ptr<PluginContextImpl> context;
    std::vector<std::string> tools;
    std::vector<std::string> commands;
    // What the plugin contributes to the MCP server's instructions (may be empty).
    std::string instructions;
    bool started = false;
};

class Host {
  public:
    Host(HostConfig config, sdk::HostMode mode, std::filesystem::path exe_dir);
    ~Host();
    Host(const Host&) = delete;
    Host& operator=(const Host&) = delete;

    // Loads, sets up and starts every enabled plugin in config order. Throws
    // PluginLoadError (one line naming the plugin and file) on the first failure, after
    // stopping whatever had already started.
    void load_and_start();
    // Stops started plugins in reverse order. Idempotent.
    void stop() noexcept;

    boost::asio::io_context& io() { return *io_; }
    boost::asio::any_io_executor blocking_executor() { return pool_.get_executor(); }
    const HostConfig& config() const { return config_; }
    sdk::HostMode mode() const { return mode_; }
    sdk::Logger& logger() { return logger_; }

    const std::vector<LoadedPlugin>& plugins() const { return plugins_; }
    // Tools in registration order (config order of plugins, then each plugin's order).
    const std::vector<RegisteredTool>& tools() const { return tools_; }
    const RegisteredTool* find_tool(std::string_view name) const;
    const std::vector<RegisteredCommand>& commands() const { return commands_; }
    // Resources, resource templates and prompts (served over MCP only).
    ResourcePromptRegistry& resources_and_prompts() { return *resources_and_prompts_; }
    const ResourcePromptRegistry& resources_and_prompts() const { return *resources_and_prompts_; }

    // Directories searched for <name>.so: the config's plugin_dirs, then the built-in one.
    std::vector<std::filesystem::path> plugin_search_dirs() const;

    // Registration entry points used by plugin contexts.
    void register_tool(const std::string& plugin, sdk::ToolSpec spec);
    void register_command(const std::string& plugin, sdk::CommandSpec spec);
    void register_instructions(const std::string& plugin, std::string text);
    sdk::ServiceRegistry& services();

  private:
    // Creates, sets up and registers the plugin of `pc` from its loaded library.
    void load_one(const PluginConfig& pc, LoadedLibrary lib);
    // A command's sdk::ToolMapping names a tool of the same plugin, and options it has.
    void check_tool_mapping(const std::string& plugin, const std::string& full,
                            const sdk::CommandSpec& spec,
                            const std::set<std::string>& value_names) const;

    HostConfig config_;
    sdk::HostMode mode_;
    std::filesystem::path exe_dir_;
    sdk::Logger logger_;
    // Teardown order (see ~Host): stop plugins, drop queued handlers (they may point into
    // plugin code) while plugin objects still exist, then plugin objects and registries,
    // and unload the libraries last of all.
    std::vector<LoadedLibrary> libraries_;
    std::unique_ptr<boost::asio::io_context> io_;
    boost::asio::thread_pool pool_{2};
    std::unique_ptr<ServiceRegistryImpl> services_;
    std::vector<RegisteredTool> tools_;
    std::map<std::string, std::size_t, std::less<>> tool_index_;
    std::vector<RegisteredCommand> commands_;
    std::unique_ptr<ResourcePromptRegistry> resources_and_prompts_;
    std::vector<LoadedPlugin> plugins_;
};

}  // namespace schedcp::host
