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

// Pretty-printed JSON (two-space indent), for human output and text renderings.
SCHEDCP_SDK_API std::string pretty(const bj::value& v);

}  // namespace schedcp::sdk::json
