#include "session.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include "schedcp/sdk/json.hpp"

#include "../logging.hpp"
#include "../plugin_context_impl.hpp"
#include "../tool_invoker.hpp"
#include "../tool_scope.hpp"
#include "ask_client.hpp"
#include "call_context.hpp"
#include "era.hpp"
#include "log_routing.hpp"
#include "resources_methods.hpp"
#include "schedcp/sdk/text.hpp"
#include "tasks/task_methods.hpp"
#include "tool_answer.hpp"

#ifndef SCHEDCP_VERSION
#define SCHEDCP_VERSION "0.0.0"
#endif

namespace schedcp::host::mcp {

namespace bj = boost::json;

namespace {

// Whether a tools/call result carries structuredContent (the revision has it at all).
// A success carries its object (or, in the modern era, any value). An error carries
// {"error": {code, message, details?}} as error.hpp promises, so a caller can act on the
// details; except where the tool declares an outputSchema in a legacy revision: the
// official TypeScript SDK 1.x checks any structuredContent against that schema even when
// isError is set, and would turn the tool's error into a schema failure.
bool wants_structured(const sdk::ToolResult& result, const sdk::ToolSpec& spec,
                      const Revision& rev) {
    if (result.is_error) return has_structured(result) && (rev.modern || !spec.output_schema);
    return structured_is_object(result) || (rev.modern && has_structured(result));
}

// A host sentence, then what each loaded plugin says about its tools (plugin order), then
// the tools themselves: only what this server actually offers is named.
std::string build_instructions(const Host& host) {
    std::string out = "schedcp manages Linux sched_ext CPU schedulers.";
    for (const auto& p : host.plugins())
        if (!p.instructions.empty()) out += " " + p.instructions;
    std::string tools;
    for (const auto& t : host.tools()) tools += (tools.empty() ? "" : ", ") + t.spec.name;
    return out + " Tools on this server: " + (tools.empty() ? std::string("none") : tools) + ".";
}

}  // namespace

// ------------------------------------------------------------------ McpCallContext

boost::asio::any_io_executor McpCallContext::executor() {
    return server_.host().io().get_executor();
}
boost::asio::any_io_executor McpCallContext::blocking_executor() {
    return server_.host().blocking_executor();
}

void McpCallContext::report_progress(double progress, std::optional<double> total,
                                     std::string_view message) {
    if (token_.is_null()) return;
    std::lock_guard lock(mutex_);
    // Progress must increase, and nothing may follow the response.
    if (done_ || (last_ && progress <= *last_)) return;
    last_ = progress;
    bj::object params{{"progressToken", token_}, {"progress", progress}};
    if (total) params["total"] = *total;
    if (rev_.progress_message && !message.empty())
        params["message"] = sdk::text::sanitize(message, 1024);
    server_.send_related(make_notification("notifications/progress", std::move(params)),
                         request_id_);
}

void McpCallContext::close_stream() {
    std::lock_guard lock(mutex_);
    if (!done_) server_.close_stream(request_id_);
}

void McpCallContext::complete() {
    std::lock_guard lock(mutex_);
    done_ = true;
}

void McpCallContext::run_as_task() {
    if (!start_task_ || task_) return;
    auto start = std::move(start_task_);
    start_task_ = nullptr;
    task_ = start();
}

// ------------------------------------------------------------------ McpSession

McpSession::McpSession(Host& host, std::shared_ptr<Outbound> out,
                       std::shared_ptr<QuotedTextCache> quoted_texts,
                       std::shared_ptr<TaskStore> tasks)
    : host_(host),
      out_(std::move(out)),
      legacy_(std::make_unique<LegacyEra>(*this)),
      modern_(std::make_unique<ModernEra>(*this)),
      resource_prompt_methods_(std::make_unique<ResourcePromptMethods>(*this)),
      quoted_texts_(quoted_texts ? std::move(quoted_texts) : std::make_shared<QuotedTextCache>()),
      tasks_(tasks ? tasks : std::make_shared<TaskStore>(task_limits(host.config()))),
      owns_tasks_(!tasks),
      client_requests_(host.io().get_executor(), host.config().max_client_requests) {
    identity_.version = SCHEDCP_VERSION;
    identity_.instructions = build_instructions(host);
}

McpSession::~McpSession() {
    clear_log_forwarder(this);
}

void McpSession::close() {
    if (closed_) return;
    closed_ = true;
    clear_log_forwarder(this);
    client_requests_.fail_all("the session ended before the client answered");
    if (owns_tasks_) tasks_->cancel_all();  // stdio: the server exits with its session
    for (auto& [key, entry] : in_flight_) {
        entry->cancelled = true;
        entry->stop.request_stop();
        entry->cancel.emit(boost::asio::cancellation_type::terminal);
    }
}

void McpSession::send(const bj::object& message) {
    out_->send(sdk::json::compact(message), nullptr, OutboundKind::notification);
}

void McpSession::send_related(const bj::object& message, const bj::value& related) {
    out_->send(sdk::json::compact(message), related, OutboundKind::notification);
}

void McpSession::deliver(const bj::object& message, const bj::value& related, OutboundKind kind,
                         const std::shared_ptr<Batch>& batch) {
    deliver(sdk::json::compact(message), related, kind, batch);
}

void McpSession::deliver(std::string serialised, const bj::value& related, OutboundKind kind,
                         const std::shared_ptr<Batch>& batch) {
    if (batch)
        batch->replies.push_back(std::move(serialised));
    else
        out_->send(std::move(serialised), related, kind);
}

void McpSession::reply(const bj::value& id, bj::object result, const Revision& rev) {
    if (rev.modern) modern_->finish(result);
    deliver(make_response(id, std::move(result)), id, OutboundKind::result, current_batch_);
}

void McpSession::reply_error(RpcError error) {
    answered_at_once_ = true;  // an error answers before any work starts
    deliver(make_error(error), error.id, OutboundKind::error, current_batch_);
}

void McpSession::batch_item_done(const std::shared_ptr<Batch>& batch) {
    if (!batch) return;
    if (batch->pending > 0) --batch->pending;
    if (batch->pending == 0 && batch->dispatched && !batch->replies.empty()) {
        // What compact() writes for the array of the replies.
        std::string joined = "[";
        for (const auto& reply : batch->replies) {
            if (joined.size() > 1) joined += ',';
            joined += reply;
        }
        joined += ']';
        out_->send(std::move(joined), nullptr, OutboundKind::result);
        batch->replies.clear();
    }
}

void McpSession::install_log_forwarding(const std::string& mcp_level) {
    const sdk::LogLevel min = from_mcp_level(mcp_level);
    legacy_log_level_.store(static_cast<int>(min));
    // Records of no tool call; a call's own records follow its request (CallLog). Runs on
    // whichever thread logs; the transport's send() is thread-safe.
    set_log_forwarder(
        this,
        [this](sdk::LogLevel level, const std::string& channel, const std::string& message) {
            send(log_notification(level, channel, message));
        },
        min);
}

std::optional<sdk::LogLevel> McpSession::legacy_log_level() const {
    const int level = legacy_log_level_.load();
    if (level < 0) return std::nullopt;
    return static_cast<sdk::LogLevel>(level);
}

void McpSession::on_line(std::string line) {
    line_settled_ = false;
    answered_at_once_ = false;
    if (closed_) return;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.pop_back();
    if (line.find_first_not_of(" \t\r") == std::string::npos) return;  // blank line: not a message
    bj::parse_options opts;
    opts.max_depth = 64;
    boost::system::error_code ec;
    // The request's tree lives in an arena for this line only, on the stack while it is
    // small: a request is a few hundred bytes, and its nodes cost no malloc/free each.
    // Nothing keeps a reference into it: classify() copies what outlives the line (id,
    // params, result, error) into default storage, by assignment, which keeps the target's
    // storage (a copy *construction* would share the arena: it must not be used there).
    unsigned char first_block[2048];
    bj::monotonic_resource arena(first_block, sizeof first_block);
    bj::value v = bj::parse(line, ec, bj::storage_ptr(&arena), opts);
    if (ec) {
        reply_error({rpc_error::parse_error, "parse error: " + ec.message()});
        line_settled_ = true;
        return;
    }
    const std::size_t running_before = in_flight_.size();
    on_value(v);
    line_settled_ = answered_at_once_ && v.is_object() && in_flight_.size() <= running_before;
}

bool McpSession::unanswerable(const RpcError& error) {
    // A notification never gets a response, not even for malformed params (a
    // notifications/cancelled whose params are not an object): it is logged and dropped.
    if (!error.notification) return false;
    SCHEDCP_LOG(host_.logger(), warning) << "dropping a malformed notification: " << error.message;
    return true;
}

void McpSession::on_value(const bj::value& v) {
    if (closed_) return;
    if (v.is_array()) {
        const Revision* rev = legacy_->revision();
        if (era_ != EraState::legacy || !rev || !rev->batching) {
            reply_error(
                {rpc_error::invalid_request,
                 "invalid request: JSON-RPC batches are only part of MCP 2025-03-26; send one "
                 "message per line"});
            return;
        }
        if (v.get_array().empty()) {
            reply_error({rpc_error::invalid_request, "invalid request: empty batch"});
            return;
        }
        auto batch = std::make_shared<Batch>();
        current_batch_ = batch;
        for (const auto& element : v.get_array()) {
            auto classified = classify(element);
            if (auto* err = std::get_if<RpcError>(&classified)) {
                if (!unanswerable(*err)) reply_error(std::move(*err));
                continue;
            }
            const auto& msg = std::get<Message>(classified);
            if (msg.kind == Message::Kind::request && msg.method == "initialize") {
                reply_error({rpc_error::invalid_request,
                             "invalid request: initialize must not be part of a batch", nullptr,
                             msg.id});
                continue;
            }
            if (msg.kind == Message::Kind::request)
                dispatch(msg);
            else if (msg.kind == Message::Kind::notification)
                on_notification(msg);
        }
        current_batch_.reset();
        batch->dispatched = true;
        batch->pending++;  // balance the call below, which sends if nothing is pending
        batch_item_done(batch);
        return;
    }
    auto classified = classify(v);
    if (auto* err = std::get_if<RpcError>(&classified)) {
        if (!unanswerable(*err)) reply_error(std::move(*err));
        return;
    }
    on_message(std::get<Message>(classified));
}

void McpSession::on_message(const Message& msg) {
    if (closed_) return;
    switch (msg.kind) {
        case Message::Kind::request:
            dispatch(msg);
            break;
        case Message::Kind::notification:
            on_notification(msg);
            break;
        case Message::Kind::response:
            if (!client_requests_.complete(msg.id, msg.result, msg.error))
                SCHEDCP_LOG(host_.logger(), info)
                    << "ignoring a response from the client with id " << sdk::json::compact(msg.id)
                    << ": no question of ours with that id is waiting";
            break;
    }
}

void McpSession::dispatch(const Message& msg) {
    if (ModernEra::has_envelope(msg) || msg.method == "server/discover")
        modern_->handle(msg);
    else if (era_ == EraState::modern)
        reply_error(modern_->reject_unenveloped(msg));
    else
        legacy_->handle(msg);
}

void McpSession::on_notification(const Message& msg) {
    if (msg.method == "notifications/cancelled") {
        auto rid = msg.params.find("requestId");
        if (rid == msg.params.end() ||
            !(rid->value().is_string() || rid->value().is_int64() || rid->value().is_uint64()))
            return;  // invalid cancellations are ignored
        auto it = in_flight_.find(id_key(rid->value()));
        if (it == in_flight_.end()) return;  // finished already, or unknown
        std::string reason = "no reason given";
        if (auto r = msg.params.find("reason"); r != msg.params.end() && r->value().is_string())
            reason = sdk::text::sanitize(r->value().get_string(), 200);
        SCHEDCP_LOG(host_.logger(), info)
            << "request " << sdk::json::compact(rid->value()) << " cancelled: " << reason;
        auto entry = it->second;
        entry->cancelled = true;
        entry->stop.request_stop();
        entry->cancel.emit(boost::asio::cancellation_type::terminal);
        return;
    }
    legacy_->on_notification(msg);
}

void McpSession::list_tools_cursor_check(const bj::object& params, std::optional<RpcError>& error) {
    if (auto c = params.find("cursor"); c != params.end() && !c->value().is_null()) {
        // Every tool fits in one page, so we never hand out a cursor; an empty one means
        // "from the start".
        if (!c->value().is_string() || !c->value().get_string().empty())
            error = RpcError{rpc_error::invalid_params,
                             "invalid params: unknown cursor (tools/list has one page)"};
    }
}

bj::object McpSession::list_tools(const Revision& rev, const bj::object& params,
                                  std::optional<RpcError>& error) {
    list_tools_cursor_check(params, error);
    if (error) return {};
    bj::array tools;
    for (const auto& t : host_.tools()) {
        const auto& s = t.spec;
        bj::object tool{
            {"name", s.name}, {"description", s.description}, {"inputSchema", s.input_schema}};
        if (rev.titles && !s.title.empty()) tool["title"] = s.title;
        if (rev.annotations) {
            bj::object ann;
            if (!rev.titles && !s.title.empty())
                ann["title"] = s.title;  // 2025-03-26 has title only here
            if (s.annotations.read_only) ann["readOnlyHint"] = *s.annotations.read_only;
            if (s.annotations.destructive) ann["destructiveHint"] = *s.annotations.destructive;
            if (s.annotations.idempotent) ann["idempotentHint"] = *s.annotations.idempotent;
            if (s.annotations.open_world) ann["openWorldHint"] = *s.annotations.open_world;
            if (!ann.empty()) tool["annotations"] = std::move(ann);
        }
        if (rev.structured_output && s.output_schema) tool["outputSchema"] = *s.output_schema;
        tools.push_back(std::move(tool));
    }
    return bj::object{{"tools", std::move(tools)}};
}

void McpSession::reply_tools_list(const Message& msg, const Revision& rev) {
    std::optional<RpcError> err;
    if (current_batch_) {
        auto result = list_tools(rev, msg.params, err);
        if (err) {
            err->id = msg.id;
            reply_error(std::move(*err));
        } else {
            reply(msg.id, std::move(result), rev);
        }
        return;
    }
    auto [cached, fresh] = tools_list_json_.try_emplace(&rev);
    if (fresh) cached->second = sdk::json::compact(list_tools(rev, bj::object{}, err));
    list_tools_cursor_check(msg.params, err);
    if (err) {
        err->id = msg.id;
        reply_error(std::move(*err));
        return;
    }
    // What compact(make_response(id, result)) writes, with the result already written:
    // one buffer, sized once (with room for stdio's newline), one copy of the list.
    std::string answer;
    answer.reserve(cached->second.size() + 64);
    answer += R"({"jsonrpc":"2.0","id":)";
    sdk::json::append_compact(answer, msg.id);
    answer += R"(,"result":)";
    answer += cached->second;
    answer += '}';
    out_->send(std::move(answer), msg.id, OutboundKind::result);
    answered_at_once();
}

std::optional<RpcError> McpSession::call_tool(const Message& msg, const Revision& rev) {
    auto name = msg.params.find("name");
    if (name == msg.params.end() || !name->value().is_string())
        return RpcError{rpc_error::invalid_params,
                        "invalid params: tools/call needs params.name, the tool to call", nullptr,
                        msg.id};
    const std::string tool_name(name->value().get_string());
    const RegisteredTool* tool = host_.find_tool(tool_name);
    if (!tool) {
        std::vector<std::string> names;
        bj::array available;
        for (const auto& t : host_.tools()) {
            names.push_back(t.spec.name);
            available.push_back(bj::string(t.spec.name));
        }
        auto close = sdk::text::close_matches(tool_name, names);
        std::string text = "unknown tool '" + sdk::text::sanitize(tool_name, 100) + "'";
        if (!close.empty()) {
            text += "; did you mean ";
            for (std::size_t i = 0; i < close.size(); ++i) text += (i ? ", " : "") + close[i];
            text += "?";
        }
        text += " (tools/list shows all " + std::to_string(names.size()) + ")";
        return RpcError{rpc_error::invalid_params, text,
                        bj::object{{"available", std::move(available)}}, msg.id};
    }
    bj::object args;
    if (auto a = msg.params.find("arguments"); a != msg.params.end() && !a->value().is_null()) {
        if (!a->value().is_object())
            return RpcError{rpc_error::invalid_params,
                            "invalid params: params.arguments must be an object", nullptr, msg.id};
        args = a->value().get_object();
    }
    // After the arguments: a read token may make a multi-command tool's read-only calls.
    if (auto refused = scope_refusal(principal_, *tool, args)) {
        SCHEDCP_LOG(host_.logger(), warning) << "refused tools/call " << tool_name << " for token '"
                                             << principal_.id << "': " << *refused;
        return RpcError{rpc_error::insufficient_scope, std::move(*refused), nullptr, msg.id};
    }
    // (Nothing running, nothing to collide with: no key made for the check.)
    if (!in_flight_.empty() && in_flight_.count(id_key(msg.id)))
        return RpcError{rpc_error::invalid_request,
                        "invalid request: id " + sdk::json::compact(msg.id) +
                            " is already in use by a running request",
                        nullptr, msg.id};
    // Asking the client: what it declared, and (2026-07-28) the answers it brought, checked
    // (requestState's signature, inputResponses' shape) whoever answers the call.
    std::optional<InputRound> round;
    if (rev.modern) {
        auto read = read_input_round(msg, tool_name, args);
        if (auto* err = std::get_if<RpcError>(&read)) return std::move(*err);
        round = std::move(std::get<InputRound>(read));
    }
    // A call the tool answers from memory is answered here, on the event loop, with nothing
    // of a running request set up (sdk::ReadyAnswer); one that must run as a task cannot be.
    if (tool->spec.ready_answer && tool->spec.task_support != sdk::TaskSupport::required) {
        if (auto ready = answer_ready(*tool, args, host_.logger(), result_check(host_.config()),
                                      EmptyText::keep)) {
            deliver(tool_answer(msg.id, *ready, *tool, rev), msg.id, OutboundKind::result,
                    current_batch_);
            answered_at_once();
            return std::nullopt;
        }
    }
    const std::string key = id_key(msg.id);
    if (in_flight_.size() >= host_.config().max_concurrent_requests)
        return RpcError{
            rpc_error::server_busy,
            "server busy: " + std::to_string(in_flight_.size()) +
                " requests are running (server.max_concurrent_requests); retry when one finishes",
            nullptr, msg.id};
    auto capabilities = request_client_capabilities(msg, rev.modern, client_capabilities_);
    // Tasks (2026-07-28 tasks extension): the request's capabilities decide, the tool says
    // whether it may run as one (sdk::TaskSupport), its handler says from where.
    const auto support = tool->spec.task_support;
    const bool may_be_task = rev.modern && support != sdk::TaskSupport::forbidden && capabilities &&
                             client_supports_tasks(*capabilities);
    if (support == sdk::TaskSupport::required) {
        if (!rev.modern)
            return RpcError{rpc_error::invalid_params,
                            "invalid params: " + tool_name +
                                " runs only as a task (the MCP tasks extension, served with "
                                "protocol version 2026-07-28)",
                            nullptr, msg.id};
        if (!may_be_task) return tasks_not_negotiated(msg.id, tool_name + " runs only as a task");
        if (auto full = tasks_->full_for(principal_.id))
            return RpcError{rpc_error::server_busy, "server busy: " + *full, nullptr, msg.id};
    }
    bj::value token = nullptr;
    if (auto m = msg.params.find("_meta"); m != msg.params.end() && m->value().is_object())
        if (auto t = m->value().get_object().find("progressToken");
            t != m->value().get_object().end() &&
            (t->value().is_string() || t->value().is_number()))
            token = t->value();

    auto entry = std::make_shared<InFlight>();
    in_flight_[key] = entry;
    auto batch = current_batch_;
    if (batch) batch->pending++;

    // The coroutine holds the session: an HTTP session may be ended while its calls run.
    auto run = [this, self = shared_from_this(), tool, args = std::move(args), id = msg.id, key,
                token = std::move(token), &rev, entry, batch,
                log_level = rev.modern ? requested_log_level(msg.params) : std::nullopt,
                capabilities = std::move(capabilities), round = std::move(round), may_be_task,
                owner = principal_.id]() mutable -> boost::asio::awaitable<void> {
        // The handler's records carry this call, so they follow its request (log_routing.hpp).
        CallLog log(*this, tool->plugin.empty() ? std::string_view("host") : tool->plugin, id, rev,
                    log_level);
        McpCallContext ctx(*this, log, token, id, rev, entry->stop.get_token());
        ctx.allow_asking(std::move(capabilities), std::move(round));
        if (may_be_task) ctx.allow_task([&] { return start_task(ctx, id, key, owner, entry); });
        std::optional<sdk::ToolResult> ran;
        try {
            ran = co_await invoke_tool(*tool, std::move(args), ctx, host_.logger(),
                                       result_check(host_.config()), EmptyText::keep);
        } catch (const RunAbandoned&) {
            // It stopped to ask its client (2026-07-28): answered below.
        }
        ctx.complete();
        log.stop();
        if (const auto& task = ctx.task()) {
            // Answered with the task handle already (its in-flight entry went with it).
            finish_task(*task, ctx, ran, *tool, rev);
            if (in_flight_.empty() && on_idle_) on_idle_();
            co_return;
        }
        in_flight_.erase(key);
        if (entry->cancelled) {
            // The client cancelled: it expects no response.
            out_->ended_unanswered(id);
            batch_item_done(batch);
        } else if (auto asked = answer_for_asking(ctx, rev.modern, ran.has_value(), id)) {
            if (auto* refusal = std::get_if<RpcError>(&*asked)) {
                deliver(make_error(*refusal), id, OutboundKind::error, batch);
            } else {
                auto& result = std::get<bj::object>(*asked);
                modern_->finish(result);
                result["resultType"] = "input_required";
                deliver(make_response(id, std::move(result)), id, OutboundKind::result, batch);
            }
            batch_item_done(batch);
        } else {
            deliver(tool_answer(id, *ran, *tool, rev), id, OutboundKind::result, batch);
            batch_item_done(batch);
        }
        if (in_flight_.empty() && on_idle_) on_idle_();
    };
    boost::asio::co_spawn(
        host_.io(), std::move(run),
        boost::asio::bind_cancellation_slot(entry->cancel.slot(), [this](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                SCHEDCP_LOG(host_.logger(), error) << "tools/call coroutine failed: " << ex.what();
            } catch (...) {
                SCHEDCP_LOG(host_.logger(), error) << "tools/call coroutine failed";
            }
        }));
    return std::nullopt;
}

