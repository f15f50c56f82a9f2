// Where an MCP session's messages go: the one thing a transport gives a session.
//
// stdio writes every message to stdout in order. Streamable HTTP routes each one: a
// response, and a notification that belongs to a request (its progress), to the HTTP
// request that carried that request; anything else to the session's standalone stream.
#pragma once

#include <string>

#include <boost/json/value.hpp>

namespace schedcp::host::mcp {

// What a message is, so a transport can route it without parsing it again.
enum class OutboundKind {
    notification,  // progress, a log record
    result,        // a response with a result (or a batch of responses)
    error,         // a JSON-RPC error response
};

class Outbound {
  public:
    virtual ~Outbound() = default;
    // One serialised JSON-RPC message. `related` is the id of the request it answers or
    // belongs to, null when it belongs to none (a log record, an error for a message whose
    // id could not be read). Thread-safe: progress and log records come from any thread.
    virtual void send(std::string serialised, const boost::json::value& related,
                      OutboundKind kind) = 0;
    // A request ended without an answer (the client cancelled it): nothing will be sent
    // for `id` any more. Called on the event loop.
    virtual void ended_unanswered(const boost::json::value& id) { (void)id; }
    // The handler of request `id` asks that the client be told to come back for the rest
    // (SSE polling, SEP-1699): the HTTP transport ends that request's SSE response now and
    // keeps the stream for a GET with Last-Event-ID. Other transports ignore it. Thread-safe.
    virtual void close_stream(const boost::json::value& id) { (void)id; }
};

}  // namespace schedcp::host::mcp
