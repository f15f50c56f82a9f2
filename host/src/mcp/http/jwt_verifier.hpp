// JWT access tokens (RFC 9068 style) verified against a JWK Set file with libcrypto.
//
// Keys: RSA (RS256, 2048 bits or more), EC P-256 (ES256) and OKP Ed25519 (EdDSA). Each key
// has exactly one algorithm, from its type (a JWK `alg`, when present, must agree); a
// token's header `alg` must be its key's, so "none", HMAC algorithms (a public key used as
// an HMAC secret) and any algorithm/key mix are refused. The key is the one named by the
// header's `kid`, else the only key of that algorithm. Claims: `iss` must equal the
// issuer, `aud` (a string or an array) must hold the audience, `exp` is required and `nbf`
// honoured, both with a leeway; `sub` names the principal; `scope` (space-separated) or
// `scp` (an array) carries the scopes. A header `crit` is refused (no extension is
// understood).
#pragma once

#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace schedcp::host::mcp::http {

enum class JwsAlgorithm { rs256, es256, eddsa };

struct VerifiedJwt {
    std::string subject;
    std::vector<std::string> scopes;
};

struct JwtPolicy {
    std::string issuer;
    std::string audience;
    long leeway_seconds = 60;
};

class JwtVerifier {
  public:
    // Throws std::runtime_error naming `source` and the key (its index) that is unusable.
    static JwtVerifier from_jwks(std::string_view jwks_json, const std::string& source,
                                 JwtPolicy policy);
    static JwtVerifier load(const std::filesystem::path& jwks_file, JwtPolicy policy);
    ~JwtVerifier();
    JwtVerifier(JwtVerifier&&) noexcept;
    JwtVerifier& operator=(JwtVerifier&&) noexcept;

    // The token's subject and scopes, or why it is refused (for the log and the
    // error_description; never contains the token).
    std::variant<VerifiedJwt, std::string> verify(std::string_view token, std::time_t now) const;
    std::size_t key_count() const;

  private:
    struct Key;
    JwtVerifier(std::vector<Key> keys, JwtPolicy policy);
    std::vector<Key> keys_;
    JwtPolicy policy_;
};

}  // namespace schedcp::host::mcp::http
