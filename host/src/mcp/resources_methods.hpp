// The MCP methods for what plugins register besides tools: resources (resources/list,
// resources/templates/list, resources/read, resources/subscribe, resources/unsubscribe),
// prompts (prompts/list, prompts/get) and completion/complete. One per McpSession; the
// eras hand it every request they do not serve themselves.
//
// How the revisions differ here (decided from the Revision, as everywhere):
//  - a URI that names nothing: 2026-07-28 answers -32602 with data.uri (SEP-2164), the
//    2025 revisions -32002 ("resource not found") with data.uri;
//  - subscriptions: resources/subscribe and resources/unsubscribe in the 2025 revisions
//    (notifications/resources/updated to the session), subscriptions/listen in 2026-07-28
//    (subscriptions_listen.hpp); both declare resources.subscribe;
//  - 2026-07-28 results of the lists and of resources/read carry ttlMs and cacheScope;
//  - titles from 2025-06-18, the `completions` capability from 2025-03-26.
// Every list has one page: what plugins register is fixed once they are loaded and stays
// small (a cursor other than "" is refused as unknown, as for tools/list).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "ask_client.hpp"
#include "jsonrpc.hpp"
#include "revision.hpp"
#include "schedcp/sdk/call_context.hpp"

namespace schedcp::host {
class ResourcePromptRegistry;
}

namespace schedcp::host::mcp {

class McpSession;

class ResourcePromptMethods {
  public:
    explicit ResourcePromptMethods(McpSession& session) : session_(session) {}

    // Whether `method` is one of these methods in some revision.
    static bool is_method(std::string_view method);
    // Answers `msg` (possibly later, when a plugin's handler finishes) and returns true when
    // its method is one of these and served by this server in `rev`; else returns false
    // and sends nothing.
    bool handle(const Message& msg, const Revision& rev);
    // ", resources/list, ..." for the methods served in `rev` (error texts list them).
    static std::string offered(const ResourcePromptRegistry& registry, const Revision& rev);
    // Adds resources, prompts and completions to a capabilities object, as `rev` has them.
    static void declare_capabilities(boost::json::object& caps,
                                     const ResourcePromptRegistry& registry, const Revision& rev);

    // A plugin said `uri` changed: tell the client if it subscribed.
    void on_resource_updated(const std::string& uri);

  private:
    using Outcome = std::variant<boost::json::object, RpcError>;
    using Work = std::function<boost::asio::awaitable<Outcome>(sdk::CallContext&)>;

    void list_resources(const Message& msg, const Revision& rev);
    void list_templates(const Message& msg, const Revision& rev);
    void read(const Message& msg, const Revision& rev);
    void subscribe(const Message& msg, const Revision& rev, bool on);
    // subscriptions/listen (2026-07-28): subscriptions_listen.cpp.
    void listen(const Message& msg, const Revision& rev);
    void list_prompts(const Message& msg, const Revision& rev);
    void get_prompt(const Message& msg, const Revision& rev);
    void complete(const Message& msg, const Revision& rev);

    // Answers a list, with the 2026-07-28 cache hints (the lists are fixed: public).
    void reply_list(const Message& msg, const Revision& rev, boost::json::object result);
    // Runs a plugin's handler as a running request of the session (cancellable, counted
    // against server.max_concurrent_requests) and answers with what it produced.
    // With `asking`, the handler may ask the client (a prompt: elicitation, sampling,
    // roots), as a tool call may: over the wire in 2025, by an input-required result in
    // 2026-07-28 (the round read from the request).
    struct Asking {
        SharedCapabilities client_capabilities;
        std::optional<InputRound> round;
    };
    void spawn(const Message& msg, const Revision& rev, const std::string& plugin, Work work,
               std::optional<Asking> asking = std::nullopt);

    McpSession& session_;
    std::set<std::string, std::less<>> subscriptions_;
    bool listening_ = false;
};

}  // namespace schedcp::host::mcp
