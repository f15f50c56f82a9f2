// Who sends an MCP session's requests, as its transport established it, and what they may
// call. stdio (the agent on this machine, which started the server) and HTTP without
// server.http.auth are the local principal, allowed everything; an HTTP request with a
// bearer token is the token's principal (docs/http-transport.md, "Authorization").
//
// Scopes map onto tool annotations: `read` may call the tools annotated read-only
// (ToolAnnotations::read_only), `admin` every tool; tool_scope.hpp adds the read-only
// commands of multi-command tools (sdk::ToolSpec::read_only_commands). tools/list lists every tool
// whatever the scopes: a client learns what exists and is refused what it may not call.
#pragma once

#include <string>

#include "schedcp/sdk/tool.hpp"

namespace schedcp::host {

struct Scopes {
    bool read = false;
    bool admin = false;

    bool operator==(const Scopes&) const = default;
};

struct Principal {
    // The token's id (a token file line), "jwt:<sub>" (a JWT), or "local". Never a secret:
    // this is what refusals are logged with.
    std::string id;
    Scopes scopes;

    static Principal local() { return {.id = "local", .scopes = {.read = true, .admin = true}}; }

    // Whether these scopes allow calling `tool` whatever the arguments. A tool with no
    // read_only annotation is not read-only.
    bool may_call(const sdk::ToolSpec& tool) const {
        return scopes.admin || (scopes.read && tool.annotations.read_only.value_or(false));
    }
};

}  // namespace schedcp::host
