// What the host gives a plugin during setup() and start().
#pragma once

#include <filesystem>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/json/object.hpp>

#include "schedcp/sdk/command.hpp"
#include "schedcp/sdk/export.hpp"
#include "schedcp/sdk/log.hpp"
#include "schedcp/sdk/prompt.hpp"
#include "schedcp/sdk/resource.hpp"
#include "schedcp/sdk/services.hpp"
#include "schedcp/sdk/tool.hpp"

namespace schedcp::sdk {

// Which front end loaded the plugin. Plugins register the same tools and commands in
// both; a few behave differently (e.g. only the server keeps background sessions).
enum class HostMode { server, cli };

class SCHEDCP_SDK_API PluginContext {
  public:
    virtual ~PluginContext();

    virtual const std::string& plugin_name() const = 0;
    virtual HostMode mode() const = 0;

    // The plugin's `settings:` section, already validated against its settings schema.
    virtual const boost::json::object& settings() const = 0;

    virtual Logger& logger() = 0;
    virtual boost::asio::any_io_executor executor() = 0;
    virtual boost::asio::any_io_executor blocking_executor() = 0;

    // <data_dir>/<plugin name>: the only place a plugin persists data. Created (0700) on
    // first call.
    virtual std::filesystem::path data_dir() = 0;
    // The directory holding the plugin's .so, for resources installed beside it.
    virtual std::filesystem::path plugin_dir() const = 0;

    // Registration; only valid during setup(). Throw std::invalid_argument on a
    // malformed spec or a duplicate name (the host reports it against the plugin).
    virtual void add_tool(ToolSpec spec) = 0;
    virtual void add_command(CommandSpec spec) = 0;
    // Resources and prompts (resource.hpp, prompt.hpp), offered over MCP only. Same rules:
    // only during setup(); std::invalid_argument for a malformed spec or a duplicate URI,
    // template or prompt name (the message says which rule).
    virtual void add_resource(ResourceSpec spec) = 0;
    virtual void add_resource_template(ResourceTemplateSpec spec) = 0;
    virtual void add_prompt(PromptSpec spec) = 0;

    // Tells clients subscribed to `uri` that it changed (2025-era
    // notifications/resources/updated; nothing in eras without subscriptions). Callable
    // from any thread, any time between setup() and stop(); cheap when nobody listens.
    virtual void notify_resource_updated(const std::string& uri) = 0;

    virtual ServiceRegistry& services() = 0;

    // A sentence or two for the MCP server's `instructions`: when a model should reach for
    // this plugin's tools. The server sends a host sentence, then every plugin's text in
    // plugin (config) order, then the list of tools; a plugin that is not loaded adds
    // nothing, so the instructions never name a tool the server lacks. Only valid during
    // setup(); a second call appends. Throws std::invalid_argument if the text is empty,
    // longer than 1024 bytes, or holds control characters (newlines included).
    virtual void add_instructions(std::string text) = 0;
};

}  // namespace schedcp::sdk
