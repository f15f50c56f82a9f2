// A JSON Schema validator for the subset schedcp's tools and settings use.
//
// Supported keywords: type (string or array), properties, required,
// additionalProperties (bool or schema), items, enum, const, minimum, maximum,
// exclusiveMinimum, exclusiveMaximum, minLength, maxLength (in code points), pattern
// (ECMAScript), minItems, maxItems, uniqueItems, anyOf, oneOf. Annotations (title,
// description, default, examples, $schema) are accepted and ignored. An unsupported
// keyword in a schema is a programming error reported by check_schema(), so a plugin
// cannot believe it constrained something that nobody checks.
#pragma once

#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk {

struct SchemaViolation {
    std::string path;     // where in the instance, e.g. "args.production_ready" or "args[2]"
    std::string message;  // what was wrong and what is allowed
};

// Validates `instance` against `schema`; returns every violation found (empty = valid).
// `root` names the instance in paths ("arguments", "settings", ...).
SCHEDCP_SDK_API std::vector<SchemaViolation> validate(const boost::json::value& schema,
                                                      const boost::json::value& instance,
                                                      const std::string& root);

// Throws std::invalid_argument if the schema uses a keyword validate() does not support
// or has a malformed keyword value. Called by the host when a plugin registers a schema.
SCHEDCP_SDK_API void check_schema(const boost::json::value& schema);

// "path: message; path: message" for one-line error texts.
SCHEDCP_SDK_API std::string describe(const std::vector<SchemaViolation>& violations);

}  // namespace schedcp::sdk
