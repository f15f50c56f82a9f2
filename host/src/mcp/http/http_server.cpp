#include "http_server.hpp"

#include <csignal>
#include <iostream>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <variant>

#include <openssl/ssl.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/json/parse.hpp>

#include "../../logging.hpp"
#include "../era.hpp"
#include "../jsonrpc.hpp"
#include "../quoted_text_cache.hpp"
#include "../revision.hpp"
#include "../tasks/task_methods.hpp"
#include "authorizer.hpp"
#include "health_endpoint.hpp"
#include "http_session.hpp"
#include "listeners.hpp"
#include "mirrored_headers.hpp"
#include "origin_policy.hpp"
#include "schedcp/sdk/json.hpp"
#include "setting_files.hpp"
#include "sse_resume.hpp"

namespace schedcp::host::mcp::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace bj = boost::json;
// One connection, TCP or AF_UNIX (listeners.hpp): the code below is the same for both.
using Stream = beast::basic_stream<StreamProtocol>;
// The same over TLS (server.http.tls).
using TlsStream = beast::ssl_stream<Stream>;
using Request = bhttp::request<bhttp::string_body>;
constexpr auto kTuple = net::as_tuple(net::use_awaitable);

namespace {

constexpr std::size_t kHeaderLimit = 16 * 1024;
// A standalone stream with nothing to say writes an SSE comment this often, so a client
// that went away is noticed (its connection slot is freed) without a request.
constexpr auto kHeartbeat = std::chrono::seconds(25);
// HeaderMismatch (2026-07-28, SEP-2243): an MCP header disagrees with the body.
constexpr int kHeaderMismatch = -32020;

std::string new_session_id() {
    std::random_device rd;  // getrandom(2)
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 8; ++i) {
        auto v = rd();
        for (int b = 0; b < 4; ++b) {
            id += kHex[(v >> (b * 8 + 4)) & 0xf];
            id += kHex[(v >> (b * 8)) & 0xf];
        }
    }
    return id;
}

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

bool accepts(const Request& req, std::string_view type) {
    auto accept = req[bhttp::field::accept];
    return accept.find(type) != std::string_view::npos ||
           accept.find("*/*") != std::string_view::npos;
}

// The HTTP status a JSON-RPC error gets in the 2026-07-28 transport.
bhttp::status modern_status(int code) {
    switch (code) {
        case rpc_error::method_not_found:
            return bhttp::status::not_found;
        case rpc_error::parse_error:
        case rpc_error::invalid_request:
        case rpc_error::invalid_params:
        case rpc_error::unsupported_protocol_version:
        case kHeaderMismatch:
        case -32021:  // MissingRequiredClientCapability
            return bhttp::status::bad_request;
        case rpc_error::internal_error:
            return bhttp::status::internal_server_error;
        default:
            return bhttp::status::ok;
    }
}

int error_code_of(const std::string& serialised) {
    boost::system::error_code ec;
    auto v = bj::parse(serialised, ec);
    if (ec || !v.is_object()) return 0;
    const auto* e = v.get_object().if_contains("error");
    if (!e || !e->is_object()) return 0;
    const auto* c = e->get_object().if_contains("code");
    return c && c->is_int64() ? static_cast<int>(c->get_int64()) : 0;
}

// The param a 2026-07-28 request repeats in its Mcp-Name header, if its method has one.
const char* mirrored_param(const std::string& method) {
    if (method == "tools/call" || method == "prompts/get") return "name";
    if (method == "resources/read" || method == "resources/subscribe" ||
        method == "resources/unsubscribe")
        return "uri";
    if (is_task_method(method)) return "taskId";  // the tasks extension's routing header
    return nullptr;
}

std::string sse_event(const std::string& message) {
    return "event: message\ndata: " + message + "\n\n";
}

// Whether a request's SSE events get ids (sse_resume.hpp): SEP-1699 is 2025-11-25's, and
// a client of an older revision might not expect an event without data. The session's
// revision is in the MCP-Protocol-Version header of every request after initialize.
bool resumable(const Request& req) {
    const std::string_view version = req["MCP-Protocol-Version"];
    const Revision* rev = find_revision(trim(version), false);
    return rev && rev->version >= std::string_view("2025-11-25");
}

// A request refused at the HTTP level, with the JSON-RPC error its body carries.
struct HttpError {
    bhttp::status status;
    int code;
    std::string message;
    bj::value id = nullptr;
    std::string challenge = {};  // WWW-Authenticate, for 401 and 403 of authorization
};

// What prepare_post decided.
// What a GET writes: a standalone stream (with, after a Last-Event-ID of an earlier one,
// that one's missed events first), or a request's stream being resumed.
struct GetStream {
    std::shared_ptr<HttpSession> session;
    std::shared_ptr<ResponseStream> stream;
    bool standalone = false;
    std::optional<std::uint64_t> resume_after;  // a request stream: replay after this seq
    std::string replay;                         // a standalone stream: events to write first
};

// How an SSE response begins: a new stream with event ids opens with the priming event; a
// resumed one with the events the client missed.
struct SseStart {
    bool resumed = false;
    std::string replay;
};

struct PostOutcome {
    std::optional<HttpError> error;
    bool accepted = false;  // a notification or response: 202, no body
    std::shared_ptr<HttpSession> session;
    std::shared_ptr<ResponseStream> stream;  // a request: its answer comes here
    bool modern = false;                     // a stateless 2026-07-28 request
    bool fresh = false;                      // initialize opened the session
};

}  // namespace

