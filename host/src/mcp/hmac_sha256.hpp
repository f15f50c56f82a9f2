// SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), self-contained.
//
// Used to sign MCP 2026-07-28 requestState (request_state.hpp) and to hash bearer tokens
// (http/token_file.hpp). schedcp (stdio) and schedcp-cli do not link libcrypto, which would
// cost every start-up about a millisecond; only schedcp-http does, for TLS and JWT
// signatures. A MAC over a few KiB per input-required round needs no more than this.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace schedcp::host::mcp {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view data);
Sha256Digest hmac_sha256(std::string_view key, std::string_view message);

// Lower-case hex, 64 characters.
std::string to_hex(const Sha256Digest& digest);

// Compares in time that depends only on the length, not on where they differ.
bool equal_in_constant_time(const Sha256Digest& a, const Sha256Digest& b);

}  // namespace schedcp::host::mcp
