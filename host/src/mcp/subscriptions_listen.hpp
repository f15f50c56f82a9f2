// subscriptions/listen (MCP 2026-07-28, SEP-2575): the stateless era's way to hear of
// changes. A client opens a long-lived request with a filter (`notifications`:
// toolsListChanged, promptsListChanged, resourcesListChanged, resourceSubscriptions); the
// server answers with notifications on that request's stream (HTTP: its SSE response;
// stdio: stdout), the first being notifications/subscriptions/acknowledged with the part of
// the filter it honours, every one carrying `_meta["io.modelcontextprotocol/subscriptionId"]`
// = the listen request's id. It replaces 2025's resources/subscribe and the HTTP GET stream.
//
// What schedcp honours: resourceSubscriptions (notifications/resources/updated, fed by the
// plugins' PluginContext::notify_resource_updated). The tool, prompt and resource lists never
// change once plugins are loaded, so the list-changed types are left out of the
// acknowledgement (the revision: types the server does not support are omitted).
//
// A listen ends when the client cancels it (notifications/cancelled, or it closes the
// connection: HTTP sends a keep-alive comment every 25 s to find out), when its session
// ends, or after `server.http.session_idle_seconds` without a notification: then with
// the revision's graceful result (SubscriptionsListenResult: `resultType` and the
// subscriptionId in `_meta`), after which the client listens again.
//
// Bounds, process-wide (every transport and session): kMaxListenUris URIs per listen,
// kMaxListensPerPrincipal open listens per principal (token id; `local` without auth),
// kMaxListens in all. Beyond them: -31000 (server busy) naming the limit.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "jsonrpc.hpp"

namespace schedcp::host {
class ResourcePromptRegistry;
}

namespace schedcp::host::mcp {

inline constexpr std::string_view kMetaSubscriptionId = "io.modelcontextprotocol/subscriptionId";

inline constexpr std::size_t kMaxListenUris = 256;
inline constexpr std::size_t kMaxListensPerPrincipal = 16;
inline constexpr std::size_t kMaxListens = 64;

// What a listen asked for and schedcp honours.
struct ListenFilter {
    std::vector<std::string> resource_uris;  // each resolves to a resource or template
};

// params.notifications checked: an object; resourceSubscriptions, when present, an array of
// at most kMaxListenUris absolute URIs that each name a resource of this server (else
// -32602, with data.uri for the first URI that names nothing); the list-changed fields,
// when present, booleans.
std::variant<ListenFilter, RpcError> parse_listen_filter(const Message& msg,
                                                         const ResourcePromptRegistry& registry);

// One open listen counted against the bounds; released when destroyed (loop thread only).
class ListenSlot {
  public:
    // nullptr and `refusal` set when a bound is reached.
    static std::unique_ptr<ListenSlot> take(const std::string& principal, const Message& msg,
                                            RpcError& refusal);
    ~ListenSlot();
    ListenSlot(const ListenSlot&) = delete;
    ListenSlot& operator=(const ListenSlot&) = delete;

    // Open listens now (for tests and logs).
    static std::size_t open();

  private:
    explicit ListenSlot(std::string principal) : principal_(std::move(principal)) {}
    std::string principal_;
};

// notifications/subscriptions/acknowledged for the listen `id`.
boost::json::object listen_acknowledgement(const ListenFilter& filter,
                                           const boost::json::value& id);
// notifications/resources/updated for `uri`, delivered on the listen `id`.
boost::json::object listen_resource_updated(const std::string& uri, const boost::json::value& id);
// The graceful end's result (before ModernEra::finish adds resultType and serverInfo).
boost::json::object listen_ended_result(const boost::json::value& id);

}  // namespace schedcp::host::mcp
