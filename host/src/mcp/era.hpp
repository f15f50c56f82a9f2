// The two MCP protocol eras. This is the one place that knows how they differ.
//
//  - LegacyEra (2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05): an `initialize`
//    handshake negotiates a revision for the whole connection; then ping, tools/*,
//    logging/setLevel; batches in 2025-03-26.
//  - ModernEra (2026-07-28): no handshake; every request carries its protocol version
//    and client capabilities in params._meta and is validated on its own;
//    server/discover; every result carries resultType and the server's identity.
//
// The connection's era is pinned by the first request that decides it (initialize ->
// legacy; a request with a valid modern envelope other than server/discover ->
// modern); server/discover alone does not pin, so a client whose probe fails can still
// fall back to initialize. A request carrying the modern envelope is always served
// statelessly, as the 2026-07-28 stdio backward-compatibility rules allow.
//
// Settled where the revisions leave it open:
//  - A modern request refused before it is served (-32022 for its version, -32602 for its
//    envelope) pins nothing: the client may still fall back to initialize on the same
//    connection (the stdio fallback the 2026-07-28 lifecycle describes). Only a request
//    that was served pins the connection to 2026-07-28; initialize after that gets -32022.
//  - A bare `ping` (no envelope) is a 2025-era request: 2026-07-28 has no ping (an
//    enveloped one gets -32601). The 2025 era answers it at any time, before initialize
//    too, with the 2025 EmptyResult `{}` (no resultType: that field is 2026-07-28's), and
//    it pins nothing.
//  - server/discover and every -32022 list every version served, 2026-07-28 and the 2025
//    revisions (see served_versions in era.cpp).
#pragma once

#include <optional>

#include "jsonrpc.hpp"
#include "revision.hpp"

namespace schedcp::host::mcp {

class McpSession;

class LegacyEra {
  public:
    explicit LegacyEra(McpSession& server) : server_(server) {}

    // Handles a request without the modern envelope.
    void handle(const Message& msg);
    void on_notification(const Message& msg);
    // The negotiated revision, once initialize has been answered.
    const Revision* revision() const { return revision_; }

  private:
    void initialize(const Message& msg);
    void set_log_level(const Message& msg);

    McpSession& server_;
    const Revision* revision_ = nullptr;
    bool initialized_notified_ = false;
};

class ModernEra {
  public:
    explicit ModernEra(McpSession& server) : server_(server) {}

    static bool has_envelope(const Message& msg);
    // Handles a request that carries the envelope (or is server/discover).
    void handle(const Message& msg);
    // The answer to a request without the envelope on a connection pinned to this era.
    RpcError reject_unenveloped(const Message& msg) const;
    // Adds resultType and the server's identity to a result.
    void finish(boost::json::object& result) const;

  private:
    // Checks the envelope; returns the revision or sends the error and returns null.
    const Revision* admit(const Message& msg);

    McpSession& server_;
};

}  // namespace schedcp::host::mcp