struct HttpServer::State : std::enable_shared_from_this<HttpServer::State> {
    State(Host& h, ListenAddress w, std::vector<Acceptor> inherited = {})
        : host(h),
          config(h.config().http),
          where(w),
          ex(h.io().get_executor()),
          acceptors(std::move(inherited)),
          signals(h.io(), SIGINT, SIGTERM, SIGHUP),
          reaper(h.io()),
          origins(config.allowed_hosts, config.allowed_origins) {}

    Host& host;
    const HttpConfig& config;
    ListenAddress where;
    net::io_context::executor_type ex;
    std::vector<Acceptor> acceptors;  // empty until start() binds `where`, unless inherited
    net::signal_set signals;
    net::steady_timer reaper;
    OriginPolicy origins;
    std::map<std::string, std::shared_ptr<HttpSession>> sessions;
    // Open connections (their transport layer, closed on shutdown); counted from accept on.
    std::set<Stream*> connections;
    std::size_t open_connections = 0;
    std::unique_ptr<Authorizer> auth;        // server.http.auth; null: no authorization
    // server.http.tls; null: plain HTTP. Shared: a connection keeps the context it was
    // accepted with when SIGHUP loads a new one.
    std::shared_ptr<net::ssl::context> tls;
    // One cache of quoted tool texts for every session: its bound is the server's, not a
    // session's (sessions run on the one event loop, as the cache requires).
    std::shared_ptr<QuotedTextCache> quoted_texts = std::make_shared<QuotedTextCache>();
    // Every session's tasks: a 2026-07-28 request's session ends with its answer, its task
    // runs on (tasks/task_store.hpp).
    std::shared_ptr<TaskStore> tasks = std::make_shared<TaskStore>(task_limits(host.config()));
    std::size_t refused_connections = 0;
    bool stopping = false;

    sdk::Logger& log() { return host.logger(); }

    // ------------------------------------------------------------ life cycle
    void start();
    void stop(const char* why);
    net::awaitable<void> accept_loop(Acceptor& acceptor);
    std::shared_ptr<net::ssl::context> load_tls() const;
    // SIGHUP: the files server.http names (token file, JWK Set, certificate and key) read
    // again, for connections and requests from now on; on any error the ones in use stay.
    void reload();
    void wait_for_signal();
    void schedule_reap();
    std::shared_ptr<HttpSession> make_session(std::string id);

    // ------------------------------------------------------------ one connection
    // The connection code is written once for both kinds of stream: S is Stream (HTTP)
    // or TlsStream (HTTPS).
    net::awaitable<void> connection(StreamProtocol::socket socket);
    template <class S>
    net::awaitable<void> serve(S& stream);
    // Writes the answer to one request; returns whether the connection may carry another.
    // (Coroutines here are called as `auto op = f(...); co_await std::move(op);`, and take
    // no temporaries: GCC 12 destroys those twice, see sdk/blocking.hpp.)
    template <class S>
    net::awaitable<bool> handle(S& stream, const Request& req);
    // The bearer token's principal (the local one without server.http.auth), or the 401.
    std::variant<Principal, HttpError> authenticate(const Request& req) const;
    // What a request is refused for before it is read as MCP (Host, Origin, path, method).
    std::optional<HttpError> screen(const Request& req) const;
    // A POST, checked and handed to its session (synchronously).
    PostOutcome prepare_post(const Request& req, const Principal& who);
    // SEP-2243: whether a tools/call's Mcp-Param-* headers disagree with its arguments.
    std::optional<std::string> mismatched_param_headers(const Request& req,
                                                        const Message& msg) const;
    std::variant<HttpError, GetStream> prepare_get(const Request& req, const Principal& who);
    std::optional<HttpError> end_session(const Request& req, const Principal& who);
    // The answer to a request, or a standalone stream, as JSON or SSE as it comes.
    template <class S>
    net::awaitable<bool> write_stream(S& stream, const Request& req, ResponseStream& rs,
                                      bool standalone, bool modern,
                                      const std::string& session_header, SseStart start);
    template <class S>
    net::awaitable<bool> write(S& stream, bhttp::response<bhttp::string_body>& res);
    template <class S>
    net::awaitable<bool> write_error(S& stream, const Request& req, const HttpError& error);
    template <class S>
    net::awaitable<bool> write_empty(S& stream, const Request& req, bhttp::status status);
    // The session the request names, when it exists and `who` opened it (a session id is
    // not a credential: another principal presenting it is told it does not exist).
    std::shared_ptr<HttpSession> find_session(const Request& req, const Principal& who);
};

// ---------------------------------------------------------------- life cycle

std::shared_ptr<net::ssl::context> HttpServer::State::load_tls() const {
    const auto& files = *config.tls;
    auto tls = std::make_shared<net::ssl::context>(net::ssl::context::tls_server);
    tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                     net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                     net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_2_VERSION);
    boost::system::error_code ec;
    tls->use_certificate_chain_file(files.certificate.string(), ec);
    if (ec)
        throw std::runtime_error("server.http.tls.certificate " + files.certificate.string() +
                                 ": not a usable PEM certificate chain (" + ec.message() + ")");
    check_key_file(files.key, ::geteuid(), "server.http.tls.key");
    tls->use_private_key_file(files.key.string(), net::ssl::context::pem, ec);
    if (ec)
        throw std::runtime_error("server.http.tls.key " + files.key.string() +
                                 ": not a usable unencrypted PEM private key (" + ec.message() +
                                 ")");
    if (SSL_CTX_check_private_key(tls->native_handle()) != 1)
        throw std::runtime_error("server.http.tls.key " + files.key.string() +
                                 ": does not belong to the certificate " +
                                 files.certificate.string());
    return tls;
}

