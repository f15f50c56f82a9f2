#include "builtins.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "../plugin_context_impl.hpp"
#include "../tool_invoker.hpp"
#include "plugin_settings.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/text.hpp"
#include "terminal_width.hpp"
#include "token_command.hpp"

namespace schedcp::host::cli {

namespace bj = boost::json;

namespace {

sdk::CommandSpec plugins_command(Host& host) {
    sdk::CommandSpec spec;
    spec.path = {"plugins"};
    spec.summary = "Show the loaded plugins: file, ABI, tools and commands";
    spec.options = {{.name = "settings",
                     .short_name = 's',
                     .type = sdk::OptionType::flag,
                     .help = "show each plugin's settings: type, default and what it does"}};
    spec.handler = [&host](const sdk::CommandInvocation& inv,
                           sdk::CommandContext&) -> boost::asio::awaitable<sdk::CommandResult> {
        const bool settings = sdk::json::optional_bool(inv.values, "settings").value_or(false);
        std::string settings_texts;
        bj::array list;
        sdk::text::Table table({"PLUGIN", "VERSION", "ABI", "TOOLS", "COMMANDS", "FILE"});
        for (const auto& p : host.plugins()) {
            bj::array tools, commands;
            std::string tools_text, commands_text;
            for (const auto& t : p.tools) {
                tools.push_back(bj::string(t));
                tools_text += (tools_text.empty() ? "" : ",") + t;
            }
            for (const auto& c : p.commands) {
                commands.push_back(bj::string(c));
                commands_text += (commands_text.empty() ? "" : ",") + c;
            }
            list.push_back(bj::object{{"name", p.name},
                                      {"version", p.info.version},
                                      {"description", p.info.description},
                                      {"file", p.file.string()},
                                      {"abi_version", p.abi_version},
                                      {"tools", std::move(tools)},
                                      {"commands", std::move(commands)},
                                      {"settings", settings_json(p)}});
            if (settings)
                settings_texts +=
                    (settings_texts.empty() ? "" : "\n") + settings_text(p, terminal_width());
            table.add_row({p.name, p.info.version, std::to_string(p.abi_version),
                           tools_text.empty() ? "-" : tools_text,
                           commands_text.empty() ? "-" : commands_text, p.file.string()});
        }
        std::string text = settings ? settings_texts : table.render(terminal_width());
        text += "config: " + host.config().source.string() + "\n";
        co_return sdk::CommandResult{
            bj::object{{"config", host.config().source.string()}, {"plugins", std::move(list)}},
            std::move(text), 0};
    };
    return spec;
}

// The CallContext a tool run by `call` gets: the command's context, but with the tool's
// plugin's logger, so its records carry the plugin's channel as they do over MCP.
class PluginCallContext final : public sdk::CallContext {
  public:
    PluginCallContext(sdk::CallContext& inner, sdk::Logger& logger)
        : inner_(inner), logger_(logger) {}

    boost::asio::any_io_executor executor() override { return inner_.executor(); }
    boost::asio::any_io_executor blocking_executor() override { return inner_.blocking_executor(); }
    sdk::Logger& logger() override { return logger_; }
    void report_progress(double progress, std::optional<double> total,
                         std::string_view message) override {
        inner_.report_progress(progress, total, message);
    }
    std::stop_token stop_token() const override { return inner_.stop_token(); }

  private:
    sdk::CallContext& inner_;
    sdk::Logger& logger_;
};

sdk::CommandSpec call_command(Host& host) {
    sdk::CommandSpec spec;
    spec.path = {"call"};
    spec.summary = "Invoke any registered tool with JSON arguments (as an MCP client would)";
    spec.description =
        "Example: schedcp-cli call list_schedulers '{\"production_ready\": true}'\n"
        "Prints the tool's text result, or with --json its structured result. A tool error is\n"
        "printed on stderr (and as {\"error\": ...} with --json): exit 2 for invalid arguments,\n"
        "1 for any other error.";
    spec.positionals = {{"tool", "the tool's name (see 'schedcp-cli plugins')", true},
                        {"arguments", "a JSON object (default {})", false}};
    spec.handler = [&host](const sdk::CommandInvocation& inv,
                           sdk::CommandContext& ctx) -> boost::asio::awaitable<sdk::CommandResult> {
        const std::string name = sdk::json::required_string(inv.values, "tool");
        const RegisteredTool* tool = host.find_tool(name);
        if (!tool) {
            std::vector<std::string> names;
            for (const auto& t : host.tools()) names.push_back(t.spec.name);
            std::string msg = "unknown tool '" + sdk::text::sanitize(name, 80) + "'";
            auto close = sdk::text::close_matches(name, names);
            if (!close.empty()) msg += "; did you mean '" + close.front() + "'?";
            throw sdk::InvalidArgument(msg);
        }
        bj::object args;
        if (auto text = sdk::json::optional_string(inv.values, "arguments")) {
            boost::system::error_code ec;
            bj::value v = bj::parse(*text, ec);
            if (ec) throw sdk::InvalidArgument("ARGUMENTS is not valid JSON: " + ec.message());
            if (!v.is_object())
                throw sdk::InvalidArgument("ARGUMENTS must be a JSON object, got " +
                                           std::string(sdk::json::type_name(v)));
            args = v.get_object();
        }
        sdk::Logger* plugin_logger = &host.logger();
        for (const auto& p : host.plugins())
            if (p.name == tool->plugin) plugin_logger = &p.context->logger();
        PluginCallContext tool_ctx(ctx, *plugin_logger);
        sdk::ToolResult r =
            co_await invoke_tool(*tool, args, tool_ctx, host.logger(), result_check(host.config()));
        // Reported like any command's error: stderr, exit 2 for bad arguments, else 1.
        if (auto error = error_of(r)) throw *error;
        bj::value data = r.structured;
        if (data.is_null()) data = bj::object{{"text", r.text}};
        std::string text = r.text;
        if (!text.empty() && text.back() != '\n') text += "\n";
        co_return sdk::CommandResult{std::move(data), std::move(text), r.is_error ? 1 : 0};
    };
    return spec;
}

}  // namespace

std::vector<sdk::CommandSpec> builtin_commands(Host& host) {
    return {plugins_command(host), call_command(host), token_new_command(host)};
}

}  // namespace schedcp::host::cli
