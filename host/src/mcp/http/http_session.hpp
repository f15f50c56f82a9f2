// What the HTTP transport keeps per MCP session: the McpSession, and the HTTP responses
// still open for it, to which its messages are routed (see Outbound).
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "../outbound.hpp"
#include "../session.hpp"
#include "sse_resume.hpp"

namespace schedcp::host::mcp::http {

// One HTTP response still being produced: the answer to a POSTed request (with the
// notifications that belong to it), or a session's standalone GET stream. Filled on the
// event loop; the connection that owns the response drains it.
struct ResponseStream {
    explicit ResponseStream(boost::asio::io_context::executor_type ex, std::size_t max_bytes)
        : wake(ex, std::chrono::steady_clock::time_point::max()),
          max_bytes(max_bytes),
          replay(max_bytes) {}

    void push(std::string message);
    // The response: nothing follows it.
    void answer(std::string message, OutboundKind kind);
    // Nothing more will come (the request was cancelled, the session ended).
    void end();

    std::deque<std::string> messages;  // serialised JSON-RPC, in order
    std::size_t bytes = 0;
    bool answered = false;
    OutboundKind answer_kind = OutboundKind::result;
    bool ended = false;
    bool overflowed = false;         // the client left more than max_bytes unread: cut off
    boost::asio::steady_timer wake;  // cancelled whenever something arrives
    std::size_t max_bytes;

    // Resumability (sse_resume.hpp), in 2025-11-25 sessions.
    std::uint64_t number = 0;  // the stream's number in its session; 0: no event ids
    std::uint64_t next_seq = 1;
    ReplayBuffer replay;           // events written, for a client that reconnects
    bool close_requested = false;  // end the HTTP response now; the stream goes on
    bool attached = false;         // an HTTP response is writing it
    bool finished = false;         // its answer (or its end) was written
    // A long-lived request's stream (subscriptions/listen) gets the standalone stream's
    // keep-alive comments, so a client that went away is noticed.
    bool heartbeat = false;
};

class HttpSession final : public Outbound, public std::enable_shared_from_this<HttpSession> {
  public:
    // `id` empty: a stateless (2026-07-28) session made for one request.
    HttpSession(boost::asio::io_context::executor_type ex, std::string id, std::size_t max_bytes);

    void attach(std::shared_ptr<McpSession> mcp) { mcp_ = std::move(mcp); }
    McpSession& mcp() { return *mcp_; }
    const std::string& id() const { return id_; }

    // A request was POSTed: its answer goes to the returned stream. Answers the session
    // gives while `dispatching` is set (to a request whose id it could not use) go there too.
    // `resumable`: its SSE events get ids (a 2025-11-25 session).
    std::shared_ptr<ResponseStream> expect(const std::string& id_key, bool resumable);
    bool expecting(const std::string& id_key) const { return pending_.count(id_key) > 0; }
    void set_dispatching(std::shared_ptr<ResponseStream> s) { dispatching_ = std::move(s); }
    // The standalone stream (GET): at most one at a time.
    std::shared_ptr<ResponseStream> open_standalone(bool resumable);
    bool has_standalone() const { return standalone_ != nullptr; }
    void close_standalone(const std::shared_ptr<ResponseStream>& s);

    // A request's stream whose HTTP response ended before its answer was written (closed
    // early, or the connection dropped): kept (a bounded number) until a GET with
    // Last-Event-ID resumes it and writes its answer.
    void keep_detached(const std::shared_ptr<ResponseStream>& s);
    void forget_detached(const std::shared_ptr<ResponseStream>& s);
    // The stream a Last-Event-ID names: a request stream (detached, or still being written
    // by its POST), or the standalone stream (open or last closed). Null when it is gone or
    // unknown.
    std::shared_ptr<ResponseStream> find_stream(std::uint64_t number) const;
    bool is_standalone(const std::shared_ptr<ResponseStream>& s) const {
        return s == standalone_ || s == last_standalone_;
    }

    // Ends the session: running requests are cancelled, open streams end.
    void end();
    bool idle_since(std::chrono::steady_clock::time_point t) const;
    void touch() { last_used_ = std::chrono::steady_clock::now(); }

    void send(std::string serialised, const boost::json::value& related,
              OutboundKind kind) override;
    void ended_unanswered(const boost::json::value& id) override;
    void close_stream(const boost::json::value& id) override;

  private:
    void route(std::string serialised, const boost::json::value& related, OutboundKind kind);

    boost::asio::io_context::executor_type ex_;
    std::string id_;
    std::size_t max_bytes_;
    std::shared_ptr<McpSession> mcp_;  // reset by end(): the McpSession holds us too
    std::map<std::string, std::shared_ptr<ResponseStream>> pending_;  // by id_key
    std::shared_ptr<ResponseStream> dispatching_;
    std::shared_ptr<ResponseStream> standalone_;
    std::shared_ptr<ResponseStream> last_standalone_;       // for a Last-Event-ID after it closed
    std::deque<std::shared_ptr<ResponseStream>> detached_;  // oldest first
    std::uint64_t streams_opened_ = 0;
    std::chrono::steady_clock::time_point last_used_ = std::chrono::steady_clock::now();
};

}  // namespace schedcp::host::mcp::http
