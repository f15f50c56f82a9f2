// CallContext's questions to the client: the one-question helpers over ask_client, and
// the default ask_client of callers that have no client to ask.
#include "schedcp/sdk/client_request.hpp"

#include "schedcp/sdk/call_context.hpp"

namespace schedcp::sdk {

namespace bj = boost::json;

std::string_view capability_of(ClientRequestKind kind) noexcept {
    switch (kind) {
        case ClientRequestKind::elicitation:
            return "elicitation";
        case ClientRequestKind::sampling:
            return "sampling";
        case ClientRequestKind::roots:
            return "roots";
    }
    return "elicitation";
}

MissingClientCapability::~MissingClientCapability() = default;

// Callers without an MCP client (the CLI) never make a call a task.
void CallContext::run_as_task() {}

boost::asio::awaitable<std::vector<ClientAnswer>> CallContext::ask_client(
    std::vector<ClientRequest> questions, WhenUnsupported when) {
    bj::object required;
    for (const auto& q : questions) required[capability_of(q.kind)] = bj::object{};
    if (when == WhenUnsupported::refuse && !questions.empty())
        throw MissingClientCapability(
            "this caller cannot answer questions (it is not an MCP client)",
            bj::object{{"requiredCapabilities", std::move(required)}});
    std::vector<ClientAnswer> answers(questions.size());
    for (auto& a : answers)
        a = {.outcome = ClientOutcome::unsupported,
             .message = "this caller cannot answer questions (it is not an MCP client)"};
    co_return answers;
}

namespace {

boost::asio::awaitable<ClientAnswer> ask_one(CallContext& ctx, ClientRequest question,
                                             WhenUnsupported when) {
    std::vector<ClientRequest> questions;
    questions.push_back(std::move(question));
    auto asking = ctx.ask_client(std::move(questions), when);  // call, then await: blocking.hpp
    auto answers = co_await std::move(asking);
    co_return std::move(answers.at(0));
}

}  // namespace

boost::asio::awaitable<ClientAnswer> CallContext::elicit(std::string message,
                                                         bj::object requested_schema,
                                                         std::string key, WhenUnsupported when) {
    return ask_one(*this,
                   {.kind = ClientRequestKind::elicitation,
                    .params = bj::object{{"message", std::move(message)},
                                         {"requestedSchema", std::move(requested_schema)}},
                    .key = std::move(key)},
                   when);
}

boost::asio::awaitable<ClientAnswer> CallContext::sample(bj::object params, std::string key,
                                                         WhenUnsupported when) {
    return ask_one(
        *this,
        {.kind = ClientRequestKind::sampling, .params = std::move(params), .key = std::move(key)},
        when);
}

boost::asio::awaitable<ClientAnswer> CallContext::list_roots(std::string key,
                                                             WhenUnsupported when) {
    return ask_one(*this, {.kind = ClientRequestKind::roots, .params = {}, .key = std::move(key)},
                   when);
}

}  // namespace schedcp::sdk
