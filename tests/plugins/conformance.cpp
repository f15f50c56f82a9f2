// The official MCP conformance suite's fixtures (npm @modelcontextprotocol/conformance,
// `conformance list --server`), registered through the ordinary SDK so the suite exercises
// the real host, transport and SDK. Test-only: built into the tests' plugin directory,
// never installed, loaded only by tests/conformance/config.yaml.
//
// The fixtures today's SDK can express are here (tools with text, image, audio and
// embedded resource content, error results, progress, logging; resources, templates,
// prompts, completions); docs/http-transport.md lists the rest and what the SDK needs for
// them.
#include <chrono>
#include <functional>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "conformance_asking.hpp"
#include "schedcp/sdk/plugin.hpp"
#include "schedcp/sdk/uri_template.hpp"

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

using conformance::tool_spec;

boost::asio::awaitable<void> pause(sdk::CallContext& ctx, std::chrono::milliseconds d) {
    boost::asio::steady_timer timer(ctx.executor());
    timer.expires_after(d);
    co_await timer.async_wait(boost::asio::use_awaitable);
}

// A resource with one fixed text.
sdk::ResourceSpec text_resource(std::string uri, std::string name, std::string description,
                                std::string text) {
    return sdk::ResourceSpec{
        .uri = std::move(uri),
        .name = std::move(name),
        .description = std::move(description),
        .mime_type = "text/plain",
        .read = [text = std::move(text)](const std::string& uri, const sdk::UriVariables&,
                                         sdk::CallContext&)
            -> boost::asio::awaitable<std::vector<sdk::ResourceContents>> {
            co_return std::vector{sdk::ResourceContents::of_text(uri, "text/plain", text)};
        }};
}

// A prompt whose messages do not depend on its arguments' values beyond `build`.
sdk::PromptSpec prompt(
    std::string name, std::string description, std::vector<sdk::PromptArgument> arguments,
    std::function<std::vector<sdk::PromptMessage>(const sdk::PromptArguments&)> build) {
    return sdk::PromptSpec{
        .name = std::move(name),
        .description = std::move(description),
        .arguments = std::move(arguments),
        .handler = [build = std::move(build)](const sdk::PromptArguments& args, sdk::CallContext&)
            -> boost::asio::awaitable<sdk::PromptResult> {
            co_return sdk::PromptResult{.messages = build(args)};
        }};
}

