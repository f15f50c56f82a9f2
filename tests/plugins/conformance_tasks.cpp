// The conformance suite's fixtures for the MCP tasks extension (io.modelcontextprotocol/tasks,
// SEP-2663; the tasks-* scenarios of --requirements 2026-07-28): tools that declare
// sdk::TaskSupport and call CallContext::run_as_task() where their background part starts.
// The host decides whether a call becomes a task (the request's capabilities, room in the
// task store); these handlers are the same either way.
#include <chrono>
#include <string>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "conformance_asking.hpp"
#include "schedcp/sdk/call_context.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/tool.hpp"

namespace conformance {

namespace {

namespace bj = boost::json;
using namespace schedcp;
using Answer = boost::asio::awaitable<sdk::ToolResult>;

// Sleeps `d` on the handler's executor; a cancelled call ends here (operation_aborted).
boost::asio::awaitable<void> sleep_for(sdk::CallContext& ctx, std::chrono::milliseconds d) {
    boost::asio::steady_timer timer(ctx.executor());
    timer.expires_after(d);
    co_await timer.async_wait(boost::asio::use_awaitable);
}

bj::object schema(bj::object properties, bj::array required = {}) {
    bj::object s{{"type", "object"}, {"properties", std::move(properties)}};
    if (!required.empty()) s["required"] = std::move(required);
    return s;
}

sdk::ToolSpec task_tool(std::string name, std::string description, bj::object input_schema,
                        sdk::TaskSupport support, sdk::ToolHandler handler) {
    auto spec = tool_spec(std::move(name), std::move(description), std::move(input_schema),
                          std::move(handler));
    spec.task_support = support;
    return spec;
}

std::string text_of(const sdk::ClientAnswer& a, std::string_view field) {
    if (const auto* v = a.result.if_contains(field); v && v->is_string())
        return std::string(v->get_string());
    return {};
}

Answer greet(const bj::object& args, sdk::CallContext&) {
    co_return sdk::ToolResult{.text = "Hello, " + std::string(args.at("name").as_string()) + "!"};
}

// `seconds: 0` answers at once (the extension's immediate-result shortcut: no task).
Answer slow_compute(const bj::object& args, sdk::CallContext& ctx) {
    const auto seconds = args.at("seconds").to_number<std::int64_t>();
    std::string label = "unnamed";
    if (const auto* l = args.if_contains("label")) label = std::string(l->as_string());
    if (seconds > 0) {
        ctx.run_as_task();
        co_await sleep_for(ctx, std::chrono::seconds(seconds));
    }
    co_return sdk::ToolResult{
        .structured = bj::object{{"label", label}, {"seconds", seconds}},
        .text = "Computed '" + label + "' in " + std::to_string(seconds) + " s"};
}

// A tool execution error (a task "completed" with isError).
Answer failing_job(const bj::object&, sdk::CallContext& ctx) {
    ctx.run_as_task();
    co_await sleep_for(ctx, std::chrono::seconds(1));
    throw sdk::Unavailable("the job failed on purpose (conformance: failing_job)");
}

// A protocol-level error (a task "failed" with the JSON-RPC error): it needs the roots
// capability, which the suite's tasks client does not declare: -32021.
Answer protocol_error_job(const bj::object&, sdk::CallContext& ctx) {
    ctx.run_as_task();
    co_await sleep_for(ctx, std::chrono::milliseconds(100));
    auto roots_asked = ctx.list_roots("roots", sdk::WhenUnsupported::refuse);
    auto roots = co_await std::move(roots_asked);
    co_return sdk::ToolResult{.text = "the client has roots: " + roots.message};
}

Answer confirm_delete(const bj::object& args, sdk::CallContext& ctx) {
    const std::string file(args.at("filename").as_string());
    ctx.run_as_task();
    auto asked = ctx.elicit(
        "Delete " + file + "?",
        schema(bj::object{{"confirm", bj::object{{"type", "boolean"}}}}, bj::array{"confirm"}),
        "confirm");
    auto answer = co_await std::move(asked);
    const auto* confirm = answer.result.if_contains("confirm");
    if (answer.outcome == sdk::ClientOutcome::answered && confirm && confirm->is_bool() &&
        confirm->get_bool())
        co_return sdk::ToolResult{.text = "Deleted " + file + " (nothing was deleted: a fixture)"};
    co_return sdk::ToolResult{.text = "Kept " + file};
}

// Two questions at once: the task waits with both keys until each is answered.
Answer multi_input(const bj::object&, sdk::CallContext& ctx) {
    ctx.run_as_task();
    const auto question = [](std::string message, std::string key) {
        return sdk::ClientRequest{
            .kind = sdk::ClientRequestKind::elicitation,
            .params = bj::object{{"message", std::move(message)},
                                 {"requestedSchema",
                                  schema(bj::object{{"name", bj::object{{"type", "string"}}}})}},
            .key = std::move(key)};
    };
    auto asked =
        ctx.ask_client({question("First name?", "first"), question("Second name?", "second")});
    auto answers = co_await std::move(asked);
    co_return sdk::ToolResult{.text = "Got " + text_of(answers[0], "name") + " and " +
                                      text_of(answers[1], "name")};
}

// Asks synchronously first (a 2026-07-28 input-required round), then becomes a task.
Answer tool_with_task(const bj::object&, sdk::CallContext& ctx) {
    auto asked =
        ctx.elicit("What is your name?",
                   schema(bj::object{{"name", bj::object{{"type", "string"}}}}, bj::array{"name"}),
                   "user_name");
    auto answer = co_await std::move(asked);
    const std::string name = text_of(answer, "name");
    ctx.run_as_task();
    co_await sleep_for(ctx, std::chrono::milliseconds(200));
    co_return sdk::ToolResult{.text = "Hello, " + (name.empty() ? "stranger" : name) + "!"};
}

}  // namespace

void add_task_fixtures(sdk::PluginContext& ctx) {
    using sdk::TaskSupport;
    ctx.add_tool(
        task_tool("greet", "Says hello to `name` (conformance: tasks-*; never a task).",
                  schema(bj::object{{"name", bj::object{{"type", "string"}}}}, bj::array{"name"}),
                  TaskSupport::forbidden, greet));
    ctx.add_tool(task_tool(
        "slow_compute",
        "Sleeps `seconds` then answers; a task when the client supports tasks (conformance: "
        "tasks-*).",
        schema(bj::object{{"seconds",
                           bj::object{{"type", "integer"}, {"minimum", 0}, {"maximum", 600}}},
                          {"label", bj::object{{"type", "string"}, {"maxLength", 200}}}},
               bj::array{"seconds"}),
        TaskSupport::optional, slow_compute));
    ctx.add_tool(task_tool("failing_job",
                           "Fails after a second with a tool error; only as a task "
                           "(conformance: tasks-lifecycle, tasks-required-task-error).",
                           schema(bj::object{}), TaskSupport::required, failing_job));
    ctx.add_tool(task_tool("protocol_error_job",
                           "Needs the client's roots capability (-32021 without it); a task "
                           "when it can be (conformance: tasks-lifecycle).",
                           schema(bj::object{}), TaskSupport::optional, protocol_error_job));
    ctx.add_tool(task_tool(
        "confirm_delete",
        "Asks the user to confirm deleting `filename` (deletes nothing) "
        "(conformance: tasks-mrtr-input).",
        schema(bj::object{{"filename", bj::object{{"type", "string"}}}}, bj::array{"filename"}),
        TaskSupport::optional, confirm_delete));
    ctx.add_tool(task_tool("multi_input",
                           "Asks the user two questions at once (conformance: tasks-mrtr-input).",
                           schema(bj::object{}), TaskSupport::optional, multi_input));
    ctx.add_tool(task_tool("test_tool_with_task",
                           "Asks the user's name, then greets them as a task (conformance: "
                           "tasks-mrtr-composition).",
                           schema(bj::object{}), TaskSupport::required, tool_with_task));
}

}  // namespace conformance
