// The HTTP transport as an OAuth 2.1 resource server (MCP authorization, RFC 9728, RFC
// 6750): who a request's bearer token names, the Protected Resource Metadata document, and
// the WWW-Authenticate challenges of 401 and 403 answers. Built from server.http.auth when
// the server starts (docs/http-transport.md, "Authorization").
//
// Tokens: a token of the token file (compared by SHA-256 in constant time), or, with a JWK
// Set configured, a JWT (jwt_verifier.hpp). The principal's id is the token file id or
// "jwt:<sub>": the only thing refusals are logged with.
#pragma once

#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "../../config.hpp"
#include "../../principal.hpp"
#include "jwt_verifier.hpp"
#include "token_file.hpp"

namespace schedcp::host::mcp::http {

// Why a request is not authenticated.
struct AuthRefusal {
    bool token_given;    // false: no (bearer) Authorization header at all
    std::string reason;  // for the log and error_description; never the token
};

class Authorizer {
  public:
    // Reads the token file (owner and mode checked) and the JWK Set. Throws
    // std::runtime_error with a message naming the setting and the file.
    Authorizer(const HttpAuthConfig& config, std::string endpoint_path, bool tls);

    std::variant<Principal, AuthRefusal> authenticate(std::string_view authorization_header,
                                                      std::time_t now) const;

    // The paths the metadata document is served at: /.well-known/oauth-protected-resource,
    // and that followed by the endpoint's path (the form RFC 9728 section 3.1 builds).
    bool is_metadata_path(std::string_view path) const;
    // The RFC 9728 document for a request that came with this (already validated) Host.
    std::string metadata_document(std::string_view host) const;
    // The resource's canonical URI and the metadata document's URL.
    std::string resource(std::string_view host) const;
    std::string metadata_url(std::string_view host) const;

    // WWW-Authenticate for a 401: the metadata link and the scope to ask for; with
    // error="invalid_token" when a token was given.
    std::string unauthenticated_challenge(std::string_view host, const AuthRefusal& why) const;
    // WWW-Authenticate for a 403 on a tool the principal's scopes do not allow.
    std::string insufficient_scope_challenge(std::string_view host) const;

    const std::string& read_scope() const { return config_.read_scope; }
    const std::string& admin_scope() const { return config_.admin_scope; }

  private:
    Scopes scopes_named(const std::vector<std::string>& names) const;

    HttpAuthConfig config_;
    std::string endpoint_path_;
    bool tls_;
    std::optional<TokenFile> tokens_;
    std::optional<JwtVerifier> jwt_;
};

}  // namespace schedcp::host::mcp::http
