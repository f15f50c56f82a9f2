#include "ask_client.hpp"

#include "../tool_invoker.hpp"
#include "call_context.hpp"
#include "client_requests.hpp"
#include "request_state.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/text.hpp"
#include "session.hpp"
#include "tasks/task_input.hpp"

namespace schedcp::host::mcp {

namespace bj = boost::json;

std::string_view method_of(sdk::ClientRequestKind kind) {
    switch (kind) {
        case sdk::ClientRequestKind::elicitation:
            return "elicitation/create";
        case sdk::ClientRequestKind::sampling:
            return "sampling/createMessage";
        case sdk::ClientRequestKind::roots:
            return "roots/list";
    }
    return "elicitation/create";
}

sdk::ClientAnswer interpret_client_result(sdk::ClientRequestKind kind, const bj::value& result) {
    using sdk::ClientOutcome;
    const bj::object* o = result.if_object();
    const auto failed = [](std::string why) {
        return sdk::ClientAnswer{.outcome = ClientOutcome::failed, .message = std::move(why)};
    };
    if (!o) return failed("the client's answer is not an object");
    switch (kind) {
        case sdk::ClientRequestKind::elicitation: {
            const bj::value* action = o->if_contains("action");
            if (action && *action == "accept") {
                const bj::value* content = o->if_contains("content");
                if (content && !content->is_object())
                    return failed(
                        "the client's elicitation answer has a content that is not an "
                        "object");
                return {.outcome = ClientOutcome::answered,
                        .result = content ? content->get_object() : bj::object{}};
            }
            if (action && *action == "decline")
                return {.outcome = ClientOutcome::declined, .message = "the user declined"};
            if (action && *action == "cancel")
                return {.outcome = ClientOutcome::cancelled,
                        .message = "the user dismissed the question"};
            return failed(
                "the client's elicitation answer has no action accept, decline or cancel");
        }
        case sdk::ClientRequestKind::sampling:
            if (!o->contains("content") || !o->contains("role"))
                return failed("the client's sampling answer has no role and content");
            return {.outcome = ClientOutcome::answered, .result = *o};
        case sdk::ClientRequestKind::roots:
            if (const bj::value* roots = o->if_contains("roots"); !roots || !roots->is_array())
                return failed("the client's roots answer has no roots array");
            return {.outcome = ClientOutcome::answered, .result = *o};
    }
    return failed("unknown question");
}

SharedCapabilities request_client_capabilities(const Message& msg, bool modern,
                                               const SharedCapabilities& initialized) {
    if (!modern) return initialized;
    const bj::value* meta = msg.params.if_contains("_meta");
    const bj::value* caps = meta && meta->is_object()
                                ? meta->get_object().if_contains(kMetaClientCapabilities)
                                : nullptr;
    return std::make_shared<const bj::object>(caps && caps->is_object() ? caps->get_object()
                                                                        : bj::object{});
}

std::variant<InputRound, RpcError> read_input_round(const Message& msg, const std::string& tool,
                                                    const bj::object& arguments) {
    const auto invalid = [&](std::string text) {
        return RpcError{rpc_error::invalid_params, "invalid params: " + std::move(text), nullptr,
                        msg.id};
    };
    InputRound round{.method = msg.method,
                     .tool = tool,
                     .arguments_digest = sha256_hex(sdk::json::compact(arguments))};
    if (const bj::value* state = msg.params.if_contains("requestState")) {
        if (!state->is_string())
            return invalid("params.requestState must be the string an input-required result gave");
        auto opened = RequestStateCodec::process().open(state->get_string());
        if (auto* why = std::get_if<std::string>(&opened)) return invalid(*why);
        auto& content = std::get<RequestStateContent>(opened);
        if (content.method != round.method || content.name != tool ||
            content.arguments != round.arguments_digest)
            return invalid(
                "requestState belongs to another call (another method, tool, prompt or other "
                "arguments)");
        round.known = std::move(content.responses);
    }
    if (const bj::value* responses = msg.params.if_contains("inputResponses")) {
        if (!responses->is_object())
            return invalid(
                "params.inputResponses must be an object: input key -> the client's result");
        for (const auto& [key, value] : responses->get_object()) {
            if (!value.is_object())
                return invalid("params.inputResponses." + sdk::text::sanitize(key, 64) +
                               " must be an object (an elicitation, sampling or roots result)");
            // An answer the signed state holds already stays as it was.
            if (!round.known.contains(key)) round.known[key] = value;
        }
    }
    return round;
}

std::variant<bj::object, RpcError> input_required_result(const InputRound& round,
                                                         const bj::value& id) {
    auto state = RequestStateCodec::process().seal({.method = round.method,
                                                    .name = round.tool,
                                                    .arguments = round.arguments_digest,
                                                    .responses = round.used});
    if (!state)
        return RpcError{rpc_error::internal_error,
                        "internal error: the answers gathered for '" + round.tool +
                            "' exceed the requestState limit (" +
                            std::to_string(RequestStateCodec::process().max_bytes()) + " bytes)",
                        nullptr, id};
    return bj::object{{"inputRequests", round.requests}, {"requestState", std::move(*state)}};
}

std::optional<std::variant<bj::object, RpcError>> answer_for_asking(const McpCallContext& ctx,
                                                                    bool modern, bool ran_to_end,
                                                                    const bj::value& id) {
    if (!modern) return std::nullopt;
    if (!ctx.missing_capabilities().empty()) {
        std::string names;
        for (const auto& [name, v] : ctx.missing_capabilities())
            names += (names.empty() ? "" : ", ") + std::string(name);
        return RpcError{kMissingClientCapability, "Missing required client capability: " + names,
                        bj::object{{"requiredCapabilities", ctx.missing_capabilities()}}, id};
    }
    const auto& round = ctx.round();
    if (!round || (ran_to_end && round->requests.empty())) return std::nullopt;
    auto answer = input_required_result(*round, id);
    if (auto* result = std::get_if<bj::object>(&answer)) return std::move(*result);
    return std::get<RpcError>(std::move(answer));
}

namespace {

// However the asking ends (answers, deadline, an exception from a cancelled wait), none of
// its ids stays in the table: a leaked one would hold a slot of the session's bound.
struct ForgetOnExit {
    PendingClientRequests& pending;
    std::vector<std::string> ids;
    ~ForgetOnExit() {
        for (const auto& id : ids) pending.forget(id);
    }
};

// The questions of one 2025-era ask_client call, sent and awaited.
boost::asio::awaitable<std::vector<sdk::ClientAnswer>> ask_over_the_wire(
    McpSession& session, const bj::value& request_id, std::vector<sdk::ClientRequest>& questions,
    std::vector<sdk::ClientAnswer>& answers, std::stop_token stop) {
    auto& pending = session.client_requests();
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::seconds(session.host().config().client_request_seconds);
    std::vector<std::optional<PendingClientRequests::Slot>> slots(questions.size());
    ForgetOnExit forget{.pending = pending, .ids = {}};
    for (std::size_t i = 0; i < questions.size(); ++i) {
        if (answers[i].outcome == sdk::ClientOutcome::unsupported) continue;
        slots[i] = pending.open(deadline);
        if (slots[i]) forget.ids.push_back(slots[i]->id);
        if (!slots[i]) {
            answers[i] = {.outcome = sdk::ClientOutcome::failed,
                          .message = "too many questions to the client are waiting for answers (" +
                                     std::to_string(pending.limit()) +
                                     ", server.max_client_requests)"};
            continue;
        }
        session.send_related(bj::object{{"jsonrpc", "2.0"},
                                        {"id", slots[i]->id},
                                        {"method", method_of(questions[i].kind)},
                                        {"params", questions[i].params}},
                             request_id);
    }
    for (std::size_t i = 0; i < questions.size(); ++i) {
        if (!slots[i]) continue;
        auto& waiter = *slots[i]->waiter;
        if (!stop.stop_requested()) {  // once cancelled, the rest is withdrawn unawaited
            auto waiting = PendingClientRequests::wait(waiter);
            co_await std::move(waiting);
        }
        const auto& reply = waiter.reply;
        switch (reply.kind) {
            case ClientReply::Kind::result:
                answers[i] = interpret_client_result(questions[i].kind, reply.body);
                break;
            case ClientReply::Kind::error: {
                std::string text = "the client answered with an error";
                if (const auto* e = reply.body.if_object())
                    if (const auto* m = e->if_contains("message"); m && m->is_string())
                        text += ": " + sdk::text::sanitize(m->get_string(), 300);
                answers[i] = {.outcome = sdk::ClientOutcome::failed, .message = text};
                break;
            }
            case ClientReply::Kind::gone:
                answers[i] = {.outcome = sdk::ClientOutcome::failed, .message = reply.why};
                break;
            case ClientReply::Kind::pending: {
                // Deadline or cancellation: stop waiting, and tell the client to stop asking.
                pending.forget(slots[i]->id);
                const bool cancelled = stop.stop_requested();
                session.send_related(
                    make_notification(
                        "notifications/cancelled",
                        bj::object{{"requestId", slots[i]->id},
                                   {"reason", cancelled ? "the tool call was cancelled"
                                                        : "no answer in time"}}),
                    request_id);
                answers[i] =
                    cancelled
                        ? sdk::ClientAnswer{.outcome = sdk::ClientOutcome::cancelled,
                                            .message = "the tool call was cancelled"}
                        : sdk::ClientAnswer{
                              .outcome = sdk::ClientOutcome::failed,
                              .message =
                                  "the client did not answer within " +
                                  std::to_string(session.host().config().client_request_seconds) +
                                  " s (server.client_request_seconds)"};
                break;
            }
        }
    }
    co_return answers;
}

}  // namespace

boost::asio::awaitable<std::vector<sdk::ClientAnswer>> McpCallContext::ask_client(
    std::vector<sdk::ClientRequest> questions, sdk::WhenUnsupported when) {
    std::vector<sdk::ClientAnswer> answers(questions.size());
    bj::object lacking;
    for (std::size_t i = 0; i < questions.size(); ++i) {
        auto& q = questions[i];
        if (q.key.empty()) q.key = "q" + std::to_string(questions_ + 1);
        ++questions_;
        const auto capability = sdk::capability_of(q.kind);
        if (client_capabilities_ && client_capabilities_->contains(capability)) {
            answers[i].outcome = sdk::ClientOutcome::answered;  // to be asked
            continue;
        }
        lacking[capability] = bj::object{};
        answers[i] = {
            .outcome = sdk::ClientOutcome::unsupported,
            .message = "the client did not declare the " + std::string(capability) + " capability"};
    }
    if (!lacking.empty() && when == sdk::WhenUnsupported::refuse) {
        std::string names;
        for (const auto& [name, v] : lacking)
            names += (names.empty() ? "" : ", ") + std::string(name);
        missing_ = lacking;
        throw sdk::MissingClientCapability(
            "this needs the client capability " + names + ", which the client did not declare",
            bj::object{{"requiredCapabilities", std::move(lacking)}});
    }
    if (!rev_.modern) {
        auto asking = ask_over_the_wire(server_, request_id_, questions, answers, stop_);
        co_return co_await std::move(asking);  // call, then await: see sdk/blocking.hpp
    }

    // A call that became a task waits for its answers on the task (tasks/update).
    if (task_) {
        auto waiting =
            ask_within_task(server_.tasks(), task_, questions, std::move(answers), round_, stop_);
        co_return co_await std::move(waiting);
    }

    // 2026-07-28: the answers are in the round, or the run stops to ask for them.
    bool stop_to_ask = false;
    for (std::size_t i = 0; i < questions.size(); ++i) {
        if (answers[i].outcome == sdk::ClientOutcome::unsupported) continue;
        const auto& q = questions[i];
        if (const bj::value* known = round_ ? round_->known.if_contains(q.key) : nullptr) {
            answers[i] = interpret_client_result(q.kind, *known);
            round_->used[q.key] = *known;
        } else if (round_) {
            round_->requests[q.key] =
                bj::object{{"method", method_of(q.kind)}, {"params", q.params}};
            stop_to_ask = true;
        } else {
            answers[i] = {.outcome = sdk::ClientOutcome::unsupported,
                          .message = "this request cannot ask its client"};
        }
    }
    if (stop_to_ask) throw RunAbandoned{};
    co_return answers;
}

}  // namespace schedcp::host::mcp
