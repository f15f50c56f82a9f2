#include "era.hpp"

#include <array>

#include "resources_methods.hpp"
#include "schedcp/sdk/json.hpp"
#include "session.hpp"
#include "tasks/task_methods.hpp"

namespace schedcp::host::mcp {

namespace bj = boost::json;

namespace {

constexpr std::array<std::string_view, 8> kMcpLogLevels = {
    "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};

bool valid_log_level(const bj::value& v) {
    if (!v.is_string()) return false;
    for (auto l : kMcpLogLevels)
        if (v.get_string() == l) return true;
    return false;
}

std::string log_levels_text() {
    std::string s;
    for (auto l : kMcpLogLevels) s += (s.empty() ? "" : ", ") + std::string(l);
    return s;
}

// Every version this server speaks, modern first, then the 2025 era's newest first: the
// revision's own example of a dual-era server lists both kinds ("supported":
// ["2026-07-28", "2025-11-25"]). A client that picks a 2025 version opens it with
// initialize (the _meta envelope exists in 2026-07-28 only); one that picks 2026-07-28
// puts it in _meta. Used by server/discover and every -32022.
bj::array served_versions() {
    bj::array a;
    for (const auto& r : kModernRevisions) a.push_back(bj::string(r.version));
    for (const auto& r : kLegacyRevisions) a.push_back(bj::string(r.version));
    return a;
}

// UnsupportedProtocolVersionError's data.requested is a string in the schema: a version
// that was not a string is quoted as the JSON it was, a missing one is "".
bj::string requested_text(const bj::value* requested) {
    if (!requested) return "";
    if (requested->is_string()) return requested->get_string();
    return bj::string(sdk::json::compact(*requested));
}

bj::object server_capabilities() {
    // Both eras send log records: 2025 after logging/setLevel, 2026-07-28 to a request whose
    // _meta asks for them, which "MUST declare the logging capability" (deprecated there,
    // still specified).
    return bj::object{{"tools", bj::object{{"listChanged", false}}}, {"logging", bj::object{}}};
}

// The tool set is fixed for the life of a process (plugins load at start-up only).
constexpr std::int64_t kCacheTtlMs = 3600 * 1000;

}  // namespace

// ---------------------------------------------------------------- 2025 era

void LegacyEra::handle(const Message& msg) {
    if (msg.method == "initialize") {
        if (revision_) {
            server_.reply_error({rpc_error::invalid_request,
                                 "already initialized (protocol " +
                                     std::string(revision_->version) +
                                     "); initialize is sent once per connection",
                                 nullptr, msg.id});
            return;
        }
        initialize(msg);
        return;
    }
    // ping is allowed at any time, even before initialize.
    const Revision& rev = revision_ ? *revision_ : kLegacyRevisions[0];
    if (msg.method == "ping") {
        server_.reply(msg.id, bj::object{}, rev);
        server_.answered_at_once();
        return;
    }
    if (!revision_) {
        server_.reply_error(
            {rpc_error::invalid_request,
             "not initialized: send initialize first (MCP 2025 revisions), or put the "
             "2026-07-28 _meta envelope (io.modelcontextprotocol/protocolVersion, "
             "io.modelcontextprotocol/clientCapabilities) on every request",
             nullptr, msg.id});
        return;
    }
    if (msg.method == "tools/list") {
        server_.reply_tools_list(msg, rev);
    } else if (msg.method == "tools/call") {
        if (auto err = server_.call_tool(msg, rev)) server_.reply_error(std::move(*err));
    } else if (msg.method == "logging/setLevel") {
        set_log_level(msg);
    } else if (!server_.resource_prompt_methods().handle(msg, rev)) {
        server_.reply_error(
            {rpc_error::method_not_found,
             "method '" + msg.method +
                 "' not found; this server offers initialize, ping, tools/list, "
                 "tools/call, logging/setLevel" +
                 ResourcePromptMethods::offered(server_.host().resources_and_prompts(), rev),
             nullptr, msg.id});
    }
}

void LegacyEra::initialize(const Message& msg) {
    auto pv = msg.params.find("protocolVersion");
    if (pv == msg.params.end() || !pv->value().is_string()) {
        server_.reply_error({rpc_error::invalid_params,
                             "initialize: params.protocolVersion must be a string such as \"" +
                                 std::string(kLegacyRevisions[0].version) + "\"",
                             nullptr, msg.id});
        return;
    }
    std::string requested(pv->value().get_string());
    // The client's version when we speak it, else our latest (the client decides whether
    // it can use that).
    const Revision* rev = find_revision(requested, false);
    if (!rev) rev = &kLegacyRevisions[0];
    revision_ = rev;
    server_.pin(EraState::legacy);
    if (auto caps = msg.params.find("capabilities");
        caps != msg.params.end() && caps->value().is_object())
        server_.set_client_capabilities(caps->value().get_object());

    const auto& id = server_.identity();
    bj::object info{{"name", id.name}, {"version", id.version}};
    if (rev->titles) info["title"] = id.title;
    bj::object caps = server_capabilities();
    ResourcePromptMethods::declare_capabilities(caps, server_.host().resources_and_prompts(), *rev);
    bj::object result{{"protocolVersion", bj::string(rev->version)},
                      {"capabilities", std::move(caps)},
                      {"serverInfo", std::move(info)},
                      {"instructions", id.instructions}};
    std::string client = "unknown client";
    if (auto ci = msg.params.find("clientInfo");
        ci != msg.params.end() && ci->value().is_object()) {
        const auto& o = ci->value().get_object();
        if (auto n = o.find("name"); n != o.end() && n->value().is_string())
            client = n->value().get_string();
        if (auto v = o.find("version"); v != o.end() && v->value().is_string())
            client += " " + std::string(v->value().get_string());
    }
    SCHEDCP_LOG(server_.host().logger(), info)
        << "initialize from " << client << ": requested protocol " << requested << ", using "
        << rev->version;
    server_.reply(msg.id, std::move(result), *rev);
}

void LegacyEra::set_log_level(const Message& msg) {
    auto level = msg.params.find("level");
    if (level == msg.params.end() || !valid_log_level(level->value())) {
        server_.reply_error({rpc_error::invalid_params,
                             "logging/setLevel: params.level must be one of " + log_levels_text(),
                             nullptr, msg.id});
        return;
    }
    server_.install_log_forwarding(std::string(level->value().get_string()));
    server_.reply(msg.id, bj::object{}, *revision_);
}

void LegacyEra::on_notification(const Message& msg) {
    if (msg.method == "notifications/initialized") initialized_notified_ = true;
}

// ---------------------------------------------------------------- 2026-07-28

bool ModernEra::has_envelope(const Message& msg) {
    auto meta = msg.params.find("_meta");
    return meta != msg.params.end() && meta->value().is_object() &&
           meta->value().get_object().contains(kMetaProtocolVersion);
}

const Revision* ModernEra::admit(const Message& msg) {
    const bj::object* meta = nullptr;
    if (auto m = msg.params.find("_meta"); m != msg.params.end() && m->value().is_object())
        meta = &m->value().get_object();
    const bj::value* version = meta ? meta->if_contains(kMetaProtocolVersion) : nullptr;
    if (version && version->is_string()) {
        const Revision* rev = find_revision(version->get_string(), true);
        if (!rev) {
            server_.reply_error(
                {rpc_error::unsupported_protocol_version,
                 "Unsupported protocol version: " + std::string(version->get_string()) +
                     (find_revision(version->get_string(), false)
                          ? " in params._meta (the 2025 revisions are served through initialize)"
                          : ""),
                 bj::object{{"supported", served_versions()}, {"requested", *version}}, msg.id});
            return nullptr;
        }
    }
    bj::array missing;
    if (!version || !version->is_string()) missing.push_back(bj::string(kMetaProtocolVersion));
    const bj::value* caps = meta ? meta->if_contains(kMetaClientCapabilities) : nullptr;
    if (!caps || !caps->is_object()) missing.push_back(bj::string(kMetaClientCapabilities));
    if (!missing.empty()) {
        std::string names;
        for (const auto& m : missing)
            names += (names.empty() ? "" : ", ") + std::string(m.get_string());
        server_.reply_error({rpc_error::invalid_params,
                             "invalid params: params._meta must carry " + names +
                                 " (MCP 2026-07-28 puts them on every request)",
                             bj::object{{"missing", std::move(missing)}}, msg.id});
        return nullptr;
    }
    if (const bj::value* level = meta->if_contains(kMetaLogLevel);
        level && !valid_log_level(*level)) {
        server_.reply_error({rpc_error::invalid_params,
                             "invalid params: _meta." + std::string(kMetaLogLevel) +
                                 " must be one of " + log_levels_text(),
                             nullptr, msg.id});
        return nullptr;
    }
    return find_revision(version->get_string(), true);
}

void ModernEra::handle(const Message& msg) {
    const Revision* rev = admit(msg);
    if (!rev) return;
    // server/discover is a probe: answering it does not commit the connection, so a
    // client that cannot use our answer may still fall back to initialize.
    if (msg.method != "server/discover" && server_.era() == EraState::undecided)
        server_.pin(EraState::modern);

    if (msg.method == "server/discover") {
        bj::object caps = server_capabilities();
        ResourcePromptMethods::declare_capabilities(caps, server_.host().resources_and_prompts(),
                                                    *rev);
        // The tasks extension, when a tool can run as a task (never `capabilities.tasks`:
        // that is 2025-11-25's experimental core feature, not served).
        for (const auto& t : server_.host().tools())
            if (t.spec.task_support != sdk::TaskSupport::forbidden) {
                bj::object extensions;
                extensions[kTasksExtension] = bj::object{};
                caps["extensions"] = std::move(extensions);
                break;
            }
        bj::object result{{"supportedVersions", served_versions()},
                          {"capabilities", std::move(caps)},
                          {"instructions", server_.identity().instructions},
                          {"ttlMs", kCacheTtlMs},
                          {"cacheScope", "public"}};
        server_.reply(msg.id, std::move(result), *rev);
    } else if (msg.method == "tools/list") {
        std::optional<RpcError> err;
        auto result = server_.list_tools(*rev, msg.params, err);
        if (err) {
            err->id = msg.id;
            server_.reply_error(std::move(*err));
            return;
        }
        result["ttlMs"] = kCacheTtlMs;
        result["cacheScope"] = "public";
        server_.reply(msg.id, std::move(result), *rev);
    } else if (msg.method == "tools/call") {
        if (auto err = server_.call_tool(msg, *rev)) server_.reply_error(std::move(*err));
    } else if (is_task_method(msg.method)) {
        server_.handle_task_method(msg, *rev);
    } else if (!server_.resource_prompt_methods().handle(msg, *rev)) {
        server_.reply_error(
            {rpc_error::method_not_found,
             "method '" + msg.method + "' not found in MCP " + std::string(rev->version) +
                 "; this server offers server/discover, tools/list, tools/call" +
                 ResourcePromptMethods::offered(server_.host().resources_and_prompts(), *rev),
             nullptr, msg.id});
    }
}

RpcError ModernEra::reject_unenveloped(const Message& msg) const {
    if (msg.method == "initialize") {
        const bj::value* pv = msg.params.if_contains("protocolVersion");
        bj::string requested = requested_text(pv);
        std::string text = requested.empty() ? "(none)" : std::string(requested);
        return {rpc_error::unsupported_protocol_version,
                "Unsupported protocol version: " + text +
                    " (this connection already speaks MCP 2026-07-28, which has no initialize)",
                bj::object{{"supported", served_versions()}, {"requested", std::move(requested)}},
                msg.id};
    }
    if (msg.method == "tools/list" || msg.method == "tools/call" ||
        msg.method == "server/discover" || ResourcePromptMethods::is_method(msg.method)) {
        bj::array missing{bj::string(kMetaProtocolVersion), bj::string(kMetaClientCapabilities)};
        return {rpc_error::invalid_params,
                "invalid params: params._meta must carry " + std::string(kMetaProtocolVersion) +
                    ", " + std::string(kMetaClientCapabilities) +
                    " (this connection speaks MCP 2026-07-28, which puts them on every request)",
                bj::object{{"missing", std::move(missing)}}, msg.id};
    }
    return {rpc_error::method_not_found,
            "method '" + msg.method +
                "' not found in MCP 2026-07-28; this server offers server/discover, tools/list, "
                "tools/call",
            nullptr, msg.id};
}

void ModernEra::finish(bj::object& result) const {
    const auto& id = server_.identity();
    result["resultType"] = "complete";
    // A result may carry _meta of its own (subscriptions/listen's subscriptionId).
    bj::value& meta_value = result["_meta"];
    if (!meta_value.is_object()) meta_value.emplace_object();
    bj::object& meta = meta_value.get_object();
    meta[kMetaServerInfo] =
        bj::object{{"name", id.name}, {"title", id.title}, {"version", id.version}};
}

}  // namespace schedcp::host::mcp
