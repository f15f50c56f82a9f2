// The official MCP conformance suite's fixtures (npm @modelcontextprotocol/conformance,
// `conformance list --server`), registered through the ordinary SDK so the suite exercises
// the real host, transport and SDK. Test-only: built into the tests' plugin directory,
// never installed, loaded only by tests/conformance/config.yaml.
//
// Only the fixtures today's SDK can express are here (text results, error results,
// progress, logging); docs/http-transport.md lists the rest and what the SDK needs for them.
#include <chrono>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "schedcp/sdk/plugin.hpp"

namespace {

namespace bj = boost::json;
using namespace schedcp;

// The fixtures take no arguments.
bj::object no_arguments() {
    return bj::object{
        {"type", "object"}, {"properties", bj::object{}}, {"additionalProperties", false}};
}

boost::asio::awaitable<void> pause(sdk::CallContext& ctx, std::chrono::milliseconds d) {
    boost::asio::steady_timer timer(ctx.executor());
    timer.expires_after(d);
    co_await timer.async_wait(boost::asio::use_awaitable);
}

class ConformancePlugin final : public sdk::Plugin {
  public:
    sdk::PluginInfo info() const override {
        return {"conformance", "1.0.0", "the MCP conformance suite's fixture tools",
                bj::object{{"type", "object"}, {"additionalProperties", false}}};
    }

    void setup(sdk::PluginContext& ctx) override {
        sdk::ToolSpec text;
        text.name = "test_simple_text";
        text.description = "Returns one text content item (conformance: tools-call-simple-text).";
        text.input_schema = no_arguments();
        text.handler = [](const bj::object&,
                          sdk::CallContext&) -> boost::asio::awaitable<sdk::ToolResult> {
            co_return sdk::ToolResult{nullptr, "This is a simple text response for testing.",
                                      false};
        };
        ctx.add_tool(std::move(text));

        sdk::ToolSpec error;
        error.name = "test_error_handling";
        error.description = "Always fails (conformance: tools-call-error).";
        error.input_schema = no_arguments();
        error.handler = [](const bj::object&,
                           sdk::CallContext&) -> boost::asio::awaitable<sdk::ToolResult> {
            co_return sdk::ToolResult{nullptr,
                                      "This tool intentionally returns an error for testing", true};
        };
        ctx.add_tool(std::move(error));

        sdk::ToolSpec progress;
        progress.name = "test_tool_with_progress";
        progress.description =
            "Reports progress 0, 50 and 100 of 100, 50 ms apart (conformance: "
            "tools-call-with-progress).";
        progress.input_schema = no_arguments();
        progress.handler = [](const bj::object&,
                              sdk::CallContext& ctx) -> boost::asio::awaitable<sdk::ToolResult> {
            for (double step : {0.0, 50.0, 100.0}) {
                if (step > 0) {
                    auto op = pause(ctx, std::chrono::milliseconds(50));
                    co_await std::move(op);
                }
                ctx.report_progress(step, 100.0, {});
            }
            co_return sdk::ToolResult{nullptr, "Progress reported: 0, 50, 100 of 100.", false};
        };
        ctx.add_tool(std::move(progress));

        sdk::ToolSpec logging;
        logging.name = "test_tool_with_logging";
        logging.description =
            "Writes three info log records, 50 ms apart (conformance: tools-call-with-logging).";
        logging.input_schema = no_arguments();
        logging.handler = [](const bj::object&,
                             sdk::CallContext& ctx) -> boost::asio::awaitable<sdk::ToolResult> {
            SCHEDCP_LOG(ctx.logger(), info) << "Tool execution started";
            auto first = pause(ctx, std::chrono::milliseconds(50));
            co_await std::move(first);
            SCHEDCP_LOG(ctx.logger(), info) << "Tool processing data";
            auto second = pause(ctx, std::chrono::milliseconds(50));
            co_await std::move(second);
            SCHEDCP_LOG(ctx.logger(), info) << "Tool execution completed";
            co_return sdk::ToolResult{nullptr, "Logged three records.", false};
        };
        ctx.add_tool(std::move(logging));
    }
};

}  // namespace

SCHEDCP_PLUGIN(ConformancePlugin)
