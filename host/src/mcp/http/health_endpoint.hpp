// GET /healthz: the readiness probe's endpoint (the Kubernetes DaemonSet, load balancers).
// Answered before any other check (Host, Origin, authorization): it says "ok" and nothing
// else, so nothing is revealed to whoever asks, and a probe that sends the node's address
// as Host is not refused by DNS-rebinding protection. It is served once the server accepts
// connections, which is after every plugin has loaded: ready means tools can be called.
#pragma once

#include <optional>

#include <boost/beast/http.hpp>

namespace schedcp::host::mcp::http {

constexpr const char* kHealthPath = "/healthz";

// The answer when `req` asks for the health endpoint (GET or HEAD /healthz, any query);
// nullopt for every other request.
std::optional<boost::beast::http::response<boost::beast::http::string_body>> health_answer(
    const boost::beast::http::request<boost::beast::http::string_body>& req);

}  // namespace schedcp::host::mcp::http
