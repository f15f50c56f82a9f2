// The files server.http settings name, and who may read or change them.
//
// A server running as root trusts what these files say: whoever can write the token file
// grants themselves admin, whoever can write the JWK Set mints tokens, whoever can read the
// TLS key impersonates the server. So each is checked before it is read, with the rule its
// contents call for, and a refusal says what is wrong and the command that fixes it.
#pragma once

#include <filesystem>
#include <string>

#include <sys/types.h>

namespace schedcp::host::mcp::http {

// Secrets the server alone reads (the token file): a regular file owned by `owner` with
// mode 0600 or stricter.
void check_private_file(const std::filesystem::path& file, uid_t owner, const std::string& what);

// A private key (server.http.tls.key), with PostgreSQL's rule for ssl_key_file: owned by
// `owner` with mode 0600 or stricter, or owned by root with mode 0640 or stricter (Debian's
// root:ssl-cert 0640 keys in /etc/ssl/private stay usable).
void check_key_file(const std::filesystem::path& file, uid_t owner, const std::string& what);

// Public but trusted (the JWK Set): a regular file owned by `owner` or root that neither
// its group nor other users may write.
void check_trusted_file(const std::filesystem::path& file, uid_t owner, const std::string& what);

// The contents of a file a setting names; std::runtime_error "SETTING FILE: cannot be read".
std::string read_setting_file(const std::filesystem::path& file, const std::string& setting);

}  // namespace schedcp::host::mcp::http
