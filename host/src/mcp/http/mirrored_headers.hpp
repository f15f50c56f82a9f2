// SEP-2243 (2026-07-28): values a request's headers mirror from its body, so proxies and
// gateways can route without reading JSON. A header value that cannot travel bare is sent
// as the sentinel form `=?base64?{standard Base64 of the UTF-8 bytes}?=`; this decodes it.
// Mcp-Name may use it (a tool or resource name that is not plain ASCII), and so may every
// `Mcp-Param-{Name}` header: a tool whose input schema marks a top-level property with
// `"x-mcp-header": "{Name}"` has that argument repeated in `Mcp-Param-{Name}`. The server
// checks each against the body and refuses a request whose headers disagree (400, -32020).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace schedcp::host::mcp::http {

// The value a header carries: the sentinel form decoded, anything else literally (a value
// that only starts like the sentinel, or lacks its `?=`, is literal text). Surrounding
// blanks are not part of it. Null when the sentinel form holds invalid Base64 (a character
// outside the alphabet, missing or misplaced padding) or bytes that are not UTF-8.
std::optional<std::string> decode_header_value(std::string_view raw);

// A request header by name (case-insensitive), if present.
using HeaderLookup = std::function<std::optional<std::string_view>(std::string_view name)>;

// Checks the Mcp-Param-* headers of a tools/call against its arguments. Returns why they
// disagree (a header missing for an argument that is present, present for one that is
// absent, undecodable, or with another value), or nothing when they agree.
std::optional<std::string> check_param_headers(const boost::json::object& input_schema,
                                               const boost::json::object& arguments,
                                               const HeaderLookup& header);

}  // namespace schedcp::host::mcp::http
