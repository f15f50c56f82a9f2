// The plugin interface and the macro that exports it.
//
// Life cycle, driven by the host: load the .so -> check the ABI symbol -> create (factory)
// -> setup(ctx): read settings, register tools, commands and services -> start(ctx) ->
// ... serve ... -> stop() (reverse order of start) -> destroy -> unload.
//
// Export exactly one plugin per .so:
//     class MyPlugin final : public schedcp::sdk::Plugin { ... };
//     SCHEDCP_PLUGIN(MyPlugin)
// Keep static constructors trivial: they run when the library is loaded, before the
// host has checked the ABI version.
//
// Rules the host enforces (a violation fails the plugin's load, naming the plugin and file):
// - Plugin name: [a-z][a-z0-9_]{0,63} (at most 64 characters; it names the .so file and the
//   plugin's data directory); PluginInfo::name must equal the name the config loads it as.
// - Settings: PluginInfo::settings_schema must be a JSON Schema the SDK's validator supports
//   (schema.hpp). An EMPTY schema means "no settings allowed": any key under the plugin's
//   `settings:` is an error. The section is validated before setup() sees it. sdk::Settings
//   (settings.hpp) generates the schema, the parsing and the help from one table.
// - Tools (ToolSpec, tool.hpp): name [a-z][a-z0-9_]{0,63} (at most 64 characters), unique
//   across all loaded plugins; a non-empty description; a handler; an input schema whose root
//   has "type": "object". Registered only during setup().
// - Commands (CommandSpec, command.hpp): a non-empty path of words [a-z][a-z0-9-]{0,31}; the
//   first word must not be one of schedcp-cli's own (plugins, call, help); no path may be a
//   prefix of another plugin's; a handler. Option names [a-z][a-z0-9-]{0,31}, not json, help
//   or config, each declared once; short options are letters, not 'h', each used once.
//   Positional names [a-z][a-z0-9_]{0,31}, distinct from the options; no required
//   positional after an optional one. A command whose `tool` (sdk::ToolMapping) is set must
//   name a tool this plugin registered before it, and its command_only names must be its
//   own options or positionals. Registered only during setup().
// - Resources (ResourceSpec, resource.hpp): an absolute URI (a scheme [a-z][a-z0-9+.-]*,
//   ':', then at least one character; no whitespace or control characters; at most 1024
//   bytes), unique across all plugins; a non-empty name; a read handler. Templates
//   (ResourceTemplateSpec): a level-1 URI template (uri_template.hpp) with a literal scheme,
//   unique; completions only for its own variables.
// - Prompts (PromptSpec, prompt.hpp): name [a-z][a-z0-9_]{0,63}, unique across all plugins;
//   a non-empty description; a handler; argument names [A-Za-z][A-Za-z0-9_]{0,63}, each once.
//
// Building a plugin without CMake (schedcp_add_plugin() does all of this for you): compile
// with the SDK's compile definitions and flags, link libschedcp_sdk and Boost.Log/JSON (one
// command, wrapped here; no line-continuation backslashes, which would make -Wcomment warn in
// every file that includes this header):
//     g++ -std=c++20 -O2 -fPIC -fvisibility=hidden -fvisibility-inlines-hidden
//         -DBOOST_LOG_DYN_LINK -DBOOST_JSON_DYN_LINK -DBOOST_DLL_USE_STD_FS
//         -DBOOST_ASIO_NO_DEPRECATED -I<prefix>/include -shared -Wl,--no-undefined
//         -o <name>.so <sources> -L<prefix>/lib -lschedcp_sdk -lboost_log -lboost_json
//         -pthread -Wl,-rpath,<prefix>/lib
// - BOOST_LOG_DYN_LINK is required: without it Boost.Log's headers name the static
//   library's namespace and the plugin would get a logging core of its own (log.hpp
//   refuses to compile without it). BOOST_JSON_DYN_LINK, BOOST_DLL_USE_STD_FS and
//   BOOST_ASIO_NO_DEPRECATED match how the host and the SDK are built.
// - -fvisibility=hidden keeps the plugin's own symbols private (plugins are loaded
//   RTLD_LOCAL); the SDK exports the types shared with the host (export.hpp).
// - The Boost version must be the one the SDK was built with, and the SDK headers the ones
//   it was built from: SCHEDCP_PLUGIN() exports both (abi_fingerprint.hpp) and the host
//   refuses a plugin whose values differ from its own before running any of its code
//   beyond static constructors.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/config.hpp>
#include <boost/dll/alias.hpp>
#include <boost/json/object.hpp>
#include <boost/version.hpp>

