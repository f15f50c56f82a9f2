#include "conformance_asking.hpp"

#include <boost/asio/awaitable.hpp>

#include "schedcp/sdk/call_context.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/prompt.hpp"
#include "schedcp/sdk/tool.hpp"

namespace conformance {

namespace {

namespace bj = boost::json;
using namespace schedcp;
using Handler = sdk::ToolHandler;

bj::object object_schema(bj::object properties, bj::array required = {}) {
    bj::object schema{{"type", "object"}, {"properties", std::move(properties)}};
    if (!required.empty()) schema["required"] = std::move(required);
    return schema;
}

bj::object string_property(std::string description = {}) {
    bj::object p{{"type", "string"}};
    if (!description.empty()) p["description"] = std::move(description);
    return p;
}

sdk::ToolSpec no_argument_tool(std::string name, std::string description, Handler handler) {
    auto schema = object_schema({});
    schema["additionalProperties"] = false;
    return tool_spec(std::move(name), std::move(description), std::move(schema),
                     std::move(handler));
}

const char* outcome_name(sdk::ClientOutcome o) {
    switch (o) {
        case sdk::ClientOutcome::answered:
            return "accept";
        case sdk::ClientOutcome::declined:
            return "decline";
        case sdk::ClientOutcome::cancelled:
            return "cancel";
        case sdk::ClientOutcome::unsupported:
            return "unsupported";
        case sdk::ClientOutcome::failed:
            return "failed";
    }
    return "failed";
}

// The text of a sampling answer: its content is one item or (2025-11-25) a list of them.
std::string sampled_text(const bj::object& result) {
    const bj::value* content = result.if_contains("content");
    const bj::value* item = content && content->is_array() && !content->get_array().empty()
                                ? &content->get_array().front()
                                : content;
    if (item && item->is_object())
        if (const auto* t = item->get_object().if_contains("text"); t && t->is_string())
            return std::string(t->get_string());
    return sdk::json::compact(result);
}

// The answer's string field, or `fallback`.
std::string field(const sdk::ClientAnswer& a, std::string_view name, std::string fallback = "") {
    if (const auto* v = a.result.if_contains(name); v && v->is_string())
        return std::string(v->get_string());
    return fallback;
}

sdk::ToolResult not_answered(const sdk::ClientAnswer& a) {
    return {.text = std::string("The client did not answer (") + outcome_name(a.outcome) +
                    "): " + a.message,
            .is_error = true};
}

bj::object sampling_params(std::string text, int max_tokens) {
    return bj::object{
        {"messages", bj::array{bj::object{
                         {"role", "user"},
                         {"content", bj::object{{"type", "text"}, {"text", std::move(text)}}}}}},
        {"maxTokens", max_tokens}};
}

sdk::ClientRequest elicitation(std::string key, std::string message, std::string property,
                               std::string type = "string") {
    return {.kind = sdk::ClientRequestKind::elicitation,
            .params = bj::object{{"message", std::move(message)},
                                 {"requestedSchema",
                                  object_schema(bj::object{{property, bj::object{{"type", type}}}},
                                                bj::array{bj::string(property)})}},
            .key = std::move(key)};
}

sdk::ClientRequest roots_request(std::string key) {
    return {.kind = sdk::ClientRequestKind::roots, .params = {}, .key = std::move(key)};
}

std::string elicitation_summary(const sdk::ClientAnswer& a) {
    return std::string("action=") + outcome_name(a.outcome) +
           ", content=" + sdk::json::compact(a.result);
}

// ---- 2025 revisions: server-to-client requests

boost::asio::awaitable<sdk::ToolResult> test_sampling(const bj::object& args,
                                                      sdk::CallContext& ctx) {
    auto answer_asked =
        ctx.sample(sampling_params(std::string(args.at("prompt").as_string()), 100));
    auto answer = co_await std::move(answer_asked);
    if (!answer.answered()) co_return not_answered(answer);
    co_return sdk::ToolResult{.text = "LLM response: " + sampled_text(answer.result)};
}

boost::asio::awaitable<sdk::ToolResult> test_elicitation(const bj::object& args,
                                                         sdk::CallContext& ctx) {
    auto schema = object_schema(bj::object{{"username", string_property("User's response")},
                                           {"email", string_property("User's email address")}},
                                bj::array{"username", "email"});
    auto answer_asked = ctx.elicit(std::string(args.at("message").as_string()), schema);
    auto answer = co_await std::move(answer_asked);
    if (answer.outcome == sdk::ClientOutcome::unsupported ||
        answer.outcome == sdk::ClientOutcome::failed)
        co_return not_answered(answer);
    co_return sdk::ToolResult{.text = "User response: <" + elicitation_summary(answer) + ">"};
}

boost::asio::awaitable<sdk::ToolResult> test_sep1034_defaults(const bj::object&,
                                                              sdk::CallContext& ctx) {
    auto schema = object_schema(
        bj::object{{"name", bj::object{{"type", "string"}, {"default", "John Doe"}}},
                   {"age", bj::object{{"type", "integer"}, {"default", 30}}},
                   {"score", bj::object{{"type", "number"}, {"default", 95.5}}},
                   {"status", bj::object{{"type", "string"},
                                         {"enum", bj::array{"active", "inactive", "pending"}},
                                         {"default", "active"}}},
                   {"verified", bj::object{{"type", "boolean"}, {"default", true}}}});
    auto answer_asked =
        ctx.elicit("Please review and update the form fields with defaults", schema);
    auto answer = co_await std::move(answer_asked);
    if (answer.outcome == sdk::ClientOutcome::unsupported ||
        answer.outcome == sdk::ClientOutcome::failed)
        co_return not_answered(answer);
    co_return sdk::ToolResult{.text = "Elicitation completed: " + elicitation_summary(answer)};
}

bj::array titled(std::initializer_list<std::pair<const char*, const char*>> options) {
    bj::array out;
    for (auto [value, title] : options)
        out.push_back(bj::object{{"const", value}, {"title", title}});
    return out;
}

boost::asio::awaitable<sdk::ToolResult> test_sep1330_enums(const bj::object&,
                                                           sdk::CallContext& ctx) {
    const bj::array options{"option1", "option2", "option3"};
    auto schema = object_schema(bj::object{
        {"untitledSingle", bj::object{{"type", "string"}, {"enum", options}}},
        {"titledSingle", bj::object{{"type", "string"},
                                    {"oneOf", titled({{"value1", "First Option"},
                                                      {"value2", "Second Option"},
                                                      {"value3", "Third Option"}})}}},
        {"legacyEnum",
         bj::object{{"type", "string"},
                    {"enum", bj::array{"opt1", "opt2", "opt3"}},
                    {"enumNames", bj::array{"Option One", "Option Two", "Option Three"}}}},
        {"untitledMulti", bj::object{{"type", "array"},
                                     {"items", bj::object{{"type", "string"}, {"enum", options}}}}},
        {"titledMulti",
         bj::object{{"type", "array"},
                    {"items", bj::object{{"anyOf", titled({{"value1", "First Choice"},
                                                           {"value2", "Second Choice"},
                                                           {"value3", "Third Choice"}})}}}}}});
    auto answer_asked = ctx.elicit("Please select options from the enum fields", schema);
    auto answer = co_await std::move(answer_asked);
    if (answer.outcome == sdk::ClientOutcome::unsupported ||
        answer.outcome == sdk::ClientOutcome::failed)
        co_return not_answered(answer);
    co_return sdk::ToolResult{.text = "Elicitation completed: " + elicitation_summary(answer)};
}

// A prompt that asks the user for context first (input-required-result-non-tool-request):
// prompts/get answers input_required, then, retried with the answer, the messages.
boost::asio::awaitable<sdk::PromptResult> ir_prompt(const sdk::PromptArguments&,
                                                    sdk::CallContext& ctx) {
    auto answers_asked =
        ctx.ask_client({elicitation("context", "What context should the prompt use?", "context")});
    auto answers = co_await std::move(answers_asked);
    const std::string context =
        answers[0].answered() ? field(answers[0], "context", "none") : std::string("none");
    co_return sdk::PromptResult{
        .description = "A prompt built from the user's answer",
        .messages = {sdk::PromptMessage::user_text("Use this context: " + context)}};
}

// ---- 2026-07-28: input-required results (the same calls; the host re-runs the handler)

boost::asio::awaitable<sdk::ToolResult> ir_elicitation(const bj::object&, sdk::CallContext& ctx) {
    auto answers_asked = ctx.ask_client({elicitation("user_name", "What is your name?", "name")});
    auto answers = co_await std::move(answers_asked);
    if (!answers[0].answered()) co_return not_answered(answers[0]);
    co_return sdk::ToolResult{.text = "Hello, " + field(answers[0], "name", "stranger") + "!"};
}

boost::asio::awaitable<sdk::ToolResult> ir_sampling(const bj::object&, sdk::CallContext& ctx) {
    auto answer_asked =
        ctx.sample(sampling_params("What is the capital of France?", 100), "capital_question");
    auto answer = co_await std::move(answer_asked);
    if (!answer.answered()) co_return not_answered(answer);
    co_return sdk::ToolResult{.text = "The model said: " + sampled_text(answer.result)};
}

boost::asio::awaitable<sdk::ToolResult> ir_list_roots(const bj::object&, sdk::CallContext& ctx) {
    auto answer_asked = ctx.list_roots("client_roots");
    auto answer = co_await std::move(answer_asked);
    if (!answer.answered()) co_return not_answered(answer);
    co_return sdk::ToolResult{.text =
                                  "Client roots: " + sdk::json::compact(answer.result.at("roots"))};
}

boost::asio::awaitable<sdk::ToolResult> ir_confirm(const bj::object&, sdk::CallContext& ctx) {
    auto answers_asked =
        ctx.ask_client({elicitation("confirm", "Please confirm", "ok", "boolean")});
    auto answers = co_await std::move(answers_asked);
    if (!answers[0].answered()) co_return not_answered(answers[0]);
    // The host checked the requestState's integrity before the handler ran again.
    co_return sdk::ToolResult{.text =
                                  "state-ok: confirmed " + sdk::json::compact(answers[0].result)};
}

boost::asio::awaitable<sdk::ToolResult> ir_multiple(const bj::object&, sdk::CallContext& ctx) {
    auto answers_asked = ctx.ask_client({elicitation("user_name", "What is your name?", "name"),
                                         {.kind = sdk::ClientRequestKind::sampling,
                                          .params = sampling_params("Generate a greeting", 50),
                                          .key = "greeting"},
                                         roots_request("client_roots")});
    auto answers = co_await std::move(answers_asked);
    for (const auto& a : answers)
        if (!a.answered()) co_return not_answered(a);
    co_return sdk::ToolResult{
        .text = field(answers[0], "name") + ": " + sampled_text(answers[1].result) + " (" +
                std::to_string(answers[2].result.at("roots").as_array().size()) + " roots)"};
}

boost::asio::awaitable<sdk::ToolResult> ir_multi_round(const bj::object&, sdk::CallContext& ctx) {
    auto name_asked = ctx.ask_client({elicitation("step1", "Step 1: What is your name?", "name")});
    auto name = co_await std::move(name_asked);
    if (!name[0].answered()) co_return not_answered(name[0]);
    auto color_asked =
        ctx.ask_client({elicitation("step2", "Step 2: What is your favorite color?", "color")});
    auto color = co_await std::move(color_asked);
    if (!color[0].answered()) co_return not_answered(color[0]);
    co_return sdk::ToolResult{.text =
                                  field(name[0], "name") + " likes " + field(color[0], "color")};
}

boost::asio::awaitable<sdk::ToolResult> ir_capabilities(const bj::object&, sdk::CallContext& ctx) {
    // Asks only what the client can answer: the host leaves out (unsupported) the rest.
    auto answers_asked = ctx.ask_client({elicitation("user_name", "What is your name?", "name"),
                                         {.kind = sdk::ClientRequestKind::sampling,
                                          .params = sampling_params("Generate a greeting", 50),
                                          .key = "greeting"}});
    auto answers = co_await std::move(answers_asked);
    std::string text;
    for (const auto& a : answers)
        text += std::string(text.empty() ? "" : ", ") + outcome_name(a.outcome);
    co_return sdk::ToolResult{.text = "Answers: " + text};
}

boost::asio::awaitable<sdk::ToolResult> missing_capability(const bj::object&,
                                                           sdk::CallContext& ctx) {
    auto answer_asked =
        ctx.sample(sampling_params("Say hello", 20), "hello", sdk::WhenUnsupported::refuse);
    auto answer = co_await std::move(answer_asked);
    co_return sdk::ToolResult{.text = "The model said: " + sampled_text(answer.result)};
}

boost::asio::awaitable<sdk::ToolResult> streaming_elicitation(const bj::object&,
                                                              sdk::CallContext& ctx) {
    ctx.report_progress(0, 1, "asking the user");
    auto answers_asked = ctx.ask_client({elicitation("user_name", "What is your name?", "name")});
    auto answers = co_await std::move(answers_asked);
    if (!answers[0].answered()) co_return not_answered(answers[0]);
    co_return sdk::ToolResult{.text = "Hello, " + field(answers[0], "name") + "!"};
}

}  // namespace

void add_asking_fixtures(sdk::PluginContext& ctx) {
    ctx.add_tool(tool_spec(
        "test_sampling",
        "Asks the client's model to answer `prompt` (conformance: "
        "tools-call-sampling).",
        object_schema(bj::object{{"prompt", string_property("The prompt")}}, bj::array{"prompt"}),
        test_sampling));
    ctx.add_tool(tool_spec("test_elicitation",
                           "Asks the user for a username and an email (conformance: "
                           "tools-call-elicitation).",
                           object_schema(bj::object{{"message", string_property("What to ask")}},
                                         bj::array{"message"}),
                           test_elicitation));
    // The fixtures without arguments: name, description, handler.
    const struct {
        const char* name;
        const char* description;
        boost::asio::awaitable<sdk::ToolResult> (*handler)(const bj::object&, sdk::CallContext&);
    } no_argument_fixtures[] = {
        {"test_elicitation_sep1034_defaults",
         "Elicits a form with defaults of every primitive type "
         "(conformance: elicitation-sep1034-defaults).",
         test_sep1034_defaults},
        {"test_elicitation_sep1330_enums",
         "Elicits the five enum forms (conformance: "
         "elicitation-sep1330-enums).",
         test_sep1330_enums},
        {"test_input_required_result_elicitation",
         "Asks the user's name (input-required-result-basic-elicitation).", ir_elicitation},
        {"test_input_required_result_sampling",
         "Asks the model a question (input-required-result-basic-sampling).", ir_sampling},
        {"test_input_required_result_list_roots",
         "Asks the client's roots (input-required-result-basic-list-roots).", ir_list_roots},
        {"test_input_required_result_request_state",
         "Asks for a confirmation (input-required-result-request-state).", ir_confirm},
        {"test_input_required_result_tampered_state",
         "Asks for a confirmation (input-required-result-tampered-state).", ir_confirm},
        {"test_input_required_result_multiple_inputs",
         "Asks the user, the model and the roots at once "
         "(input-required-result-multiple-input-requests).",
         ir_multiple},
        {"test_input_required_result_multi_round",
         "Asks two questions, one after the other "
         "(input-required-result-multi-round).",
         ir_multi_round},
        {"test_input_required_result_capabilities",
         "Asks the user and the model, where the client can answer "
         "(input-required-result-capability-check).",
         ir_capabilities},
        {"test_missing_capability", "Needs sampling, refuses without it (server-stateless).",
         missing_capability},
        {"test_streaming_elicitation", "Reports progress, then asks the user (server-stateless).",
         streaming_elicitation},
    };
    for (const auto& f : no_argument_fixtures)
        ctx.add_tool(no_argument_tool(f.name, f.description, f.handler));
    ctx.add_prompt(sdk::PromptSpec{.name = "test_input_required_result_prompt",
                                   .title = "",
                                   .description =
                                       "Asks the user for context, then builds its messages "
                                       "(input-required-result-non-tool-request).",
                                   .arguments = {},
                                   .handler = ir_prompt});
}

sdk::ToolSpec tool_spec(std::string name, std::string description, bj::object input_schema,
                        sdk::ToolHandler handler) {
    sdk::ToolSpec spec;
    spec.name = std::move(name);
    spec.description = std::move(description);
    spec.input_schema = std::move(input_schema);
    spec.handler = std::move(handler);
    return spec;
}

}  // namespace conformance
