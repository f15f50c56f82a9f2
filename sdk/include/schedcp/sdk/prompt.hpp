// Prompt specs: what a plugin registers to offer MCP prompts, message templates a user
// picks (e.g. a slash command) to start a conversation with the model in a known way.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "schedcp/sdk/call_context.hpp"
#include "schedcp/sdk/completion.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/tool.hpp"

namespace schedcp::sdk {

struct PromptArgument {
    std::string name;  // [A-Za-z][A-Za-z0-9_]{0,63}, unique within the prompt
    std::string title;
    std::string description;
    bool required = false;  // the host refuses prompts/get without it
    Completer complete;     // optional
};

// One message of a prompt: text, or one content item (image, audio, embedded resource).
struct PromptMessage {
    enum class Role { user, assistant };
    Role role = Role::user;
    std::string text;                // when `content` is empty
    std::optional<Content> content;  // an image, audio or an embedded resource

    static PromptMessage user_text(std::string text) {
        return PromptMessage{.role = Role::user, .text = std::move(text)};
    }
    static PromptMessage assistant_text(std::string text) {
        return PromptMessage{.role = Role::assistant, .text = std::move(text)};
    }
    static PromptMessage user(Content content) {
        return PromptMessage{.role = Role::user, .content = std::move(content)};
    }
};

struct PromptResult {
    std::string description;  // optional, for this instance of the prompt
    std::vector<PromptMessage> messages;
};

// Arguments as the client sent them: every required argument is present (the host checks),
// values are strings, and no argument the spec does not declare is passed on.
using PromptArguments = std::map<std::string, std::string>;

// Builds the messages. Throwing sdk::InvalidArgument or sdk::NotFound answers the client
// with invalid params and the message (an argument that makes no sense, a workload that
// does not exist); anything else is an internal error.
using PromptHandler =
    std::function<boost::asio::awaitable<PromptResult>(const PromptArguments&, CallContext&)>;

struct PromptSpec {
    std::string name;         // [a-z][a-z0-9_]{0,63}; unique across all plugins
    std::string title;        // short human name
    std::string description;  // required
    std::vector<PromptArgument> arguments;
    PromptHandler handler;
};

}  // namespace schedcp::sdk
