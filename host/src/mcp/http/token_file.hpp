// server.http.auth.token_file: the bearer tokens the server accepts.
//
// One token per line, `id:sha256-hex:scope[,scope]` (blank lines and `#` comments
// allowed): the id names the token in logs (never the token itself), the SHA-256 of the
// secret is all the file holds, the scopes are server.http.auth.scopes names. The file
// must be a regular file owned by the server's user with no group/other permission bits
// (0600 or stricter): anyone who can write it can grant themselves admin.
//
// `schedcp-cli token new ID --scope read` mints a secret and prints it once with its line.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include "../../principal.hpp"
#include "../hmac_sha256.hpp"

namespace schedcp::host::mcp::http {

using Digest = Sha256Digest;

struct ScopeNames {
    std::string read = "read";
    std::string admin = "admin";
};

struct TokenEntry {
    std::string id;
    Digest hash;
    Scopes scopes;
};

class TokenFile {
  public:
    // Checks the file's owner and mode, then parses it. Throws std::runtime_error naming the
    // file, and the line for a bad line.
    static TokenFile load(const std::filesystem::path& file, const ScopeNames& names);
    static TokenFile parse(std::string_view text, const std::string& source,
                           const ScopeNames& names);

    // The entry whose hash is the secret's SHA-256, or nullptr. Every entry is compared, in
    // constant time (equal_in_constant_time), whatever matches: the time taken tells nothing about
    // which hash, or how much of one, a guess came close to.
    const TokenEntry* find(std::string_view secret) const;
    const std::vector<TokenEntry>& entries() const { return entries_; }

  private:
    std::vector<TokenEntry> entries_;
};

// A scope name (token file lines, server.http.auth.scopes, WWW-Authenticate): 1-64 visible
// ASCII characters without '"', '\' or ','.
bool valid_scope_name(std::string_view s);
// A token id: 1-64 of [A-Za-z0-9._-].
bool valid_token_id(std::string_view id);

struct MintedToken {
    std::string secret;  // "schedcp_" + 43 base64url characters (256 random bits)
    std::string line;    // the token file line for it
};
// A fresh token from the kernel's random source (RAND_bytes). `scopes` are scope names,
// written as given. Throws std::invalid_argument for a bad id or scope name.
MintedToken mint_token(const std::string& id, const std::vector<std::string>& scopes);

}  // namespace schedcp::host::mcp::http
