// Base64 (RFC 4648) in the two forms the HTTP transport meets: base64url without padding
// (section 5), as JWTs, JWKs, schedcp's bearer tokens and the requestState use it, and the
// standard alphabet with padding (section 4), as SEP-2243's =?base64?...?= header values use
// it. One decoder for both; each refuses anything but its own form, and a last character
// whose unused low bits are not zero (RFC 4648 section 3.5: one encoding per value).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace schedcp::host::mcp::http {

std::string base64url_encode(std::string_view bytes);
// nullopt for anything but the unpadded url alphabet (padding, whitespace, '+' and '/' too).
std::optional<std::string> base64url_decode(std::string_view text);
// nullopt for anything but the standard alphabet with exactly the padding its length needs.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace schedcp::host::mcp::http
