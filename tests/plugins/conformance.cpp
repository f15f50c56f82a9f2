// The official MCP conformance suite's fixtures (npm @modelcontextprotocol/conformance,
// `conformance list --server`), registered through the ordinary SDK so the suite exercises
// the real host, transport and SDK. Test-only: built into the tests' plugin directory,
// never installed, loaded only by tests/conformance/config.yaml.
//
// Only the fixtures today's SDK can express are here (text, image, audio and embedded
// resource content, error results, progress, logging, per-request logging); docs/http-transport.md
// lists the rest and what the SDK needs for them.
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

// A 1x1 red PNG and 8 samples of 8 kHz mono silence, base64.
constexpr const char* kRedPixelPng =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
constexpr const char* kSilenceWav =
    "UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQgAAACAgICAgICAgA==";

// A tool without arguments whose result is `result`.
sdk::ToolSpec fixed_result_tool(std::string name, std::string description, sdk::ToolResult result) {
    sdk::ToolSpec spec;
    spec.name = std::move(name);
    spec.description = std::move(description);
    spec.input_schema = no_arguments();
    spec.handler = [result = std::move(result)](const bj::object&, sdk::CallContext&)
        -> boost::asio::awaitable<sdk::ToolResult> { co_return result; };
    return spec;
}

using Answer = boost::asio::awaitable<sdk::ToolResult>;

// A tool from its parts.
sdk::ToolSpec tool_spec(std::string name, std::string description, bj::object input_schema,
                        sdk::ToolHandler handler) {
    sdk::ToolSpec spec;
    spec.name = std::move(name);
    spec.description = std::move(description);
    spec.input_schema = std::move(input_schema);
    spec.handler = std::move(handler);
    return spec;
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
        ctx.add_tool(fixed_result_tool(
            "test_simple_text", "Returns one text item (conformance: tools-call-simple-text).",
            sdk::ToolResult{.text = "This is a simple text response for testing."}));
        ctx.add_tool(fixed_result_tool(
            "test_error_handling", "Always fails (conformance: tools-call-error).",
            sdk::ToolResult{.text = "This tool intentionally returns an error for testing",
                            .is_error = true}));
        ctx.add_tool(fixed_result_tool(
            "test_image_content", "Returns a PNG image (conformance: tools-call-image).",
            sdk::ToolResult{.content = {sdk::Content::image(kRedPixelPng, "image/png")}}));
        ctx.add_tool(fixed_result_tool(
            "test_audio_content", "Returns a WAV sound (conformance: tools-call-audio).",
            sdk::ToolResult{.content = {sdk::Content::audio(kSilenceWav, "audio/wav")}}));
        ctx.add_tool(fixed_result_tool(
            "test_embedded_resource",
            "Returns an embedded text resource (conformance: tools-call-embedded-resource).",
            sdk::ToolResult{.content = {sdk::Content::text_resource(
                                "test://embedded-resource", "text/plain",
                                "This is an embedded resource content.")}}));
        ctx.add_tool(fixed_result_tool(
            "test_multiple_content_types",
            "Returns text, an image and an embedded resource (conformance: "
            "tools-call-mixed-content).",
            sdk::ToolResult{.text = "Multiple content types test:",
                            .content = {sdk::Content::image(kRedPixelPng, "image/png"),
                                        sdk::Content::text_resource(
                                            "test://mixed-content-resource", "application/json",
                                            R"({"test":"data","value":123})")}}));

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
            co_return sdk::ToolResult{.text = "Progress reported: 0, 50, 100 of 100."};
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
            co_return sdk::ToolResult{.text = "Logged three records."};
        };
        ctx.add_tool(std::move(logging));

        // server-stateless reads this call's stream for 500 ms and fails on any
        // notifications/message: the request carries no _meta log level. So no pauses.
        ctx.add_tool(tool_spec(
            "test_logging_tool",
            "Writes three log records (debug, info, warning) and returns; they reach the client "
            "only when the request asks (2026-07-28: _meta io.modelcontextprotocol/logLevel) "
            "(conformance: server-stateless).",
            no_arguments(), [](const bj::object&, sdk::CallContext& ctx) -> Answer {
                SCHEDCP_LOG(ctx.logger(), debug) << "test_logging_tool: debug record";
                SCHEDCP_LOG(ctx.logger(), info) << "test_logging_tool: info record";
                SCHEDCP_LOG(ctx.logger(), warning) << "test_logging_tool: warning record";
                co_return sdk::ToolResult{.text = "Logged three records."};
            }));

        // A tool argument mirrored in a header (SEP-2243): 2026-07-28 clients send it as
        // Mcp-Param-Region too, and the host checks that the two agree.
        ctx.add_tool(tool_spec(
            "test_header_param",
            "Echoes its region, which clients also send as the Mcp-Param-Region header "
            "(conformance: http-custom-header-server-validation).",
            bj::object{
                {"type", "object"},
                {"properties", bj::object{{"region", bj::object{{"type", "string"},
                                                                {"x-mcp-header", "Region"}}}}},
                {"required", bj::array{"region"}},
                {"additionalProperties", false}},
            [](const bj::object& args, sdk::CallContext&) -> Answer {
                co_return sdk::ToolResult{.text = "region: " +
                                                  std::string(args.at("region").as_string())};
            }));
    }
};

}  // namespace

SCHEDCP_PLUGIN(ConformancePlugin)
