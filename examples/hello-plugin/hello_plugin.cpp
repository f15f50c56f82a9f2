// A complete third-party plugin: one MCP tool and one CLI command sharing one function,
// a validated setting, and a typed error.
#include <string>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/plugin.hpp"

namespace {

namespace bj = boost::json;
namespace sdk = schedcp::sdk;

// The one implementation behind both the tool and the command.
bj::object greet(const std::string& greeting, const std::string& who) {
    if (who == "nobody") throw sdk::InvalidArgument("'who' must name somebody");
    return bj::object{{"message", greeting + ", " + who + "!"}};
}

class HelloPlugin final : public sdk::Plugin {
public:
    sdk::PluginInfo info() const override {
        return {"hello", "1.0.0", "example out-of-tree plugin",
                bj::object{{"type", "object"},
                           {"properties", bj::object{{"greeting", bj::object{{"type", "string"}, {"minLength", 1}}}}},
                           {"additionalProperties", false}}};
    }

    void setup(sdk::PluginContext& ctx) override {
        greeting_ = sdk::json::optional_string(ctx.settings(), "greeting").value_or("Hello");

        sdk::ToolSpec tool;
        tool.name = "hello";
        tool.title = "Say hello";
        tool.description = "Greets somebody by name.";
        tool.input_schema = bj::object{{"type", "object"},
                                       {"properties", bj::object{{"who", bj::object{{"type", "string"}}}}},
                                       {"required", bj::array{"who"}},
                                       {"additionalProperties", false}};
        tool.annotations.read_only = true;
        tool.handler = [this](const bj::object& args, sdk::CallContext&) -> boost::asio::awaitable<sdk::ToolResult> {
            co_return sdk::ToolResult::ok(greet(greeting_, sdk::json::required_string(args, "who")));
        };
        ctx.add_tool(std::move(tool));

        sdk::CommandSpec cmd;
        cmd.path = {"hello"};
        cmd.summary = "Greet somebody";
        cmd.positionals = {{"who", "whom to greet"}};
        cmd.handler = [this](const sdk::CommandInvocation& inv,
                             sdk::CommandContext&) -> boost::asio::awaitable<sdk::CommandResult> {
            bj::object out = greet(greeting_, sdk::json::required_string(inv.values, "who"));
            std::string text = std::string(out.at("message").as_string()) + "\n";
            co_return sdk::CommandResult{std::move(out), std::move(text), 0};
        };
        ctx.add_command(std::move(cmd));
    }

private:
    std::string greeting_;
};

}  // namespace

SCHEDCP_PLUGIN(HelloPlugin)