void HttpServer::State::reload() {
    try {
        auto new_tls = config.tls ? load_tls() : nullptr;
        auto new_auth = config.auth ? std::make_unique<Authorizer>(*config.auth, config.path,
                                                                   config.tls.has_value())
                                    : nullptr;
        // Both read, or neither replaced: never half a reload.
        tls = std::move(new_tls);
        auth = std::move(new_auth);
        SCHEDCP_LOG(log(), info) << "SIGHUP: reloaded"
                                 << (config.auth ? " the token file / JWK Set" : "")
                                 << (config.auth && config.tls ? " and" : "")
                                 << (config.tls ? " the TLS certificate and key" : "")
                                 << (config.auth || config.tls ? "" : " nothing (no auth, no tls)");
    } catch (const std::exception& e) {
        SCHEDCP_LOG(log(), error) << "SIGHUP: reload failed, the files read before stay in use: "
                                  << e.what();
    }
}

void HttpServer::State::wait_for_signal() {
    signals.async_wait([self = shared_from_this()](boost::system::error_code e, int sig) {
        if (e) return;
        if (sig == SIGHUP) {
            self->reload();
            self->wait_for_signal();
            return;
        }
        self->stop(sig == SIGINT ? "SIGINT" : "SIGTERM");
    });
}

void HttpServer::State::start() {
    if (config.tls) tls = load_tls();
    if (config.auth)
        auth = std::make_unique<Authorizer>(*config.auth, config.path, config.tls.has_value());
    if (acceptors.empty()) acceptors.push_back(listen_tcp(host.io(), where));
    wait_for_signal();
    for (auto& acceptor : acceptors) {
        net::co_spawn(ex, accept_loop(acceptor), net::detached);
        SCHEDCP_LOG(log(), info) << "MCP server ready on " << describe_listener(acceptor)
                                 << config.path << (tls ? " over TLS" : "") << " ("
                                 << host.tools().size() << " tools; "
                                 << (auth ? "bearer tokens required" : "no authorization")
                                 << ")";
    }
    schedule_reap();
}

void HttpServer::State::stop(const char* why) {
    if (stopping) return;
    stopping = true;
    SCHEDCP_LOG(log(), info) << "shutting down: " << why;
    boost::system::error_code ignored;
    for (auto& acceptor : acceptors) acceptor.close(ignored);
    signals.cancel(ignored);
    reaper.cancel();
    for (auto& [id, s] : sessions) s->end();
    sessions.clear();
    tasks->cancel_all();  // in memory only: a task does not outlive its server
    // Plugins first (they unload schedulers), as on stdio; then every connection is cut.
    host.stop();
    for (auto* c : connections) c->socket().close(ignored);
    host.io().stop();
}

net::awaitable<void> HttpServer::State::accept_loop(Acceptor& acceptor) {
    auto self = shared_from_this();
    while (!stopping) {
        auto [ec, socket] = co_await acceptor.async_accept(kTuple);
        if (ec) {
            if (ec == net::error::operation_aborted || stopping) co_return;
            // Out of descriptors and the like: wait a little rather than spin.
            SCHEDCP_LOG(log(), warning) << "accept failed: " << ec.message();
            net::steady_timer t(ex, std::chrono::milliseconds(100));
            co_await t.async_wait(kTuple);
            continue;
        }
        if (open_connections >= config.max_connections) {
            // Bounded descriptors: over the limit a connection is closed unread.
            if (refused_connections++ % 100 == 0)
                SCHEDCP_LOG(log(), warning) << "refusing connections: " << open_connections
                                            << " are open (server.http.max_connections); "
                                            << refused_connections << " refused so far";
            boost::system::error_code ignored;
            socket.close(ignored);
            continue;
        }
        ++open_connections;
        net::co_spawn(ex, connection(std::move(socket)), net::detached);
    }
}

void HttpServer::State::schedule_reap() {
    const auto idle = std::chrono::seconds(config.session_idle_seconds);
    reaper.expires_after(std::min<std::chrono::steady_clock::duration>(
        idle / 2 + std::chrono::seconds(1), std::chrono::seconds(60)));
    reaper.async_wait([self = shared_from_this(), idle](boost::system::error_code ec) {
        if (ec || self->stopping) return;
        const auto cutoff = std::chrono::steady_clock::now() - idle;
        for (auto it = self->sessions.begin(); it != self->sessions.end();) {
            if (it->second->idle_since(cutoff)) {
                SCHEDCP_LOG(self->log(), info) << "session " << it->first << " ended: idle";
                it->second->end();
                it = self->sessions.erase(it);
            } else {
                ++it;
            }
        }
        self->schedule_reap();
    });
}

std::shared_ptr<HttpSession> HttpServer::State::make_session(std::string id) {
    auto s = std::make_shared<HttpSession>(ex, std::move(id), host.config().max_outgoing_bytes);
    s->attach(std::make_shared<McpSession>(host, s, quoted_texts, tasks));
    return s;
}

