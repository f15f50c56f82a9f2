// The host's implementation of sdk::PluginContext, one per loaded plugin.
#pragma once

#include <filesystem>
#include <string>

#include "schedcp/sdk/plugin_context.hpp"

namespace schedcp::host {

class Host;

class PluginContextImpl final : public sdk::PluginContext {
  public:
    PluginContextImpl(Host& host, std::string name, boost::json::object settings,
                      std::filesystem::path plugin_dir);

    const std::string& plugin_name() const override { return name_; }
    sdk::HostMode mode() const override;
    const boost::json::object& settings() const override { return settings_; }
    sdk::Logger& logger() override { return logger_; }
    boost::asio::any_io_executor executor() override;
    boost::asio::any_io_executor blocking_executor() override;
    std::filesystem::path data_dir() override;
    std::filesystem::path plugin_dir() const override { return plugin_dir_; }
    void add_tool(sdk::ToolSpec spec) override;
    void add_command(sdk::CommandSpec spec) override;
    void add_resource(sdk::ResourceSpec spec) override;
    void add_resource_template(sdk::ResourceTemplateSpec spec) override;
    void add_prompt(sdk::PromptSpec spec) override;
    void notify_resource_updated(const std::string& uri) override;
    sdk::ServiceRegistry& services() override;
    void add_instructions(std::string text) override;

    void close_registration() { registration_open_ = false; }

  private:
    Host& host_;
    std::string name_;
    boost::json::object settings_;
    std::filesystem::path plugin_dir_;
    sdk::Logger logger_;
    bool registration_open_ = true;
};

}  // namespace schedcp::host
