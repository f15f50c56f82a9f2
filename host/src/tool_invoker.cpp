#include "tool_invoker.hpp"

#include <boost/json/parse.hpp>

#include "handler_errors.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/schema.hpp"

namespace schedcp::host {

sdk::ToolResult error_result(sdk::ErrorCode code, const std::string& message,
                             const boost::json::value& details) {
    boost::json::object err{{"code", sdk::to_string(code)}, {"message", message}};
    std::string text = message;
    if (!details.is_null()) {
        err["details"] = details;
        text += "\n" + sdk::json::compact(details);
    }
    return sdk::ToolResult{boost::json::object{{"error", std::move(err)}}, std::move(text), true};
}

std::optional<sdk::Error> error_of(const sdk::ToolResult& result) {
    if (!result.is_error) return std::nullopt;
    static constexpr sdk::ErrorCode kCodes[] = {
        sdk::ErrorCode::invalid_argument,  sdk::ErrorCode::not_found,   sdk::ErrorCode::conflict,
        sdk::ErrorCode::permission_denied, sdk::ErrorCode::unavailable, sdk::ErrorCode::cancelled,
        sdk::ErrorCode::timeout,           sdk::ErrorCode::internal};
    sdk::ErrorCode code = sdk::ErrorCode::internal;
    std::string message = result.text;
    boost::json::value details = nullptr;
    if (const auto* root = result.structured.if_object())
        if (const auto* err = root->if_contains("error"); err && err->is_object()) {
            const auto& e = err->get_object();
            if (const auto* c = e.if_contains("code"); c && c->is_string())
                for (auto k : kCodes)
                    if (sdk::to_string(k) == c->get_string()) code = k;
            if (const auto* m = e.if_contains("message"); m && m->is_string())
                message = std::string(m->get_string());
            if (const auto* d = e.if_contains("details")) details = *d;
        }
    return sdk::Error(code, message, std::move(details));
}

namespace {

// Models send `null` for "not given" (SchedCP treats it so). A top-level property whose
// value is null is dropped when the schema does not require it and its own schema does not
// accept null, so neither validation nor the handler ever sees it. A required property
// given null stays, and validation names it.
boost::json::object without_null_optionals(const boost::json::object& args,
                                           const boost::json::object& schema) {
    const boost::json::object* props = nullptr;
    if (const auto* p = schema.if_contains("properties")) props = p->if_object();
    boost::json::object out;
    for (const auto& kv : args) {
        if (kv.value().is_null()) {
            bool required = false;
            if (const auto* req = schema.if_contains("required"))
                if (const auto* a = req->if_array())
                    for (const auto& r : *a) required = required || r == kv.key();
            const boost::json::value* prop = props ? props->if_contains(kv.key()) : nullptr;
            const bool accepts_null =
                prop && sdk::validate(*prop, boost::json::value(nullptr), "x").empty();
            if (!required && prop && !accepts_null) continue;
        }
        out.emplace(kv.key(), kv.value());
    }
    return out;
}

bool holds_null(const boost::json::object& args) {
    for (const auto& kv : args)
        if (kv.value().is_null()) return true;
    return false;
}

}  // namespace

std::optional<sdk::Error> prepare_arguments(const RegisteredTool& tool, boost::json::object given,
                                            boost::json::object& args) {
    // Checked as a value moved in (rebuilt only when a null is to be dropped) and moved out
    // after: neither the schema nor the arguments are copied to be checked.
    boost::json::value checked = holds_null(given)
                                     ? without_null_optionals(given, tool.spec.input_schema)
                                     : std::move(given);
    auto violations = sdk::validate(tool.spec.input_schema, checked, "arguments");
    args = std::move(checked.get_object());
    if (violations.empty()) return std::nullopt;
    // The message names every violation; the caller corrects its call from it.
    return sdk::InvalidArgument("invalid arguments for tool '" + tool.spec.name +
                                "': " + sdk::describe(violations));
}

bool has_structured(const sdk::ToolResult& result) {
    return !result.structured.is_null() || result.json();
}

bool structured_is_object(const sdk::ToolResult& result) {
    if (const std::string* json = result.json()) return json->front() == '{';
    return result.structured.is_object();
}

bool text_is_structured(const sdk::ToolResult& result) {
    return !result.is_error && result.text.empty() && has_structured(result);
}

void materialise_structured(sdk::ToolResult& result, const std::string& plugin) {
    const std::string* json = result.json();
    if (!json || !result.structured.is_null()) return;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(*json, ec);
    if (ec) {
        result = error_result(sdk::ErrorCode::internal,
                              "internal error in plugin '" + plugin +
                                  "': its structured_json is not JSON: " + ec.message());
        return;
    }
    result.structured = std::move(v);
}

ResultCheck result_check(const HostConfig& config) {
    return config.validate_tool_results ? ResultCheck::output_schema : ResultCheck::none;
}

namespace {

// What invoke_tool and answer_ready do with a result, whoever made it: the value parsed
// where a caller needs it, checked against the output schema if asked, the text filled in
// for callers that render it. nullopt: `result` is final as it is; else the error result
// that replaces it (the plugin broke its own schema).
std::optional<sdk::ToolResult> finish_result(const RegisteredTool& tool, sdk::ToolResult& result,
                                             sdk::Logger& log, ResultCheck check,
                                             EmptyText empty_text) {
    if (check == ResultCheck::output_schema || empty_text == EmptyText::render)
        materialise_structured(result, tool.plugin);
    if (check == ResultCheck::output_schema && !result.is_error && tool.spec.output_schema) {
        // A result that breaks its own declared schema would make strict clients reject
        // the whole call; report the plugin bug instead of passing it on.
        auto bad = sdk::validate(*tool.spec.output_schema, result.structured, "result");
        if (!bad.empty()) {
            SCHEDCP_LOG(log, error)
                << "tool " << tool.spec.name << " returned a result that does not match "
                << "its output schema: " << sdk::describe(bad);
            return error_result(
                sdk::ErrorCode::internal,
                "internal error in plugin '" + tool.plugin +
                    "': result does not match the tool's output schema: " + sdk::describe(bad));
        }
    }
    if (empty_text == EmptyText::render && text_is_structured(result))
        result.text = result.json() ? *result.json() : sdk::json::compact(result.structured);
    return std::nullopt;
}

sdk::ToolResult error_from_handler(const RegisteredTool& tool, bool cancelled, sdk::Logger& log) {
    const std::string operation = "tool " + tool.spec.name;
    sdk::Error e = error_from_current_exception(
        {.plugin = tool.plugin, .operation = operation, .cancelled = cancelled}, log);
    return error_result(e.code(), e.what(), e.details());
}

}  // namespace

std::optional<sdk::ToolResult> answer_ready(const RegisteredTool& tool, boost::json::object& args,
                                            sdk::Logger& log, ResultCheck check,
                                            EmptyText empty_text) {
    if (!tool.spec.ready_answer) return std::nullopt;
    boost::json::object prepared;
    if (auto bad = prepare_arguments(tool, std::move(args), prepared))
        return error_result(bad->code(), bad->what(), bad->details());
    std::optional<sdk::ToolResult> result;
    try {
        result = tool.spec.ready_answer(prepared);
    } catch (...) {
        result = error_from_handler(tool, false, log);
    }
    if (!result) {
        args = std::move(prepared);  // checked already; the handler gets them
        return std::nullopt;
    }
    if (auto replaced = finish_result(tool, *result, log, check, empty_text)) return replaced;
    return result;
}

boost::asio::awaitable<sdk::ToolResult> invoke_tool(const RegisteredTool& tool,
                                                    boost::json::object given,
                                                    sdk::CallContext& ctx, sdk::Logger& log,
                                                    ResultCheck check, EmptyText empty_text) {
    boost::json::object args;
    if (auto bad = prepare_arguments(tool, std::move(given), args))
        co_return error_result(bad->code(), bad->what(), bad->details());
    std::optional<sdk::ToolResult> result;
    try {
        result = co_await tool.spec.handler(args, ctx);
    } catch (const RunAbandoned&) {
        throw;
    } catch (...) {
        result = error_from_handler(tool, ctx.cancelled(), log);
    }
    if (auto replaced = finish_result(tool, *result, log, check, empty_text))
        co_return std::move(*replaced);
    co_return std::move(*result);
}

}  // namespace schedcp::host
