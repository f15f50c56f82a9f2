// A JSON Schema validator for the subset schedcp's tools and settings use.
//
// Dialect: JSON Schema draft 2020-12 (https://json-schema.org/draft/2020-12/schema), the
// dialect MCP uses for tool input and output schemas. Only these keywords are implemented,
// with their 2020-12 meaning:
//   type (a name or an array of names: string, integer, number, boolean, object, array,
//     null; 2.0 is an integer), enum, const
//   number: minimum, maximum, exclusiveMinimum, exclusiveMaximum (numbers, not booleans)
//   string: minLength, maxLength (in code points), pattern (ECMAScript, unanchored; a
//     value longer than 4096 bytes checked against a pattern is refused)
//   array: items (one schema for every item; no prefixItems), minItems, maxItems,
//     uniqueItems
//   object: properties, required, additionalProperties (a boolean or a schema)
//   combinators: anyOf, oneOf, allOf; conditionals: if, then, else
//   references: $defs (at the root only), $ref to "#/$defs/NAME" or to "#ANCHOR" (an
//     $anchor of one of the $defs); nothing else (no remote or JSON-pointer references
//     elsewhere; a chain of references going round in a circle is a violation)
// Annotations, accepted and not checked: title, description, default, examples, $schema,
// $comment, deprecated, readOnly, writeOnly.
//
// Everything else is NOT implemented and is refused, not ignored: check_schema() throws
// naming the keyword and where it is (e.g. "schema.properties.x: unsupported keyword
// 'format'"). That includes $id, not, patternProperties, propertyNames, dependentRequired,
// dependentSchemas, minProperties, maxProperties, prefixItems, contains, unevaluatedProperties,
// unevaluatedItems, multipleOf and format. The host calls check_schema() on every schema a plugin
// registers (a tool's input and output schema, a plugin's settings schema) and refuses
// the plugin when it throws, so no plugin can believe it constrained something that
// nobody checks.
#pragma once

#include <string>
#include <vector>

#include <boost/json/object.hpp>
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

// The same, for a schema held as an object (a tool's input schema): no copy of it into a
// value per call.
SCHEDCP_SDK_API std::vector<SchemaViolation> validate(const boost::json::object& schema,
                                                      const boost::json::value& instance,
                                                      const std::string& root);

// Throws std::invalid_argument if the schema uses a keyword validate() does not support
// or has a malformed keyword value; the message names the keyword and its path from the
// root ("schema.properties.args.items: ..."). Called by the host when a plugin registers
// a schema.
SCHEDCP_SDK_API void check_schema(const boost::json::value& schema);

// The same, for a schema held as an object (a tool's or a plugin's settings schema): no copy
// of it into a value.
SCHEDCP_SDK_API void check_schema(const boost::json::object& schema);

// "path: message; path: message" for one-line error texts.
SCHEDCP_SDK_API std::string describe(const std::vector<SchemaViolation>& violations);

}  // namespace schedcp::sdk
