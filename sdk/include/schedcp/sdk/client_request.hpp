// Asking the client while a tool runs: the user (elicitation), the client's model
// (sampling) or the client's roots. The same call works whatever protocol revision and
// transport the caller uses; the host does the asking (2025 revisions: a request to the
// client; MCP 2026-07-28: an input-required result, after which the tool is run again
// with the answers, see CallContext::ask_client).
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk {

enum class ClientRequestKind {
    elicitation,  // elicitation/create: params {message, requestedSchema}
    sampling,     // sampling/createMessage: params {messages, maxTokens, ...}
    roots,        // roots/list: params {}
};

// The client capability a kind needs ("elicitation", "sampling", "roots").
SCHEDCP_SDK_API std::string_view capability_of(ClientRequestKind kind) noexcept;

struct ClientRequest {
    ClientRequestKind kind = ClientRequestKind::elicitation;
    boost::json::object params;  // the request's params exactly as the client gets them
    // Names the question among the call's questions (MCP 2026-07-28 inputRequests keys). It
    // must be the same each time the handler runs for the same call, so derive it from the
    // question, not from time or chance; empty: "q<N>", N counting the call's questions.
    std::string key;
};

enum class ClientOutcome {
    answered,     // `result` holds the answer
    declined,     // elicitation: the user said no
    cancelled,    // elicitation: the user dismissed the question, or the tool call was cancelled
    unsupported,  // the client cannot be asked this (no capability, or a caller such as the
                  // CLI that has no client): nothing was asked
    failed,       // the client answered with an error or nonsense, did not answer in time,
                  // or went away; `message` says which
};

struct ClientAnswer {
    ClientOutcome outcome = ClientOutcome::unsupported;
    // answered: elicitation -> the accepted content (an object, possibly empty);
    // sampling -> the CreateMessageResult {role, content, model, stopReason?};
    // roots -> {"roots": [{uri, name?}...]}.
    boost::json::object result;
    std::string message;  // not answered: why, in a sentence
    bool answered() const { return outcome == ClientOutcome::answered; }
};

// What ask_client does when the client lacks a capability a question needs.
enum class WhenUnsupported {
    answer,  // that question's answer is `unsupported` (the handler decides what to do)
    refuse,  // throw MissingClientCapability: the whole call fails (MCP 2026-07-28 answers
             // -32021 with data.requiredCapabilities; older revisions get the error result)
};

// Thrown by ask_client(..., WhenUnsupported::refuse). details():
// {"requiredCapabilities": {"sampling": {}, ...}}.
class SCHEDCP_SDK_API MissingClientCapability : public Error {
  public:
    explicit MissingClientCapability(const std::string& message, boost::json::value details)
        : Error(ErrorCode::unavailable, message, std::move(details)) {}
    ~MissingClientCapability() override;
};

}  // namespace schedcp::sdk
