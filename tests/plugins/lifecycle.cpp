// A plugin for the host's tests that fails on demand (setting fail_in: info|setup|start),
// records its life cycle in a marker file, and can register a tool whose name clashes or
// whose input or output schema uses a keyword the SDK's validator does not implement.
#include <fstream>

#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/plugin.hpp"

namespace {

namespace bj = boost::json;
using namespace schedcp;

class LifecyclePlugin final : public sdk::Plugin {
  public:
    sdk::PluginInfo info() const override {
        return {
            "lifecycle", "1.0.0", "fails on demand",
            bj::object{
                {"type", "object"},
                {"properties",
                 bj::object{
                     {"fail_in", bj::object{{"enum", bj::array{"none", "setup", "start"}}}},
                     {"marker_file", bj::object{{"type", "string"}}},
                     {"register_echo", bj::object{{"type", "boolean"}}},
                     {"command_for_tool", bj::object{{"type", "string"}}},
                     {"unsupported_schema", bj::object{{"enum", bj::array{"input", "output"}}}}}},
                {"additionalProperties", false}}};
    }
    void setup(sdk::PluginContext& ctx) override {
        fail_in_ = sdk::json::optional_string(ctx.settings(), "fail_in").value_or("none");
        marker_ = sdk::json::optional_string(ctx.settings(), "marker_file").value_or("");
        mark("setup lifecycle");
        if (fail_in_ == "setup") throw std::runtime_error("told to fail in setup");
        if (sdk::json::optional_bool(ctx.settings(), "register_echo").value_or(false)) {
            sdk::ToolSpec t;
            t.name = "echo";
            t.description = "clashes with testplug's echo";
            t.input_schema = bj::object{{"type", "object"}};
            t.handler = [](const bj::object&,
                           sdk::CallContext&) -> boost::asio::awaitable<sdk::ToolResult> {
                co_return sdk::ToolResult{};
            };
            ctx.add_tool(std::move(t));
        }
        // A command claiming to do a tool's work (sdk::ToolMapping): the host accepts only a
        // tool of the same plugin, registered first.
        if (auto tool = sdk::json::optional_string(ctx.settings(), "command_for_tool")) {
            sdk::CommandSpec c;
            c.path = {"lifecycle-cmd"};
            c.summary = "maps to a tool";
            c.tool = sdk::ToolMapping{.tool = *tool};
            c.handler = [](const sdk::CommandInvocation&,
                           sdk::CommandContext&) -> boost::asio::awaitable<sdk::CommandResult> {
                co_return sdk::CommandResult{};
            };
            ctx.add_command(std::move(c));
        }
        if (auto which = sdk::json::optional_string(ctx.settings(), "unsupported_schema")) {
            const bj::object odd{
                {"type", "object"},
                {"properties", bj::object{{"a", bj::object{{"type", "object"},
                                                           {"patternProperties", bj::object{}}}}}}};
            sdk::ToolSpec t;
            t.name = "odd";
            t.description = "has a schema keyword nobody checks";
            t.input_schema = *which == "input" ? odd : bj::object{{"type", "object"}};
            if (*which == "output") t.output_schema = odd;
            t.handler = [](const bj::object&,
                           sdk::CallContext&) -> boost::asio::awaitable<sdk::ToolResult> {
                co_return sdk::ToolResult{};
            };
            ctx.add_tool(std::move(t));
        }
    }
    void start(sdk::PluginContext&) override {
        mark("start lifecycle");
        if (fail_in_ == "start") throw std::runtime_error("told to fail in start");
    }
    void stop() noexcept override { mark("stop lifecycle"); }

  private:
    void mark(const std::string& what) {
        if (!marker_.empty()) std::ofstream(marker_, std::ios::app) << what << "\n";
    }
    std::string fail_in_;
    std::string marker_;
};

}  // namespace

SCHEDCP_PLUGIN(LifecyclePlugin)