#include "schedcp/sdk/abi_fingerprint.hpp"  // generated: SCHEDCP_SDK_HEADERS_HASH, ..._BOOST_VERSION
#include "schedcp/sdk/export.hpp"
#include "schedcp/sdk/plugin_context.hpp"
#include "schedcp/sdk/settings.hpp"

// Bumped whenever a change to the SDK's headers breaks binary compatibility (2: resources,
// prompts and completions in PluginContext's vtable; 3: CallContext's vtable and ToolSpec
// grew at their ends). The header hash and the Boost version (abi_fingerprint.hpp) catch what
// a forgotten bump would not.
// 3: CallContext::close_stream and run_as_task, ToolSpec::read_only_commands and task_support
// 4: ToolSpec::ready_answer; ToolResult::structured_json shared
#define SCHEDCP_SDK_ABI_VERSION 4u

// Caught here already when the plugin is compiled against another Boost's headers; the
// host checks again at load time (a plugin may have been built with other headers).
#if BOOST_VERSION != SCHEDCP_SDK_BOOST_VERSION
#error \
    "schedcp SDK: this plugin is compiled with a different Boost than the SDK was built with (see BOOST_VERSION and SCHEDCP_SDK_BOOST_VERSION)"
#endif

namespace schedcp::sdk {

struct PluginInfo {
    std::string name;  // must equal the `name` the config uses to load it
    std::string version;
    std::string description;  // one line, shown by `schedcp-cli plugins`
    // JSON Schema of the plugin's `settings:` section. The host validates the section
    // against it (with additionalProperties: false, unknown keys are errors) before setup().
    // Generate it with sdk::Settings (settings.hpp) rather than by hand.
    boost::json::object settings_schema;
    // What `schedcp-cli plugins --settings` prints: sdk::Settings::help().
    std::vector<SettingHelp> settings_help;
};

class SCHEDCP_SDK_API Plugin {
  public:
    virtual ~Plugin();

    virtual PluginInfo info() const = 0;
    virtual void setup(PluginContext& ctx) = 0;
    virtual void start(PluginContext& ctx);
    // Must not throw; release what start() acquired (children, timers, BPF links).
    virtual void stop() noexcept;
};

using PluginFactory = std::unique_ptr<Plugin>();

}  // namespace schedcp::sdk

// The symbols the host looks for: the ABI version, the SDK header hash and the Boost
// version (all read before anything else) and the factory, exported through Boost.DLL's
// alias so its name is stable.
#define SCHEDCP_PLUGIN(PluginClass)                                                   \
    extern "C" BOOST_SYMBOL_EXPORT const std::uint32_t schedcp_plugin_abi_version =   \
        SCHEDCP_SDK_ABI_VERSION;                                                      \
    extern "C" BOOST_SYMBOL_EXPORT const char schedcp_plugin_sdk_headers_hash[] =     \
        SCHEDCP_SDK_HEADERS_HASH;                                                     \
    extern "C" BOOST_SYMBOL_EXPORT const std::uint32_t schedcp_plugin_boost_version = \
        BOOST_VERSION;                                                                \
    namespace {                                                                       \
    std::unique_ptr<::schedcp::sdk::Plugin> schedcp_plugin_factory() {                \
        return std::make_unique<PluginClass>();                                       \
    }                                                                                 \
    }                                                                                 \
    BOOST_DLL_ALIAS(schedcp_plugin_factory, schedcp_create_plugin)