std::string McpSession::tool_answer(const bj::value& id, const sdk::ToolResult& result,
                                    const RegisteredTool& tool, const Revision& rev) {
    const bool with_structured = rev.structured_output && wants_structured(result, tool.spec, rev);
    bj::object tail;
    if (rev.modern) modern_->finish(tail);
    return write_tool_answer(id, result, with_structured, tail, rev.audio_content,
                             quoted_texts_.get());
}

std::shared_ptr<Task> McpSession::start_task(McpCallContext& ctx, const bj::value& id,
                                             const std::string& key, const std::string& owner,
                                             const std::shared_ptr<InFlight>& entry) {
    auto created = tasks_->create(owner);
    if (auto* why = std::get_if<std::string>(&created)) {
        SCHEDCP_LOG(host_.logger(), warning)
            << "tools/call " << sdk::json::compact(id) << " runs without a task: " << *why;
        return nullptr;
    }
    auto task = std::get<std::shared_ptr<Task>>(std::move(created));
    // Its request is answered now: no progress may follow, and the session (a 2026-07-28
    // request's own, which ends with this answer) no longer cancels it; the task does.
    ctx.complete();
    if (auto it = in_flight_.find(key); it != in_flight_.end() && it->second == entry)
        in_flight_.erase(it);
    task->stop_handler = [entry] {
        entry->cancelled = true;
        entry->stop.request_stop();
        entry->cancel.emit(boost::asio::cancellation_type::terminal);
    };
    bj::object handle = task_handle(*task, tasks_->limits());
    modern_->finish(handle);
    handle["resultType"] = "task";
    deliver(make_response(id, std::move(handle)), id, OutboundKind::result, nullptr);
    SCHEDCP_LOG(host_.logger(), info) << "tools/call " << sdk::json::compact(id) << " runs as task "
                                      << task->id << " of '" << owner << "'";
    return task;
}

