// Typed access to JSON arguments for handlers.
//
// The host validates tool arguments against the tool's input schema before a handler
// runs, so these accessors mostly document intent; when a value is missing or has the
// wrong type anyway they throw InvalidArgument naming the key and the expected type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk::json {

namespace bj = boost::json;

// "string", "integer", "number", "boolean", "object", "array" or "null": the JSON Schema
// name of a value's type, for error messages.
SCHEDCP_SDK_API std::string_view type_name(const bj::value& v) noexcept;

SCHEDCP_SDK_API std::optional<std::string> optional_string(const bj::object& o,
                                                           std::string_view key);
SCHEDCP_SDK_API std::string required_string(const bj::object& o, std::string_view key);
SCHEDCP_SDK_API std::optional<bool> optional_bool(const bj::object& o, std::string_view key);
SCHEDCP_SDK_API std::optional<std::int64_t> optional_int(const bj::object& o, std::string_view key);
SCHEDCP_SDK_API std::optional<double> optional_number(const bj::object& o, std::string_view key);
SCHEDCP_SDK_API std::optional<std::vector<std::string>> optional_string_array(const bj::object& o,
                                                                              std::string_view key);

// The SDK's one JSON writer: everything the host sends to a client or prints on a terminal
// goes through compact() or pretty(), so numbers read the same everywhere. Boost.JSON's own
// serializer (1.81) prints doubles as `1.91E1`; these print them as the shortest decimal
// that parses back to the same double (`19.1`, `0.001`, `1e+300`), with `.0` added to an
// integral double (`2.0`) so it stays a double when parsed again. Integers print as
// integers; a non-finite double (which parsing never produces) prints as null. Strings
// are escaped as RFC 8259 requires (`"`, `\`, and control characters below U+0020);
// other characters, including non-ASCII UTF-8, pass through unchanged.
SCHEDCP_SDK_API std::string compact(const bj::value& v);

// compact(v) appended to `out`, for callers that assemble one message from several parts.
SCHEDCP_SDK_API void append_compact(std::string& out, const bj::value& v);

// `s` as a JSON string (quoted and escaped exactly as compact() writes strings) appended to
// `out`: lets a caller that already holds serialised JSON embed it as a string value without
// building a bj::string copy first.
SCHEDCP_SDK_API void append_quoted(std::string& out, std::string_view s);

// Pretty-printed JSON (two-space indent), for human output and text renderings; scalars
// are written as compact() writes them.
SCHEDCP_SDK_API std::string pretty(const bj::value& v);

}  // namespace schedcp::sdk::json