std::variant<Principal, HttpError> HttpServer::State::authenticate(const Request& req) const {
    if (!auth) return Principal::local();
    auto result = auth->authenticate(req[bhttp::field::authorization], std::time(nullptr));
    if (auto* who = std::get_if<Principal>(&result)) return std::move(*who);
    const auto& why = std::get<AuthRefusal>(result);
    // The token is never logged: only why it was refused.
    SCHEDCP_LOG(host.logger(), warning) << "refused an unauthenticated request: " << why.reason;
    return HttpError{.status = bhttp::status::unauthorized,
                     .code = rpc_error::invalid_request,
                     .message = "unauthorized: " + why.reason +
                                "; send Authorization: Bearer <token> (see the resource "
                                "metadata in WWW-Authenticate)",
                     .challenge = auth->unauthenticated_challenge(req[bhttp::field::host], why)};
}

// ---------------------------------------------------------------- one connection

net::awaitable<void> HttpServer::State::connection(StreamProtocol::socket socket) {
    auto self = shared_from_this();
    if (!tls) {
        Stream stream(std::move(socket));
        connections.insert(&stream);
        auto op = serve(stream);
        co_await std::move(op);
    } else {
        const auto context = tls;  // kept alive for this connection across a reload
        TlsStream stream(std::move(socket), *context);
        connections.insert(&beast::get_lowest_layer(stream));
        // The handshake is bounded like a request: a client that stalls it is dropped.
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(config.idle_seconds));
        auto [ec] = co_await stream.async_handshake(net::ssl::stream_base::server, kTuple);
        if (ec) {
            SCHEDCP_LOG(log(), debug) << "TLS handshake failed: " << ec.message();
        } else {
            auto op = serve(stream);
            co_await std::move(op);
            if (!stopping) {
                // close_notify, bounded: the client may be gone.
                beast::get_lowest_layer(stream).expires_after(
                    std::chrono::seconds(config.idle_seconds));
                co_await stream.async_shutdown(kTuple);
            }
        }
        boost::system::error_code ignored;
        beast::get_lowest_layer(stream).socket().close(ignored);
        connections.erase(&beast::get_lowest_layer(stream));
    }
    --open_connections;
}

template <class S>
net::awaitable<void> HttpServer::State::serve(S& stream) {
    auto self = shared_from_this();
    auto& lowest = beast::get_lowest_layer(stream);
    beast::flat_buffer buffer;
    for (;;) {
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(kHeaderLimit);
        parser.body_limit(host.config().max_message_bytes);
        // Bounds the whole request, a client that trickles bytes included.
        lowest.expires_after(std::chrono::seconds(config.idle_seconds));
        auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
        if (ec == bhttp::error::body_limit) {
            Request head;
            head.version(parser.get().version());
            head.keep_alive(false);
            const HttpError error{.status = bhttp::status::payload_too_large,
                                  .code = rpc_error::invalid_request,
                                  .message = "invalid request: the body exceeds the limit of " +
                                             std::to_string(host.config().max_message_bytes) +
                                             " bytes (server.max_message_bytes); it was not read"};
            auto op = write_error(stream, head, error);
            co_await std::move(op);
            break;
        }
        if (ec == bhttp::error::header_limit) {
            Request head;
            head.keep_alive(false);
            auto op = write_empty(stream, head, bhttp::status::request_header_fields_too_large);
            co_await std::move(op);
            break;
        }
        if (ec) break;  // closed, idle, or not HTTP
        const Request req = parser.release();
        if (stopping) break;
        auto op = handle(stream, req);
        const bool keep = co_await std::move(op);
        if (!keep || !req.keep_alive() || stopping) break;
    }
    if constexpr (std::is_same_v<S, Stream>) {
        boost::system::error_code ignored;
        stream.socket().shutdown(net::socket_base::shutdown_both, ignored);
        stream.socket().close(ignored);
        connections.erase(&stream);
    }
}

template <class S>
net::awaitable<bool> HttpServer::State::write(S& stream, bhttp::response<bhttp::string_body>& res) {
    beast::get_lowest_layer(stream).expires_after(
        std::chrono::seconds(host.config().stalled_client_seconds));
    auto [ec, n] = co_await bhttp::async_write(stream, res, kTuple);
    co_return !ec && res.keep_alive();
}

template <class S>
net::awaitable<bool> HttpServer::State::write_error(S& stream, const Request& req,
                                                    const HttpError& error) {
    bhttp::response<bhttp::string_body> res{error.status, req.version()};
    res.set(bhttp::field::content_type, "application/json");
    if (!error.challenge.empty()) res.set(bhttp::field::www_authenticate, error.challenge);
    if (error.status == bhttp::status::method_not_allowed)
        res.set(bhttp::field::allow, "GET, POST, DELETE");
    res.body() = sdk::json::compact(make_error({error.code, error.message, nullptr, error.id}));
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    auto op = write(stream, res);
    co_return co_await std::move(op);
}

template <class S>
net::awaitable<bool> HttpServer::State::write_empty(S& stream, const Request& req,
                                                    bhttp::status status) {
    bhttp::response<bhttp::string_body> res{status, req.version()};
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    auto op = write(stream, res);
    co_return co_await std::move(op);
}