// The JSON Schema 2020-12 vocabulary the json-schema-2020-12 scenario looks for, verbatim.
bj::object json_schema_2020_12() {
    return bj::parse(R"({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "$defs": {"address": {"$anchor": "addressDef", "type": "object",
                              "properties": {"street": {"type": "string"},
                                             "city": {"type": "string"}}}},
        "properties": {"name": {"type": "string"},
                       "address": {"$ref": "#/$defs/address"},
                       "contactMethod": {"type": "string", "enum": ["phone", "email"]},
                       "phone": {"type": "string"},
                       "email": {"type": "string"}},
        "allOf": [{"anyOf": [{"required": ["phone"]}, {"required": ["email"]}]}],
        "if": {"properties": {"contactMethod": {"const": "phone"}}, "required": ["contactMethod"]},
        "then": {"required": ["phone"]},
        "else": {"required": ["email"]},
        "additionalProperties": false})")
        .as_object();
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
        // SSE polling (SEP-1699): the call ends its own response stream before it answers,
        // so the answer can only reach a client that resumes with Last-Event-ID.
        ctx.add_tool(tool_spec(
            "test_reconnection",
            "Closes its response stream, waits 100 ms, then answers; the client gets the answer "
            "by resuming the stream (conformance: server-sse-polling).",
            no_arguments(), [](const bj::object&, sdk::CallContext& ctx) -> Answer {
                ctx.close_stream();
                auto wait = pause(ctx, std::chrono::milliseconds(100));
                co_await std::move(wait);
                co_return sdk::ToolResult{.text = "Reconnection test completed successfully"};
            }));
        conformance::add_asking_fixtures(ctx);
        conformance::add_task_fixtures(ctx);
        add_resources(ctx);
        add_prompts(ctx);

        sdk::ToolSpec schema_tool;
        schema_tool.name = "json_schema_2020_12_tool";
        schema_tool.description =
            "Tool with JSON Schema 2020-12 features (conformance: json-schema-2020-12).";
        schema_tool.input_schema = json_schema_2020_12();
        schema_tool.handler = [](const bj::object&,
                                 sdk::CallContext&) -> boost::asio::awaitable<sdk::ToolResult> {
            co_return sdk::ToolResult{.text = "ok"};
        };
        ctx.add_tool(std::move(schema_tool));
    }

  private:
    static constexpr const char* kWatched = "test://watched-resource";

    void add_resources(sdk::PluginContext& ctx) {
        ctx.add_resource(text_resource("test://static-text", "static-text",
                                       "A fixed text (conformance: resources-read-text).",
                                       "This is the content of the static text resource."));
        ctx.add_resource(sdk::ResourceSpec{
            .uri = "test://static-binary",
            .name = "static-binary",
            .description = "A 1x1 PNG (conformance: resources-read-binary).",
            .mime_type = "image/png",
            .cache_ttl = std::chrono::minutes(1),
            .read = [](const std::string& uri, const sdk::UriVariables&, sdk::CallContext&)
                -> boost::asio::awaitable<std::vector<sdk::ResourceContents>> {
                co_return std::vector{
                    sdk::ResourceContents::of_blob(uri, "image/png", kRedPixelPng)};
            }});
        ctx.add_resource(
            text_resource(kWatched, "watched-resource",
                          "Changes when test_touch_watched_resource is called (conformance: "
                          "resources-subscribe).",
                          "This resource is watched for changes."));
        ctx.add_resource_template(sdk::ResourceTemplateSpec{
            .uri_template = "test://template/{id}/data",
            .name = "template-data",
            .description = "Data for an id (conformance: resources-templates-read).",
            .mime_type = "application/json",
            .read = [](const std::string& uri, const sdk::UriVariables& vars, sdk::CallContext&)
                -> boost::asio::awaitable<std::vector<sdk::ResourceContents>> {
                const std::string& id = vars.at("id");
                bj::object data{{"id", id}, {"templateTest", true}, {"data", "Data for ID: " + id}};
                co_return std::vector{
                    sdk::ResourceContents::of_text(uri, "application/json", bj::serialize(data))};
            },
            .complete = {{"id", [](std::string_view partial, const auto&) {
                              return sdk::complete_from({"1", "2", "3", "123"}, partial);
                          }}}});

        // Lets a test see notifications/resources/updated arrive.
        sdk::ToolSpec touch;
        touch.name = "test_touch_watched_resource";
        touch.description = "Signals that test://watched-resource changed (subscribers are told).";
        touch.input_schema = no_arguments();
        touch.handler = [&ctx](const bj::object&,
                               sdk::CallContext&) -> boost::asio::awaitable<sdk::ToolResult> {
            ctx.notify_resource_updated(kWatched);
            co_return sdk::ToolResult{.text = "test://watched-resource updated"};
        };
        ctx.add_tool(std::move(touch));
    }

    static void add_prompts(sdk::PluginContext& ctx) {
        ctx.add_prompt(prompt(
            "test_simple_prompt", "A prompt without arguments (conformance: prompts-get-simple).",
            {}, [](const sdk::PromptArguments&) {
                return std::vector{
                    sdk::PromptMessage::user_text("This is a simple prompt for testing.")};
            }));
        ctx.add_prompt(prompt(
            "test_prompt_with_arguments",
            "A prompt with two arguments (conformance: prompts-get-with-args, "
            "completion-complete).",
            {sdk::PromptArgument{.name = "arg1",
                                 .description = "First test argument",
                                 .required = true,
                                 .complete =
                                     [](std::string_view partial, const auto&) {
                                         return sdk::complete_from(
                                             {"paris", "park", "party", "test", "testValue1"},
                                             partial);
                                     }},
             sdk::PromptArgument{
                 .name = "arg2", .description = "Second test argument", .required = true}},
            [](const sdk::PromptArguments& args) {
                return std::vector{sdk::PromptMessage::user_text("Prompt with arguments: arg1='" +
                                                                 args.at("arg1") + "', arg2='" +
                                                                 args.at("arg2") + "'")};
            }));
        ctx.add_prompt(prompt(
            "test_prompt_with_embedded_resource",
            "A prompt embedding a resource (conformance: prompts-get-embedded-resource).",
            {sdk::PromptArgument{.name = "resourceUri",
                                 .description = "URI of the resource to embed",
                                 .required = true}},
            [](const sdk::PromptArguments& args) {
                return std::vector{
                    sdk::PromptMessage::user(
                        sdk::Content::text_resource(args.at("resourceUri"), "text/plain",
                                                    "Embedded resource content for testing.")),
                    sdk::PromptMessage::user_text("Please process the embedded resource above.")};
            }));
        ctx.add_prompt(
            prompt("test_prompt_with_image",
                   "A prompt with an image (conformance: prompts-get-with-image).", {},
                   [](const sdk::PromptArguments&) {
                       return std::vector{
                           sdk::PromptMessage::user(sdk::Content::image(kRedPixelPng, "image/png")),
                           sdk::PromptMessage::user_text("Please analyze the image above.")};
                   }));
    }
};

}  // namespace

SCHEDCP_PLUGIN(ConformancePlugin)
