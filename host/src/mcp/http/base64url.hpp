// base64url (RFC 4648 section 5) without padding, as JWTs, JWKs and schedcp's bearer
// tokens use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace schedcp::host::mcp::http {

std::string base64url_encode(std::string_view bytes);
// nullopt for anything but the unpadded alphabet (padding, whitespace and '+' '/' too).
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace schedcp::host::mcp::http