std::optional<HttpError> HttpServer::State::screen(const Request& req) const {
    // DNS-rebinding protection before anything else is looked at.
    const auto refuse = [this](std::string_view header, std::string_view value,
                               const std::string& setting) {
        SCHEDCP_LOG(host.logger(), warning)
            << "refused a request with " << header << " " << sdk::json::compact(bj::string(value))
            << " (" << setting << ")";
        return HttpError{bhttp::status::forbidden, rpc_error::invalid_request,
                         "forbidden: " + std::string(header) + " not allowed (" + setting + ")"};
    };
    if (!origins.host_allowed(req[bhttp::field::host]))
        return refuse("Host", req[bhttp::field::host], "server.http.allowed_hosts");
    const bool has_origin = req.find(bhttp::field::origin) != req.end();
    if (!origins.origin_allowed(req[bhttp::field::origin], has_origin))
        return refuse("Origin", req[bhttp::field::origin], "server.http.allowed_origins");
    auto target = req.target();
    if (auto q = target.find('?'); q != std::string_view::npos) target = target.substr(0, q);
    if (auth && auth->is_metadata_path(target)) {
        if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head)
            return HttpError{bhttp::status::method_not_allowed, rpc_error::invalid_request,
                             "method not allowed: the resource metadata is read with GET"};
        return std::nullopt;
    }
    if (target != config.path)
        return HttpError{bhttp::status::not_found, rpc_error::invalid_request,
                         "not found: the MCP endpoint is " + config.path};
    const auto m = req.method();
    if (m != bhttp::verb::post && m != bhttp::verb::get && m != bhttp::verb::delete_)
        return HttpError{bhttp::status::method_not_allowed, rpc_error::invalid_request,
                         "method not allowed: the MCP endpoint takes POST, GET and DELETE"};
    return std::nullopt;
}

template <class S>
net::awaitable<bool> HttpServer::State::handle(S& stream, const Request& req) {
    if (auto health = health_answer(req)) {
        auto op = write(stream, *health);
        co_return co_await std::move(op);
    }
    if (auto refused = screen(req)) {
        auto op = write_error(stream, req, *refused);
        co_return co_await std::move(op);
    }
    auto target = req.target();
    if (auto q = target.find('?'); q != std::string_view::npos) target = target.substr(0, q);
    if (auth && auth->is_metadata_path(target)) {
        // RFC 9728: public, so that a client without a token learns where to get one.
        bhttp::response<bhttp::string_body> res{bhttp::status::ok, req.version()};
        res.set(bhttp::field::content_type, "application/json");
        res.set(bhttp::field::cache_control, "max-age=3600");
        res.body() = auth->metadata_document(req[bhttp::field::host]);
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        if (req.method() == bhttp::verb::head) res.body().clear();
        auto op = write(stream, res);
        co_return co_await std::move(op);
    }
    auto authenticated = authenticate(req);
    if (auto* refused = std::get_if<HttpError>(&authenticated)) {
        auto op = write_error(stream, req, *refused);
        co_return co_await std::move(op);
    }
    const Principal& who = std::get<Principal>(authenticated);
    if (req.method() == bhttp::verb::delete_) {
        if (auto refused = end_session(req, who)) {
            auto op = write_error(stream, req, *refused);
            co_return co_await std::move(op);
        }
        auto op = write_empty(stream, req, bhttp::status::ok);
        co_return co_await std::move(op);
    }
    if (req.method() == bhttp::verb::get) {
        auto prepared = prepare_get(req, who);
        if (auto* refused = std::get_if<HttpError>(&prepared)) {
            auto op = write_error(stream, req, *refused);
            co_return co_await std::move(op);
        }
        GetStream get = std::get<GetStream>(std::move(prepared));
        const std::string no_header;
        std::string first =
            get.standalone ? std::move(get.replay) : get.stream->replay.after(*get.resume_after);
        auto op = write_stream(
            stream, req, *get.stream, get.standalone, false, no_header,
            SseStart{.resumed = !get.standalone || !first.empty(), .replay = std::move(first)});
        const bool keep = co_await std::move(op);
        if (get.standalone)
            get.session->close_standalone(get.stream);
        else if (get.stream->finished)
            get.session->forget_detached(get.stream);
        co_return keep;
    }
    PostOutcome post = prepare_post(req, who);
    if (post.error) {
        auto op = write_error(stream, req, *post.error);
        co_return co_await std::move(op);
    }
    if (post.accepted) {
        auto op = write_empty(stream, req, bhttp::status::accepted);
        co_return co_await std::move(op);
    }
    const std::string session_header = post.fresh ? post.session->id() : std::string();
    auto op = write_stream(stream, req, *post.stream, false, post.modern, session_header, {});
    const bool keep = co_await std::move(op);
    // Closed early or dropped before its answer: the client may come back for it.
    if (!post.stream->finished) post.session->keep_detached(post.stream);
    if (post.session->id().empty()) {
        post.session->end();  // the stateless request's session ends with it
    } else if (post.fresh && post.stream->answered &&
               post.stream->answer_kind == OutboundKind::error) {
        SCHEDCP_LOG(log(), info) << "session " << post.session->id()
                                 << " not opened: initialize failed";
        post.session->end();
        sessions.erase(post.session->id());
    }
    co_return keep;
}

