#include "subscriptions_listen.hpp"

#include <chrono>
#include <map>
#include <set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "../resource_prompt_registry.hpp"
#include "resources_methods.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/text.hpp"
#include "session.hpp"

namespace schedcp::host::mcp {

namespace bj = boost::json;

namespace {

constexpr std::string_view kListChangedFields[] = {"toolsListChanged", "promptsListChanged",
                                                   "resourcesListChanged"};

RpcError filter_error(const Message& msg, std::string text, bj::value data = nullptr) {
    return RpcError{rpc_error::invalid_params,
                    "invalid params: subscriptions/listen " + std::move(text), std::move(data),
                    msg.id};
}

// Open listens per principal; touched on the event loop only (McpSessions live there).
struct OpenListens {
    std::map<std::string, std::size_t, std::less<>> per_principal;
    std::size_t total = 0;
};
OpenListens& open_listens() {
    static OpenListens open;
    return open;
}

}  // namespace

std::variant<ListenFilter, RpcError> parse_listen_filter(const Message& msg,
                                                         const ResourcePromptRegistry& registry) {
    const bj::value* n = msg.params.if_contains("notifications");
    if (!n || !n->is_object())
        return filter_error(msg,
                            "needs params.notifications, an object naming what to listen for "
                            "(resourceSubscriptions: [URI, ...])");
    const bj::object& filter = n->get_object();
    for (std::string_view field : kListChangedFields)
        if (const bj::value* v = filter.if_contains(field); v && !v->is_bool())
            return filter_error(
                msg, "params.notifications." + std::string(field) + " must be a boolean");
    ListenFilter out;
    const bj::value* uris = filter.if_contains("resourceSubscriptions");
    if (!uris) return out;
    if (!uris->is_array())
        return filter_error(msg,
                            "params.notifications.resourceSubscriptions must be an array of URIs");
    const bj::array& list = uris->get_array();
    if (list.size() > kMaxListenUris)
        return filter_error(msg, "params.notifications.resourceSubscriptions has " +
                                     std::to_string(list.size()) + " URIs; at most " +
                                     std::to_string(kMaxListenUris) + " per listen");
    std::set<std::string, std::less<>> seen;
    for (const bj::value& v : list) {
        if (!v.is_string())
            return filter_error(msg, "params.notifications.resourceSubscriptions holds " +
                                         sdk::json::compact(v) + ", not a URI string");
        std::string uri(v.get_string());
        if (auto problem = uri_problem(uri); !problem.empty())
            return filter_error(msg, "resource URI " + problem, bj::object{{"uri", uri}});
        if (!registry.resolve(uri))
            return filter_error(msg,
                                "Resource not found: no resource or resource template matches '" +
                                    sdk::text::sanitize(uri, 200) + "'",
                                bj::object{{"uri", uri}});
        if (seen.insert(uri).second) out.resource_uris.push_back(std::move(uri));
    }
    return out;
}

std::unique_ptr<ListenSlot> ListenSlot::take(const std::string& principal, const Message& msg,
                                             RpcError& refusal) {
    auto& open = open_listens();
    auto& mine = open.per_principal[principal];
    std::string why;
    if (mine >= kMaxListensPerPrincipal)
        why = std::to_string(mine) + " listens are open for '" +
              sdk::text::sanitize(principal, 80) + "', the limit per client";
    else if (open.total >= kMaxListens)
        why = std::to_string(open.total) + " listens are open, the server's limit";
    if (!why.empty()) {
        if (mine == 0) open.per_principal.erase(principal);
        refusal = RpcError{rpc_error::server_busy,
                           "server busy: " + why + "; cancel one (or let it end) and listen again",
                           nullptr, msg.id};
        return nullptr;
    }
    ++mine;
    ++open.total;
    return std::unique_ptr<ListenSlot>(new ListenSlot(principal));
}

ListenSlot::~ListenSlot() {
    auto& open = open_listens();
    --open.total;
    if (auto it = open.per_principal.find(principal_); it != open.per_principal.end())
        if (--it->second == 0) open.per_principal.erase(it);
}

std::size_t ListenSlot::open() {
    return open_listens().total;
}

bj::object listen_acknowledgement(const ListenFilter& filter, const bj::value& id) {
    bj::object honoured;
    if (!filter.resource_uris.empty()) {
        bj::array uris;
        for (const auto& u : filter.resource_uris) uris.emplace_back(u);
        honoured["resourceSubscriptions"] = std::move(uris);
    }
    return make_notification("notifications/subscriptions/acknowledged",
                             bj::object{{"notifications", std::move(honoured)},
                                        {"_meta", bj::object{{kMetaSubscriptionId, id}}}});
}

bj::object listen_resource_updated(const std::string& uri, const bj::value& id) {
    return make_notification(
        "notifications/resources/updated",
        bj::object{{"uri", uri}, {"_meta", bj::object{{kMetaSubscriptionId, id}}}});
}

bj::object listen_ended_result(const bj::value& id) {
    return bj::object{{"_meta", bj::object{{kMetaSubscriptionId, id}}}};
}

// ------------------------------------------------------------------ the request

namespace {

// A running listen: what the registry's update listener needs, owned by the request's
// coroutine (the registry holds it weakly, so the listener goes with the request).
struct RunningListen {
    RunningListen(boost::asio::any_io_executor ex, std::chrono::seconds idle)
        : idle_timer(std::move(ex)), idle(idle) {}
    boost::asio::steady_timer idle_timer;  // expires after `idle` without a notification
    std::chrono::seconds idle;
};

}  // namespace

void ResourcePromptMethods::listen(const Message& msg, const Revision& rev) {
    auto& registry = session_.host().resources_and_prompts();
    auto filter_or = parse_listen_filter(msg, registry);
    if (auto* err = std::get_if<RpcError>(&filter_or)) {
        session_.reply_error(std::move(*err));
        return;
    }
    RpcError refusal{};
    std::shared_ptr<ListenSlot> slot = ListenSlot::take(session_.principal().id, msg, refusal);
    if (!slot) {
        session_.reply_error(std::move(refusal));
        return;
    }
    const std::chrono::seconds idle(session_.host().config().http.session_idle_seconds);
    std::weak_ptr<McpSession> weak = session_.shared_from_this();
    spawn(msg, rev, {},
          [weak, &registry, id = msg.id, idle, slot,
           filter = std::get<ListenFilter>(std::move(filter_or))](
              sdk::CallContext& ctx) -> boost::asio::awaitable<Outcome> {
              auto running = std::make_shared<RunningListen>(ctx.executor(), idle);
              if (auto s = weak.lock()) s->send_related(listen_acknowledgement(filter, id), id);
              if (!filter.resource_uris.empty()) {
                  std::set<std::string, std::less<>> uris(filter.resource_uris.begin(),
                                                          filter.resource_uris.end());
                  std::weak_ptr<RunningListen> alive = running;
                  registry.listen(running, [weak, alive, id, uris](const std::string& uri) {
                      auto s = weak.lock();
                      auto r = alive.lock();
                      if (!s || !r || s->closed() || !uris.contains(uri)) return;
                      s->send_related(listen_resource_updated(uri, id), id);
                      r->idle_timer.expires_after(r->idle);  // wakes the wait: it waits again
                  });
              }
              running->idle_timer.expires_after(idle);
              try {
                  for (;;) {
                      auto [ec] = co_await running->idle_timer.async_wait(
                          boost::asio::as_tuple(boost::asio::use_awaitable));
                      if (ctx.cancelled()) break;  // cancelled or its session ended: no answer
                      if (!ec) break;              // idle: ended with the graceful result
                  }
              } catch (const boost::system::system_error&) {
                  // The request was cancelled while waiting: nothing is answered.
              }
              co_return listen_ended_result(id);
          });
}

}  // namespace schedcp::host::mcp
