#include "resources_methods.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/json/parse.hpp>

#include "../logging.hpp"
#include "../plugin_context_impl.hpp"
#include "../resource_prompt_registry.hpp"
#include "../tool_invoker.hpp"
#include "call_context.hpp"
#include "era.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"
#include "schedcp/sdk/text.hpp"
#include "session.hpp"
#include "tool_answer.hpp"

namespace schedcp::host::mcp {

namespace bj = boost::json;

namespace {

// What plugins register is fixed for the life of the process, like the tool set.
constexpr std::int64_t kListTtlMs = 3600 * 1000;
// Per session: a client cannot make the server remember unbounded URIs.
constexpr std::size_t kMaxSubscriptions = 256;
constexpr std::size_t kMaxArgumentBytes = 64 * 1024;
constexpr std::size_t kMaxCompletionValues = 100;  // the revisions' limit per answer

// The resource-not-found code of the 2025 revisions (SEP-2164 replaced it with -32602).
constexpr int kLegacyResourceNotFound = -32002;

constexpr std::string_view kMethods[] = {
    "resources/list",        "resources/templates/list", "resources/read", "resources/subscribe",
    "resources/unsubscribe", "subscriptions/listen",     "prompts/list",   "prompts/get",
    "completion/complete"};

bool serves_resources(const ResourcePromptRegistry& r) {
    return !r.resources().empty() || !r.templates().empty();
}
bool serves_prompts(const ResourcePromptRegistry& r) {
    return !r.prompts().empty();
}
// completion/complete answers for any prompt argument or template variable (no values
// where the plugin offers no completer).
bool serves_completions(const ResourcePromptRegistry& r) {
    return !r.templates().empty() || !r.prompts().empty();
}
// resources/subscribe and resources/unsubscribe: the 2025 revisions; 2026-07-28 has
// subscriptions/listen instead.
bool has_subscribe_methods(const Revision& rev) {
    return !rev.modern;
}
// 2024-11-05 had completion/complete but no capability to declare it.
bool has_completions_capability(const Revision& rev) {
    return rev.version != "2024-11-05";
}

RpcError invalid_params(const Message& msg, std::string text, bj::value data = nullptr) {
    return RpcError{rpc_error::invalid_params, "invalid params: " + std::move(text),
                    std::move(data), msg.id};
}

// The one-page rule of every list (tools/list has the same).
std::optional<RpcError> cursor_problem(const Message& msg) {
    if (auto c = msg.params.find("cursor"); c != msg.params.end() && !c->value().is_null())
        if (!c->value().is_string() || !c->value().get_string().empty())
            return invalid_params(msg, "unknown cursor (" + msg.method + " has one page)");
    return std::nullopt;
}

// params.<key> as a string, or the error naming it.
std::variant<std::string, RpcError> string_param(const Message& msg, std::string_view key,
                                                 std::string_view what) {
    auto it = msg.params.find(key);
    if (it == msg.params.end() || !it->value().is_string())
        return invalid_params(
            msg, msg.method + " needs params." + std::string(key) + ", " + std::string(what));
    return std::string(it->value().get_string());
}

RpcError resource_not_found(const Message& msg, const Revision& rev, const std::string& uri,
                            const std::string& why) {
    return RpcError{rev.modern ? rpc_error::invalid_params : kLegacyResourceNotFound,
                    "Resource not found: " + why, bj::object{{"uri", uri}}, msg.id};
}

void add_texts(bj::object& o, const Revision& rev, const std::string& title,
               const std::string& description, const std::string& mime_type = {}) {
    if (rev.titles && !title.empty()) o["title"] = title;
    if (!description.empty()) o["description"] = description;
    if (!mime_type.empty()) o["mimeType"] = mime_type;
}

bj::object contents_json(const sdk::ResourceContents& c) {
    bj::object o{{"uri", c.uri}};
    if (!c.mime_type.empty()) o["mimeType"] = c.mime_type;
    if (c.binary)
        o["blob"] = c.blob;
    else
        o["text"] = c.text;
    return o;
}

bj::value message_content(const sdk::PromptMessage& m) {
    if (!m.content) return bj::object{{"type", "text"}, {"text", m.text}};
    std::string out;
    append_content(out, *m.content);
    return bj::parse(out);
}

std::string plugin_error_text(const std::exception& e) {
    return sdk::text::sanitize(e.what(), 2048);
}

}  // namespace

bool ResourcePromptMethods::is_method(std::string_view method) {
    for (auto m : kMethods)
        if (m == method) return true;
    return false;
}

std::string ResourcePromptMethods::offered(const ResourcePromptRegistry& registry,
                                           const Revision& rev) {
    std::string out;
    if (serves_resources(registry)) {
        out += ", resources/list, resources/templates/list, resources/read";
        out += has_subscribe_methods(rev) ? ", resources/subscribe, resources/unsubscribe"
                                          : ", subscriptions/listen";
    }
    if (serves_prompts(registry)) out += ", prompts/list, prompts/get";
    if (serves_completions(registry)) out += ", completion/complete";
    return out;
}

void ResourcePromptMethods::declare_capabilities(bj::object& caps,
                                                 const ResourcePromptRegistry& registry,
                                                 const Revision& rev) {
    if (serves_resources(registry)) {
        bj::object resources{{"listChanged", false}};
        resources["subscribe"] = true;  // 2026-07-28: through subscriptions/listen
        caps["resources"] = std::move(resources);
    }
    if (serves_prompts(registry)) caps["prompts"] = bj::object{{"listChanged", false}};
    if (serves_completions(registry) && has_completions_capability(rev))
        caps["completions"] = bj::object{};
}

bool ResourcePromptMethods::handle(const Message& msg, const Revision& rev) {
    const auto& registry = session_.host().resources_and_prompts();
    const std::string& m = msg.method;
    const bool resources = serves_resources(registry);
    if (resources && m == "resources/list")
        list_resources(msg, rev);
    else if (resources && m == "resources/templates/list")
        list_templates(msg, rev);
    else if (resources && m == "resources/read")
        read(msg, rev);
    else if (resources && has_subscribe_methods(rev) && m == "resources/subscribe")
        subscribe(msg, rev, true);
    else if (resources && has_subscribe_methods(rev) && m == "resources/unsubscribe")
        subscribe(msg, rev, false);
    else if (resources && rev.modern && m == "subscriptions/listen")
        listen(msg, rev);
    else if (serves_prompts(registry) && m == "prompts/list")
        list_prompts(msg, rev);
    else if (serves_prompts(registry) && m == "prompts/get")
        get_prompt(msg, rev);
    else if (serves_completions(registry) && m == "completion/complete")
        complete(msg, rev);
    else
        return false;
    return true;
}

void ResourcePromptMethods::reply_list(const Message& msg, const Revision& rev, bj::object result) {
    if (auto err = cursor_problem(msg)) {
        session_.reply_error(std::move(*err));
        return;
    }
    if (rev.modern) {
        result["ttlMs"] = kListTtlMs;
        result["cacheScope"] = "public";
    }
    session_.reply(msg.id, std::move(result), rev);
}

void ResourcePromptMethods::list_resources(const Message& msg, const Revision& rev) {
    bj::array list;
    for (const auto& r : session_.host().resources_and_prompts().resources()) {
        bj::object o{{"uri", r.spec.uri}, {"name", r.spec.name}};
        add_texts(o, rev, r.spec.title, r.spec.description, r.spec.mime_type);
        list.push_back(std::move(o));
    }
    reply_list(msg, rev, bj::object{{"resources", std::move(list)}});
}

void ResourcePromptMethods::list_templates(const Message& msg, const Revision& rev) {
    bj::array list;
    for (const auto& t : session_.host().resources_and_prompts().templates()) {
        bj::object o{{"uriTemplate", t.spec.uri_template}, {"name", t.spec.name}};
        add_texts(o, rev, t.spec.title, t.spec.description, t.spec.mime_type);
        list.push_back(std::move(o));
    }
    reply_list(msg, rev, bj::object{{"resourceTemplates", std::move(list)}});
}

void ResourcePromptMethods::list_prompts(const Message& msg, const Revision& rev) {
    bj::array list;
    for (const auto& p : session_.host().resources_and_prompts().prompts()) {
        bj::object o{{"name", p.spec.name}};
        add_texts(o, rev, p.spec.title, p.spec.description);
        bj::array args;
        for (const auto& a : p.spec.arguments) {
            bj::object arg{{"name", a.name}, {"required", a.required}};
            add_texts(arg, rev, a.title, a.description);
            args.push_back(std::move(arg));
        }
        o["arguments"] = std::move(args);
        list.push_back(std::move(o));
    }
    reply_list(msg, rev, bj::object{{"prompts", std::move(list)}});
}

void ResourcePromptMethods::read(const Message& msg, const Revision& rev) {
    auto uri_or = string_param(msg, "uri", "the URI of the resource to read");
    if (auto* err = std::get_if<RpcError>(&uri_or)) {
        session_.reply_error(std::move(*err));
        return;
    }
    const std::string uri = std::get<std::string>(std::move(uri_or));
    if (auto problem = uri_problem(uri); !problem.empty()) {
        session_.reply_error(
            invalid_params(msg, "params.uri " + problem, bj::object{{"uri", uri}}));
        return;
    }
    auto resolved = session_.host().resources_and_prompts().resolve(uri);
    if (!resolved) {
        session_.reply_error(resource_not_found(
            msg, rev, uri,
            "no resource or resource template matches '" + sdk::text::sanitize(uri, 200) +
                "' (resources/list and resources/templates/list show what exists)"));
        return;
    }
    const bool modern = rev.modern;
    spawn(msg, rev, resolved->plugin,
          [resolved = std::move(*resolved), uri, msg, &rev,
           modern](sdk::CallContext& ctx) -> boost::asio::awaitable<Outcome> {
              std::vector<sdk::ResourceContents> contents;
              try {
                  contents = co_await (*resolved.read)(uri, resolved.variables, ctx);
              } catch (const sdk::NotFound& e) {
                  co_return resource_not_found(msg, rev, uri, plugin_error_text(e));
              } catch (const sdk::InvalidArgument& e) {
                  co_return invalid_params(msg, plugin_error_text(e), bj::object{{"uri", uri}});
              } catch (const std::exception& e) {
                  co_return RpcError{rpc_error::internal_error,
                                     "internal error: reading " + sdk::text::sanitize(uri, 200) +
                                         " failed: " + plugin_error_text(e),
                                     nullptr, msg.id};
              }
              // SEP-2164: never an empty contents array for something that exists.
              if (contents.empty())
                  co_return RpcError{rpc_error::internal_error,
                                     "internal error: the handler of " +
                                         sdk::text::sanitize(uri, 200) + " returned no contents",
                                     nullptr, msg.id};
              bj::array items;
              for (const auto& c : contents) items.push_back(contents_json(c));
              bj::object result{{"contents", std::move(items)}};
              if (modern) {
                  result["ttlMs"] = static_cast<std::int64_t>(resolved.cache_ttl.count());
                  // Reads may come to depend on who asks (authorization): never shared.
                  result["cacheScope"] = "private";
              }
              co_return result;
          });
}

void ResourcePromptMethods::subscribe(const Message& msg, const Revision& rev, bool on) {
    auto uri_or = string_param(msg, "uri", "the URI of the resource");
    if (auto* err = std::get_if<RpcError>(&uri_or)) {
        session_.reply_error(std::move(*err));
        return;
    }
    const std::string uri = std::get<std::string>(std::move(uri_or));
    if (!on) {
        subscriptions_.erase(uri);  // unsubscribing from what was never subscribed is fine
        session_.reply(msg.id, bj::object{}, rev);
        return;
    }
    if (auto problem = uri_problem(uri); !problem.empty()) {
        session_.reply_error(
            invalid_params(msg, "params.uri " + problem, bj::object{{"uri", uri}}));
        return;
    }
    if (!session_.host().resources_and_prompts().resolve(uri)) {
        session_.reply_error(resource_not_found(
            msg, rev, uri,
            "no resource or resource template matches '" + sdk::text::sanitize(uri, 200) + "'"));
        return;
    }
    if (!subscriptions_.contains(uri) && subscriptions_.size() >= kMaxSubscriptions) {
        session_.reply_error(
            invalid_params(msg, "this session already has " + std::to_string(kMaxSubscriptions) +
                                    " subscriptions, the limit; unsubscribe from one first"));
        return;
    }
    subscriptions_.insert(uri);
    if (!listening_) {
        listening_ = true;
        std::weak_ptr<McpSession> weak = session_.shared_from_this();
        session_.host().resources_and_prompts().listen(weak, [weak](const std::string& updated) {
            if (auto s = weak.lock()) s->resource_prompt_methods().on_resource_updated(updated);
        });
    }
    session_.reply(msg.id, bj::object{}, rev);
}

void ResourcePromptMethods::on_resource_updated(const std::string& uri) {
    if (session_.closed() || !subscriptions_.contains(uri)) return;
    session_.send(make_notification("notifications/resources/updated", bj::object{{"uri", uri}}));
}

void ResourcePromptMethods::get_prompt(const Message& msg, const Revision& rev) {
    auto name_or = string_param(msg, "name", "the prompt's name (prompts/list shows them)");
    if (auto* err = std::get_if<RpcError>(&name_or)) {
        session_.reply_error(std::move(*err));
        return;
    }
    const std::string name = std::get<std::string>(std::move(name_or));
    const auto& registry = session_.host().resources_and_prompts();
    const RegisteredPrompt* prompt = registry.find_prompt(name);
    if (!prompt) {
        bj::array available;
        for (const auto& p : registry.prompts()) available.push_back(bj::string(p.spec.name));
        // Counted before `available` moves: argument evaluation order is unspecified.
        std::string text = "unknown prompt '" + sdk::text::sanitize(name, 100) +
                           "' (prompts/list shows all " + std::to_string(available.size()) + ")";
        session_.reply_error(
            invalid_params(msg, std::move(text), bj::object{{"available", std::move(available)}}));
        return;
    }
    bj::object given;
    if (auto a = msg.params.find("arguments"); a != msg.params.end() && !a->value().is_null()) {
        if (!a->value().is_object()) {
            session_.reply_error(invalid_params(msg, "params.arguments must be an object"));
            return;
        }
        given = a->value().get_object();
    }
    sdk::PromptArguments args;
    for (const auto& [key, value] : given) {
        const sdk::PromptArgument* declared = nullptr;
        for (const auto& a : prompt->spec.arguments)
            if (a.name == key) declared = &a;
        if (!declared) {
            std::string names;
            for (const auto& a : prompt->spec.arguments)
                names += (names.empty() ? "" : ", ") + a.name;
            session_.reply_error(invalid_params(
                msg, "prompt '" + name + "' has no argument '" + sdk::text::sanitize(key, 100) +
                         "'; its arguments: " + (names.empty() ? std::string("none") : names)));
            return;
        }
        if (!value.is_string()) {
            session_.reply_error(invalid_params(msg, "params.arguments." + declared->name +
                                                         " must be a string, got " +
                                                         std::string(sdk::json::type_name(value))));
            return;
        }
        if (value.get_string().size() > kMaxArgumentBytes) {
            session_.reply_error(invalid_params(msg, "params.arguments." + declared->name + " is " +
                                                         std::to_string(value.get_string().size()) +
                                                         " bytes; the limit is " +
                                                         std::to_string(kMaxArgumentBytes)));
            return;
        }
        args[declared->name] = std::string(value.get_string());
    }
    for (const auto& a : prompt->spec.arguments)
        if (a.required && !args.contains(a.name)) {
            session_.reply_error(invalid_params(
                msg, "prompt '" + name + "' needs the argument '" + a.name + "'" +
                         (a.description.empty() ? std::string() : " (" + a.description + ")")));
            return;
        }
    // A prompt may ask the client as a tool may (2026-07-28: input-required results, the
    // round bound to this prompt and its arguments).
    Asking asking{.client_capabilities =
                      request_client_capabilities(msg, rev.modern, session_.client_capabilities_)};
    if (rev.modern) {
        auto read = read_input_round(msg, name, given);
        if (auto* err = std::get_if<RpcError>(&read)) {
            session_.reply_error(std::move(*err));
            return;
        }
        asking.round = std::move(std::get<InputRound>(read));
    }
    const bool with_audio = rev.audio_content;
    spawn(
        msg, rev, prompt->plugin,
        [handler = &prompt->spec.handler, args = std::move(args), msg, name,
         with_audio](sdk::CallContext& ctx) -> boost::asio::awaitable<Outcome> {
            sdk::PromptResult result;
            try {
                result = co_await (*handler)(args, ctx);
            } catch (const sdk::InvalidArgument& e) {
                co_return invalid_params(msg, plugin_error_text(e));
            } catch (const sdk::NotFound& e) {
                co_return invalid_params(msg, plugin_error_text(e));
            } catch (const std::exception& e) {
                co_return RpcError{
                    rpc_error::internal_error,
                    "internal error: prompt '" + name + "' failed: " + plugin_error_text(e),
                    nullptr, msg.id};
            }
            bj::array messages;
            for (const auto& m : result.messages) {
                if (m.content && m.content->kind == sdk::Content::Kind::audio && !with_audio)
                    continue;  // the revision has no audio
                messages.push_back(bj::object{
                    {"role", m.role == sdk::PromptMessage::Role::user ? "user" : "assistant"},
                    {"content", message_content(m)}});
            }
            bj::object out{{"messages", std::move(messages)}};
            if (!result.description.empty()) out["description"] = result.description;
            co_return out;
        },
        std::move(asking));
}

void ResourcePromptMethods::complete(const Message& msg, const Revision& rev) {
    const auto& registry = session_.host().resources_and_prompts();
    auto fail = [&](std::string text) {
        session_.reply_error(invalid_params(msg, std::move(text)));
    };
    auto ref_it = msg.params.find("ref");
    auto arg_it = msg.params.find("argument");
    if (ref_it == msg.params.end() || !ref_it->value().is_object())
        return fail(
            "completion/complete needs params.ref, {\"type\": \"ref/prompt\", \"name\"} or "
            "{\"type\": \"ref/resource\", \"uri\"}");
    if (arg_it == msg.params.end() || !arg_it->value().is_object())
        return fail("completion/complete needs params.argument, {\"name\", \"value\"}");
    const auto& ref = ref_it->value().get_object();
    const auto& argument = arg_it->value().get_object();
    const bj::value* arg_name = argument.if_contains("name");
    const bj::value* arg_value = argument.if_contains("value");
    if (!arg_name || !arg_name->is_string() || !arg_value || !arg_value->is_string())
        return fail("params.argument needs the strings name and value");
    if (arg_value->get_string().size() > kMaxArgumentBytes)
        return fail("params.argument.value is longer than " + std::to_string(kMaxArgumentBytes) +
                    " bytes");
    std::map<std::string, std::string> context;
    if (auto c = msg.params.find("context"); c != msg.params.end() && c->value().is_object())
        if (auto a = c->value().get_object().find("arguments");
            a != c->value().get_object().end() && a->value().is_object())
            for (const auto& [k, v] : a->value().get_object())
                if (v.is_string()) context[std::string(k)] = std::string(v.get_string());

    const std::string wanted(arg_name->get_string());
    const sdk::Completer* completer = nullptr;
    const bj::value* type = ref.if_contains("type");
    if (type && *type == "ref/prompt") {
        const bj::value* name = ref.if_contains("name");
        if (!name || !name->is_string()) return fail("params.ref.name must be a prompt's name");
        const RegisteredPrompt* prompt = registry.find_prompt(name->get_string());
        if (!prompt)
            return fail("unknown prompt '" + sdk::text::sanitize(name->get_string(), 100) +
                        "' (prompts/list shows them)");
        const sdk::PromptArgument* declared = nullptr;
        for (const auto& a : prompt->spec.arguments)
            if (a.name == wanted) declared = &a;
        if (!declared)
            return fail("prompt '" + prompt->spec.name + "' has no argument '" +
                        sdk::text::sanitize(wanted, 100) + "'");
        if (declared->complete) completer = &declared->complete;
    } else if (type && *type == "ref/resource") {
        const bj::value* uri = ref.if_contains("uri");
        if (!uri || !uri->is_string())
            return fail("params.ref.uri must be a resource template (resources/templates/list)");
        const RegisteredTemplate* t = registry.find_template(uri->get_string());
        if (!t)
            return fail("no resource template '" + sdk::text::sanitize(uri->get_string(), 200) +
                        "' (resources/templates/list shows them)");
        bool known = false;
        for (const auto& v : t->parsed.variables()) known = known || v == wanted;
        if (!known)
            return fail("resource template '" + t->spec.uri_template + "' has no variable '" +
                        sdk::text::sanitize(wanted, 100) + "'");
        if (auto c = t->spec.complete.find(wanted); c != t->spec.complete.end())
            completer = &c->second;
    } else {
        return fail("params.ref.type must be \"ref/prompt\" or \"ref/resource\"");
    }

    sdk::Completion completion;
    if (completer) {
        try {
            completion = (*completer)(arg_value->get_string(), context);
        } catch (const std::exception& e) {
            SCHEDCP_LOG(session_.host().logger(), warning)
                << "completion of '" << wanted << "' failed: " << e.what();
            completion = {};
        }
    }
    const std::size_t total = completion.total.value_or(completion.values.size());
    const bool more = completion.has_more || completion.values.size() > kMaxCompletionValues;
    if (completion.values.size() > kMaxCompletionValues)
        completion.values.resize(kMaxCompletionValues);
    bj::array values;
    for (auto& v : completion.values) values.push_back(bj::string(v));
    bj::object result{
        {"completion",
         bj::object{{"values", std::move(values)}, {"total", total}, {"hasMore", more}}}};
    session_.reply(msg.id, std::move(result), rev);
}

void ResourcePromptMethods::spawn(const Message& msg, const Revision& rev,
                                  const std::string& plugin, Work work,
                                  std::optional<Asking> asking) {
    McpSession& s = session_;
    const std::string key = id_key(msg.id);
    if (s.in_flight_.count(key)) {
        s.reply_error({rpc_error::invalid_request,
                       "invalid request: id " + sdk::json::compact(msg.id) +
                           " is already in use by a running request",
                       nullptr, msg.id});
        return;
    }
    if (s.in_flight_.size() >= s.host().config().max_concurrent_requests) {
        s.reply_error({rpc_error::server_busy,
                       "server busy: " + std::to_string(s.in_flight_.size()) +
                           " requests are running (server.max_concurrent_requests); retry when "
                           "one finishes",
                       nullptr, msg.id});
        return;
    }
    auto entry = std::make_shared<McpSession::InFlight>();
    s.in_flight_[key] = entry;
    auto batch = s.current_batch_;
    if (batch) batch->pending++;
    sdk::Logger* logger = &s.host().logger();
    for (const auto& p : s.host().plugins())
        if (p.name == plugin) logger = &p.context->logger();

    auto run = [self = s.shared_from_this(), work = std::move(work), id = msg.id, key, &rev, entry,
                batch, logger,
                asking = std::move(asking)]() mutable -> boost::asio::awaitable<void> {
        McpCallContext ctx(*self, *logger, nullptr, id, rev, entry->stop.get_token());
        if (asking)
            ctx.allow_asking(std::move(asking->client_capabilities), std::move(asking->round));
        std::optional<Outcome> ran;
        try {
            ran = co_await work(ctx);
        } catch (const RunAbandoned&) {
            // It stopped to ask its client (2026-07-28): answered below.
        }
        ctx.complete();
        self->in_flight_.erase(key);
        std::optional<std::variant<bj::object, RpcError>> asked;
        if (asking) asked = answer_for_asking(ctx, rev.modern, ran.has_value(), id);
        Outcome outcome = asked ? std::move(*asked) : std::move(*ran);
        if (entry->cancelled) {
            self->out_->ended_unanswered(id);  // the client cancelled: no response
        } else if (auto* result = std::get_if<bj::object>(&outcome)) {
            if (rev.modern) self->modern_->finish(*result);
            if (asked) (*result)["resultType"] = "input_required";
            self->deliver(make_response(id, std::move(*result)), id, OutboundKind::result, batch);
        } else {
            auto& error = std::get<RpcError>(outcome);
            error.id = id;
            self->deliver(make_error(error), id, OutboundKind::error, batch);
        }
        self->batch_item_done(batch);
        if (self->in_flight_.empty() && self->on_idle_) self->on_idle_();
    };
    boost::asio::co_spawn(
        s.host().io(), std::move(run),
        boost::asio::bind_cancellation_slot(
            entry->cancel.slot(), [&host = s.host(), method = msg.method](std::exception_ptr e) {
                if (!e) return;
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& ex) {
                    SCHEDCP_LOG(host.logger(), error)
                        << method << " coroutine failed: " << ex.what();
                } catch (...) {
                    SCHEDCP_LOG(host.logger(), error) << method << " coroutine failed";
                }
            }));
}

}  // namespace schedcp::host::mcp