std::shared_ptr<HttpSession> HttpServer::State::find_session(const Request& req,
                                                             const Principal& who) {
    auto it = sessions.find(trim(req["Mcp-Session-Id"]));
    if (it == sessions.end()) return nullptr;
    const std::string& owner = it->second->mcp().principal().id;
    if (owner != who.id) {
        SCHEDCP_LOG(log(), warning) << "refused token '" << who.id << "' on session " << it->first
                                    << ", which token '" << owner << "' opened";
        return nullptr;
    }
    // The same principal, its scopes as this request's token gives them (a new JWT may
    // carry others).
    it->second->mcp().set_principal(who);
    return it->second;
}

std::optional<std::string> HttpServer::State::mismatched_param_headers(const Request& req,
                                                                       const Message& msg) const {
    if (msg.method != "tools/call") return std::nullopt;
    const bj::value* name = msg.params.if_contains("name");
    const RegisteredTool* tool =
        name && name->is_string() ? host.find_tool(name->get_string()) : nullptr;
    if (!tool) return std::nullopt;  // the call itself fails: unknown tool
    static const bj::object kNoArguments;
    const bj::value* args = msg.params.if_contains("arguments");
    return check_param_headers(tool->spec.input_schema,
                               args && args->is_object() ? args->get_object() : kNoArguments,
                               [&req](std::string_view header) -> std::optional<std::string_view> {
                                   auto h = req.find(header);
                                   if (h == req.end()) return std::nullopt;
                                   return h->value();
                               });
}

PostOutcome HttpServer::State::prepare_post(const Request& req, const Principal& who) {
    auto refuse = [](bhttp::status status, int code, std::string message, bj::value id = nullptr) {
        return PostOutcome{.error = HttpError{status, code, std::move(message), std::move(id)}};
    };
    if (!accepts(req, "application/json") || !accepts(req, "text/event-stream"))
        return refuse(
            bhttp::status::not_acceptable, rpc_error::invalid_request,
            "not acceptable: the Accept header must list application/json and text/event-stream");
    if (req[bhttp::field::content_type].find("application/json") == std::string_view::npos)
        return refuse(bhttp::status::unsupported_media_type, rpc_error::invalid_request,
                      "unsupported media type: send Content-Type: application/json");
    bj::parse_options opts;
    opts.max_depth = 64;
    boost::system::error_code ec;
    bj::value v = bj::parse(req.body(), ec, {}, opts);
    if (ec)
        return refuse(bhttp::status::bad_request, rpc_error::parse_error,
                      "parse error: " + ec.message());
    if (v.is_array())
        return refuse(bhttp::status::bad_request, rpc_error::invalid_request,
                      "invalid request: send one JSON-RPC message per POST (batches are not "
                      "served over HTTP)");
    auto classified = classify(v);
    if (auto* err = std::get_if<RpcError>(&classified))
        return refuse(bhttp::status::bad_request, err->code, err->message, err->id);
    const Message& msg = std::get<Message>(classified);
    const bool is_request = msg.kind == Message::Kind::request;
    const bool modern =
        is_request && (ModernEra::has_envelope(msg) || msg.method == "server/discover");

    if (modern) {
        // 2026-07-28: the headers repeat what the body says, and must agree with it.
        const bj::object* meta = nullptr;
        if (auto m = msg.params.find("_meta"); m != msg.params.end() && m->value().is_object())
            meta = &m->value().get_object();
        const bj::value* version = meta ? meta->if_contains(kMetaProtocolVersion) : nullptr;
        const std::string header_version = trim(req["MCP-Protocol-Version"]);
        if (version && version->is_string() && header_version != version->get_string())
            return refuse(bhttp::status::bad_request, kHeaderMismatch,
                          "header mismatch: MCP-Protocol-Version '" + header_version +
                              "' must equal params._meta." + std::string(kMetaProtocolVersion),
                          msg.id);
        if (auto h = req.find("Mcp-Method"); h == req.end() || trim(h->value()) != msg.method)
            return refuse(bhttp::status::bad_request, kHeaderMismatch,
                          "header mismatch: the Mcp-Method header must equal the body's method '" +
                              msg.method + "'",
                          msg.id);
        // Methods that name what they act on repeat the name in Mcp-Name.
        if (const char* key = mirrored_param(msg.method)) {
            const bj::value* name = msg.params.if_contains(key);
            auto h = req.find("Mcp-Name");
            // Mcp-Name may carry its value in the =?base64?...?= form (mirrored_headers.hpp).
            std::optional<std::string> header_name;
            if (h != req.end()) header_name = decode_header_value(h->value());
            if (name && (!header_name || !name->is_string() || *header_name != name->get_string()))
                return refuse(bhttp::status::bad_request, kHeaderMismatch,
                              std::string("header mismatch: the Mcp-Name header must equal "
                                          "params.") +
                                  key,
                              msg.id);
        }
        if (auto why = mismatched_param_headers(req, msg))
            return refuse(bhttp::status::bad_request, kHeaderMismatch, "header mismatch: " + *why,
                          msg.id);
    } else if (auto h = req.find("MCP-Protocol-Version"); h != req.end()) {
        const std::string header_version = trim(h->value());
        if (!find_revision(header_version, false) && !find_revision(header_version, true))
            return refuse(bhttp::status::bad_request, rpc_error::invalid_request,
                          "bad request: unsupported MCP-Protocol-Version '" + header_version + "'",
                          msg.id);
    }

    PostOutcome out;
    out.modern = modern;
    if (req.find("Mcp-Session-Id") != req.end()) {
        out.session = find_session(req, who);
        if (!out.session)
            return refuse(bhttp::status::not_found, rpc_error::invalid_request,
                          "session not found: it ended or never existed; send initialize again",
                          msg.id);
        out.modern = false;  // a session's answers are the 2025 transport's
    } else if (is_request && msg.method == "initialize" && !modern) {
        if (sessions.size() >= config.max_sessions)
            return refuse(bhttp::status::service_unavailable, rpc_error::server_busy,
                          "server busy: " + std::to_string(sessions.size()) +
                              " sessions are open (server.http.max_sessions); end one with DELETE",
                          msg.id);
        out.session = make_session(new_session_id());
        out.session->mcp().set_principal(who);
        sessions[out.session->id()] = out.session;
        out.fresh = true;
        SCHEDCP_LOG(log(), info) << "session " << out.session->id() << " opened by "
                                 << (auth ? "token '" + who.id + "'" : who.id);
    } else if (modern) {
        out.session = make_session("");  // stateless: this request's alone
        out.session->mcp().set_principal(who);
    } else {
        return refuse(bhttp::status::bad_request, rpc_error::invalid_request,
                      "bad request: no Mcp-Session-Id header; send initialize first (MCP 2025 "
                      "revisions), or put the 2026-07-28 _meta envelope on every request",
                      msg.id);
    }
    out.session->touch();
    if (!is_request) {
        // Notifications (cancellation) and responses are accepted without a body.
        out.session->mcp().on_message(msg);
        out.accepted = true;
        return out;
    }
    const std::string key = id_key(msg.id);
    if (out.session->expecting(key))
        return refuse(bhttp::status::bad_request, rpc_error::invalid_request,
                      "invalid request: id " + sdk::json::compact(msg.id) +
                          " is already in use by a running request",
                      msg.id);
    out.stream = out.session->expect(key, !out.modern && resumable(req));
    out.stream->heartbeat = msg.method == "subscriptions/listen";
    out.session->set_dispatching(out.stream);
    out.session->mcp().on_message(msg);
    out.session->set_dispatching(nullptr);
    return out;
}

