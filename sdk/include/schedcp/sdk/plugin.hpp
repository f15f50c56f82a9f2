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
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <boost/config.hpp>
#include <boost/dll/alias.hpp>
#include <boost/json/object.hpp>

#include "schedcp/sdk/export.hpp"
#include "schedcp/sdk/plugin_context.hpp"

// Bumped whenever a change to the SDK's headers breaks binary compatibility.
#define SCHEDCP_SDK_ABI_VERSION 1u

namespace schedcp::sdk {

struct PluginInfo {
    std::string name;  // must equal the `name` the config uses to load it
    std::string version;
    std::string description;  // one line, shown by `schedcp-cli plugins`
    // JSON Schema of the plugin's `settings:` section. The host validates the section
    // against it (with additionalProperties: false, unknown keys are errors) before setup().
    boost::json::object settings_schema;
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

// The two symbols the host looks for: the ABI version (read before anything else) and
// the factory, exported through Boost.DLL's alias so its name is stable.
#define SCHEDCP_PLUGIN(PluginClass)                                                 \
    extern "C" BOOST_SYMBOL_EXPORT const std::uint32_t schedcp_plugin_abi_version = \
        SCHEDCP_SDK_ABI_VERSION;                                                    \
    namespace {                                                                     \
    std::unique_ptr<::schedcp::sdk::Plugin> schedcp_plugin_factory() {              \
        return std::make_unique<PluginClass>();                                     \
    }                                                                               \
    }                                                                               \
    BOOST_DLL_ALIAS(schedcp_plugin_factory, schedcp_create_plugin)
