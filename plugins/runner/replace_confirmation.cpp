#include "replace_confirmation.hpp"

#include <boost/json/object.hpp>

#include "schedcp/sdk/error.hpp"

namespace schedcp::plugins::runner {

namespace bj = boost::json;

namespace {

sdk::ToolResult not_replaced(sdk::ErrorCode code, const std::string& why,
                             const Execution& running) {
    const std::string text = "nothing replaced: " + why + "; " + running.scheduler +
                             " (execution " + running.id + ") keeps running";
    return sdk::ToolResult{
        .structured =
            bj::object{
                {"error", bj::object{{"code", sdk::to_string(code)},
                                     {"message", text},
                                     {"details", bj::object{{"execution_id", running.id},
                                                            {"scheduler", running.scheduler}}}}}},
        .text = text,
        .is_error = true};
}

}  // namespace

boost::asio::awaitable<std::optional<sdk::ToolResult>> confirm_replace(
    sdk::CallContext& ctx, const Execution& running, const std::string& replacement) {
    const std::string question = "Replace the running scheduler " + running.scheduler +
                                 " (execution " + running.id + ") with " + replacement + "?";
    bj::object schema{{"type", "object"},
                      {"properties", bj::object{{"replace", bj::object{{"type", "boolean"},
                                                                       {"title", "Replace it"},
                                                                       {"description", question},
                                                                       {"default", false}}}}},
                      {"required", bj::array{"replace"}}};
    auto asking = ctx.elicit(question, std::move(schema), "confirm_replace");
    auto answer = co_await std::move(asking);  // call, then await: see sdk/blocking.hpp
    switch (answer.outcome) {
        case sdk::ClientOutcome::unsupported:
            co_return std::nullopt;  // nobody to ask: replace: true is the caller's word
        case sdk::ClientOutcome::answered:
            if (const auto* r = answer.result.if_contains("replace");
                r && r->is_bool() && r->get_bool())
                co_return std::nullopt;
            co_return not_replaced(sdk::ErrorCode::cancelled,
                                   "the user did not confirm the replacement", running);
        case sdk::ClientOutcome::declined:
            co_return not_replaced(sdk::ErrorCode::cancelled, "the user declined the replacement",
                                   running);
        case sdk::ClientOutcome::cancelled:
            co_return not_replaced(sdk::ErrorCode::cancelled, "the user dismissed the confirmation",
                                   running);
        case sdk::ClientOutcome::failed:
            break;
    }
    co_return not_replaced(sdk::ErrorCode::unavailable,
                           "the confirmation could not be asked (" + answer.message + ")", running);
}

}  // namespace schedcp::plugins::runner