std::variant<HttpError, GetStream> HttpServer::State::prepare_get(const Request& req,
                                                                  const Principal& who) {
    if (req.find("Mcp-Session-Id") == req.end())
        return HttpError{bhttp::status::method_not_allowed, rpc_error::invalid_request,
                         "method not allowed: GET opens a session's stream; name the session "
                         "with Mcp-Session-Id"};
    if (!accepts(req, "text/event-stream"))
        return HttpError{bhttp::status::not_acceptable, rpc_error::invalid_request,
                         "not acceptable: the Accept header must list text/event-stream"};
    auto session = find_session(req, who);
    if (!session)
        return HttpError{bhttp::status::not_found, rpc_error::invalid_request,
                         "session not found: it ended or never existed"};
    if (auto last = req.find("Last-Event-ID"); last != req.end()) {
        // Resuming (SEP-1699): a request's stream that was closed early or dropped, or the
        // standalone stream. Unknown or expired ids get a fresh standalone stream.
        if (auto event = parse_event_id(last->value())) {
            auto rs = session->find_stream(event->stream);
            if (rs && rs->attached)
                return HttpError{bhttp::status::conflict, rpc_error::invalid_request,
                                 "conflict: that stream is being written on another connection"};
            if (rs && !session->is_standalone(rs))
                return GetStream{.session = session, .stream = rs, .resume_after = event->seq};
            if (rs && !session->has_standalone()) {
                auto fresh = session->open_standalone(resumable(req));
                return GetStream{.session = session,
                                 .stream = fresh,
                                 .standalone = true,
                                 .replay = rs->replay.after(event->seq)};
            }
        }
    }
    if (session->has_standalone())
        return HttpError{bhttp::status::conflict, rpc_error::invalid_request,
                         "conflict: this session's stream is already open"};
    return GetStream{
        .session = session, .stream = session->open_standalone(resumable(req)), .standalone = true};
}

std::optional<HttpError> HttpServer::State::end_session(const Request& req, const Principal& who) {
    if (req.find("Mcp-Session-Id") == req.end())
        return HttpError{bhttp::status::method_not_allowed, rpc_error::invalid_request,
                         "method not allowed: DELETE ends a session; name it with "
                         "Mcp-Session-Id"};
    auto session = find_session(req, who);
    if (!session)
        return HttpError{bhttp::status::not_found, rpc_error::invalid_request,
                         "session not found: it ended or never existed"};
    SCHEDCP_LOG(log(), info) << "session " << session->id() << " ended by the client";
    session->end();
    sessions.erase(session->id());
    return std::nullopt;
}

