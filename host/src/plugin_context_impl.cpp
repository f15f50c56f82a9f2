#include "plugin_context_impl.hpp"

#include <sys/stat.h>

#include <stdexcept>
#include <system_error>

#include <boost/asio/dispatch.hpp>

#include "host.hpp"
#include "logging.hpp"
#include "private_dir.hpp"

namespace schedcp::host {

PluginContextImpl::PluginContextImpl(Host& host, std::string name, boost::json::object settings,
                                     std::filesystem::path plugin_dir)
    : host_(host),
      name_(std::move(name)),
      settings_(std::move(settings)),
      plugin_dir_(std::move(plugin_dir)),
      logger_(make_logger(name_)) {}

sdk::HostMode PluginContextImpl::mode() const {
    return host_.mode();
}

boost::asio::any_io_executor PluginContextImpl::executor() {
    return host_.io().get_executor();
}

boost::asio::any_io_executor PluginContextImpl::blocking_executor() {
    return host_.blocking_executor();
}

std::filesystem::path PluginContextImpl::data_dir() {
    std::filesystem::path dir = host_.config().data_dir / name_;
    make_private_directory(dir);
    return dir;
}

void PluginContextImpl::add_tool(sdk::ToolSpec spec) {
    if (!registration_open_)
        throw std::logic_error("plugin '" + name_ + "' registered tool '" + spec.name +
                               "' outside setup()");
    host_.register_tool(name_, std::move(spec));
}

void PluginContextImpl::add_command(sdk::CommandSpec spec) {
    if (!registration_open_)
        throw std::logic_error("plugin '" + name_ + "' registered a command outside setup()");
    host_.register_command(name_, std::move(spec));
}

void PluginContextImpl::add_resource(sdk::ResourceSpec spec) {
    if (!registration_open_)
        throw std::logic_error("plugin '" + name_ + "' registered resource '" + spec.uri +
                               "' outside setup()");
    host_.resources_and_prompts().add_resource(name_, std::move(spec));
}

void PluginContextImpl::add_resource_template(sdk::ResourceTemplateSpec spec) {
    if (!registration_open_)
        throw std::logic_error("plugin '" + name_ + "' registered resource template '" +
                               spec.uri_template + "' outside setup()");
    host_.resources_and_prompts().add_template(name_, std::move(spec));
}

void PluginContextImpl::add_prompt(sdk::PromptSpec spec) {
    if (!registration_open_)
        throw std::logic_error("plugin '" + name_ + "' registered prompt '" + spec.name +
                               "' outside setup()");
    host_.resources_and_prompts().add_prompt(name_, std::move(spec));
}

void PluginContextImpl::notify_resource_updated(const std::string& uri) {
    // Any thread may call this; the registry and the sessions live on the event loop. On the
    // loop itself (a handler) it runs at once, so a handler's update reaches its subscribers
    // before that handler's own answer.
    boost::asio::dispatch(
        host_.io(), [&host = host_, uri] { host.resources_and_prompts().resource_updated(uri); });
}

void PluginContextImpl::add_instructions(std::string text) {
    if (!registration_open_)
        throw std::logic_error("plugin '" + name_ + "' added instructions outside setup()");
    host_.register_instructions(name_, std::move(text));
}

sdk::ServiceRegistry& PluginContextImpl::services() {
    return host_.services();
}

}  // namespace schedcp::host