void McpSession::finish_task(Task& task, const McpCallContext& ctx,
                             const std::optional<sdk::ToolResult>& ran, const RegisteredTool& tool,
                             const Revision& rev) {
    task.stop_handler = nullptr;
    task.wake_handler = nullptr;
    if (task.terminal()) return;  // cancelled (tasks/cancel, expiry, server exit): it stays so
    const auto fail = [&](const RpcError& e) {
        bj::object error{{"code", e.code}, {"message", e.message}};
        if (!e.data.is_null()) error["data"] = e.data;
        task.error = std::move(error);
        tasks_->set_status(task, TaskStatus::failed);
    };
    // A JSON-RPC error the request would have got (a capability it needed): "failed".
    if (auto asked = answer_for_asking(ctx, rev.modern, ran.has_value(), nullptr)) {
        if (auto* refusal = std::get_if<RpcError>(&*asked))
            fail(*refusal);
        else
            fail({rpc_error::internal_error, "internal error: tool " + tool.spec.name +
                                                 " stopped to ask after it became a task"});
        return;
    }
    if (!ran) {
        fail({rpc_error::internal_error,
              "internal error: tool " + tool.spec.name + " gave no result"});
        return;
    }
    // What the request would have answered, kept no larger than a request may be.
    bj::object tail;
    modern_->finish(tail);
    const bool with_structured = rev.structured_output && wants_structured(*ran, tool.spec, rev);
    std::string answer =
        write_tool_answer(nullptr, *ran, with_structured, tail, rev.audio_content, nullptr);
    if (answer.size() > host_.config().max_message_bytes) {
        fail({rpc_error::internal_error, "internal error: the result of " + tool.spec.name + " (" +
                                             std::to_string(answer.size()) +
                                             " bytes) exceeds what a task keeps (" +
                                             std::to_string(host_.config().max_message_bytes) +
                                             " bytes, server.max_message_bytes)"});
        return;
    }
    task.result = std::move(bj::parse(answer).as_object()["result"].as_object());
    tasks_->set_status(task, TaskStatus::completed);
}

void McpSession::handle_task_method(const Message& msg, const Revision& rev) {
    auto capabilities = request_client_capabilities(msg, rev.modern, client_capabilities_);
    static const bj::object kNone;  // the client declared nothing
    auto answer =
        serve_task_method(*tasks_, msg, principal_.id, capabilities ? *capabilities : kNone);
    if (auto* error = std::get_if<RpcError>(&answer)) {
        reply_error(std::move(*error));
        return;
    }
    reply(msg.id, std::move(std::get<bj::object>(answer)), rev);
}

}  // namespace schedcp::host::mcp