template <class S>
net::awaitable<bool> HttpServer::State::write_stream(S& stream, const Request& req,
                                                     ResponseStream& rs, bool standalone,
                                                     bool modern, const std::string& session_header,
                                                     SseStart start) {
    auto self = shared_from_this();
    auto& lowest = beast::get_lowest_layer(stream);
    rs.attached = true;
    struct Detach {
        ResponseStream& rs;
        ~Detach() { rs.attached = false; }
    } detach{rs};
    // Waits for the first message: a response that comes first goes out as plain JSON.
    while (rs.messages.empty() && !rs.ended && !rs.overflowed && !stopping && !standalone &&
           !rs.close_requested && !start.resumed) {
        rs.wake.expires_at(std::chrono::steady_clock::time_point::max());
        lowest.expires_never();
        co_await rs.wake.async_wait(kTuple);
    }
    if (!standalone && !start.resumed && rs.answered && rs.messages.size() == 1) {
        rs.finished = true;
        bhttp::status status = bhttp::status::ok;
        const int code =
            rs.answer_kind == OutboundKind::error ? error_code_of(rs.messages.front()) : 0;
        if (modern && rs.answer_kind == OutboundKind::error) status = modern_status(code);
        // A tool the token's scopes do not allow: the revisions' insufficient-scope answer,
        // whatever the era.
        const bool forbidden = auth && code == rpc_error::insufficient_scope;
        if (forbidden) status = bhttp::status::forbidden;
        bhttp::response<bhttp::string_body> res{status, req.version()};
        res.set(bhttp::field::content_type, "application/json");
        if (forbidden)
            res.set(bhttp::field::www_authenticate,
                    auth->insufficient_scope_challenge(req[bhttp::field::host]));
        if (!session_header.empty()) res.set("Mcp-Session-Id", session_header);
        res.body() = std::move(rs.messages.front());
        rs.messages.clear();
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        auto op = write(stream, res);
        co_return co_await std::move(op);
    }
    bhttp::response<bhttp::empty_body> head{bhttp::status::ok, req.version()};
    head.set(bhttp::field::content_type, "text/event-stream");
    head.set(bhttp::field::cache_control, "no-cache");
    if (!session_header.empty()) head.set("Mcp-Session-Id", session_header);
    head.chunked(true);
    head.keep_alive(req.keep_alive());
    bhttp::response_serializer<bhttp::empty_body> sr{head};
    lowest.expires_after(std::chrono::seconds(host.config().stalled_client_seconds));
    auto [hec, hn] = co_await bhttp::async_write_header(stream, sr, kTuple);
    if (hec) co_return false;
    std::string opening = start.resumed ? std::move(start.replay)
                          : rs.number   ? sse_priming_event(rs.number)
                                        : std::string();
    if (!opening.empty()) {
        const auto body = bhttp::make_chunk(net::buffer(opening));
        auto [ec, n] = co_await net::async_write(stream, body, kTuple);
        if (ec) co_return false;
    }
    for (;;) {
        if (rs.overflowed) {
            SCHEDCP_LOG(log(), warning)
                << "cutting off a stream whose client left more than "
                << host.config().max_outgoing_bytes << " bytes unread (server.max_outgoing_bytes)";
            co_return false;
        }
        if (!rs.messages.empty()) {
            std::string chunk;
            while (!rs.messages.empty()) {
                if (rs.number) {
                    const EventId id{.stream = rs.number, .seq = rs.next_seq++};
                    std::string event = sse_event_with_id(id, rs.messages.front());
                    chunk += event;
                    rs.replay.add(id.seq, std::move(event));
                } else {
                    chunk += sse_event(rs.messages.front());
                }
                rs.messages.pop_front();
            }
            rs.bytes = 0;
            lowest.expires_after(std::chrono::seconds(host.config().stalled_client_seconds));
            const auto body = bhttp::make_chunk(net::buffer(chunk));
            auto [ec, n] = co_await net::async_write(stream, body, kTuple);
            if (ec) co_return false;
            continue;
        }
        if (rs.answered || rs.ended) {
            rs.finished = true;
            break;
        }
        if (stopping) break;
        if (rs.close_requested) {
            // SSE polling: this response ends, the stream goes on (see keep_detached).
            rs.close_requested = false;
            break;
        }
        if (standalone || rs.heartbeat)
            rs.wake.expires_after(kHeartbeat);
        else
            rs.wake.expires_at(std::chrono::steady_clock::time_point::max());
        lowest.expires_never();
        auto [wec] = co_await rs.wake.async_wait(kTuple);
        if (!wec && (standalone || rs.heartbeat)) {
            static const std::string kComment = ": keep-alive\n\n";
            lowest.expires_after(std::chrono::seconds(host.config().stalled_client_seconds));
            const auto body = bhttp::make_chunk(net::buffer(kComment));
            auto [ec, n] = co_await net::async_write(stream, body, kTuple);
            if (ec) co_return false;
        }
    }
    lowest.expires_after(std::chrono::seconds(host.config().stalled_client_seconds));
    const auto last = bhttp::make_chunk_last();
    auto [ec, n] = co_await net::async_write(stream, last, kTuple);
    co_return !ec && req.keep_alive() && !stopping;
}

// ---------------------------------------------------------------- HttpServer

HttpServer::HttpServer(Host& host, ListenAddress where)
    : state_(std::make_shared<State>(host, where)) {}

HttpServer::HttpServer(Host& host, std::vector<Acceptor> inherited)
    : state_(std::make_shared<State>(host, ListenAddress{}, std::move(inherited))) {}

HttpServer::~HttpServer() {
    for (auto& [id, s] : state_->sessions) s->end();
}

void HttpServer::start() {
    state_->start();
}

ListenAddress HttpServer::bound() const {
    return state_->where;
}

std::vector<std::string> HttpServer::listeners() const {
    std::vector<std::string> out;
    for (const auto& a : state_->acceptors) out.push_back(describe_listener(a));
    return out;
}

}  // namespace schedcp::host::mcp::http
