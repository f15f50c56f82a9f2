// A complete third-party plugin (docs/plugin-guide.md walks through it): one MCP tool and
// one CLI command doing the same work through one function, declarative settings, a service
// of another plugin used when present, and a typed error.
#include <string>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/plugin.hpp"
#include "schedcp/sdk/services/scheduler_catalog.hpp"
#include "schedcp/sdk/settings.hpp"

namespace {

namespace bj = boost::json;
namespace sdk = schedcp::sdk;

// The plugin's settings: defaults are the member initializers.
struct HelloSettings {
    std::string greeting = "Hello";
    int exclamations = 1;
};

// One table: the schema the host checks the `settings:` section against, the parsing and
// `schedcp-cli plugins --settings` all come from it.
const sdk::Settings<HelloSettings>& settings() {
    static const sdk::Settings<HelloSettings> table({
        {.key = "greeting",
         .type = sdk::SettingType::string,
         .help = "the word to greet with",
         .member = &HelloSettings::greeting,
         .min_length = 1},
        {.key = "exclamations",
         .type = sdk::SettingType::integer,
         .help = "how many '!' end a greeting",
         .member = &HelloSettings::exclamations,
         .minimum = 0,
         .maximum = 5},
    });
    return table;
}

// The one implementation behind both the tool and the command. `catalog` is another
// plugin's service: absent when the catalog plugin is not loaded, and the answer says less.
bj::object greet(const HelloSettings& s, const sdk::services::SchedulerCatalog* catalog,
                 const bj::object& args) {
    const std::string who = sdk::json::required_string(args, "who");
    if (who == "nobody") throw sdk::InvalidArgument("'who' must name somebody");
    bj::object out{{"message", s.greeting + ", " + who + std::string(s.exclamations, '!')}};
    if (catalog) out["schedulers_known"] = catalog->list().size();
    return out;
}

class HelloPlugin final : public sdk::Plugin {
public:
    sdk::PluginInfo info() const override {
        return {.name = "hello",
                .version = "1.0.0",
                .description = "example out-of-tree plugin",
                .settings_schema = settings().schema(),
                .settings_help = settings().help()};
    }

    void setup(sdk::PluginContext& ctx) override {
        settings_ = settings().parse(ctx.settings());

        sdk::ToolSpec tool;
        tool.name = "hello";
        tool.title = "Say hello";
        tool.description = "Greets somebody by name.";
        tool.input_schema = bj::object{
            {"type", "object"},
            {"properties", bj::object{{"who", bj::object{{"type", "string"}, {"minLength", 1}, {"maxLength", 64}}}}},
            {"required", bj::array{"who"}},
            {"additionalProperties", false}};
        tool.annotations = {.read_only = true, .idempotent = true};
        tool.handler = [this](const bj::object& args, sdk::CallContext&) -> boost::asio::awaitable<sdk::ToolResult> {
            co_return sdk::ToolResult::ok(greet(settings_, catalog_.get(), args));
        };
        ctx.add_tool(std::move(tool));

        sdk::CommandSpec cmd;
        cmd.path = {"hello"};
        cmd.summary = "Greet somebody";
        cmd.positionals = {{.name = "who", .help = "whom to greet"}};
        // The command does the tool's work: the host checks WHO against the tool's schema
        // (maxLength 64) and hands the tool's arguments over in inv.tool_arguments.
        cmd.tool = sdk::ToolMapping{.tool = "hello"};
        cmd.handler = [this](const sdk::CommandInvocation& inv,
                             sdk::CommandContext&) -> boost::asio::awaitable<sdk::CommandResult> {
            bj::object out = greet(settings_, catalog_.get(), inv.tool_arguments);
            std::string text = std::string(out.at("message").as_string()) + "\n";
            co_return sdk::CommandResult{std::move(out), std::move(text), 0};
        };
        ctx.add_command(std::move(cmd));
    }

    // Services are looked up in start(): every plugin has published its own in setup().
    void start(sdk::PluginContext& ctx) override {
        catalog_ = ctx.services().find<sdk::services::SchedulerCatalog>();
    }

private:
    HelloSettings settings_;
    std::shared_ptr<sdk::services::SchedulerCatalog> catalog_;
};

}  // namespace

SCHEDCP_PLUGIN(HelloPlugin)
