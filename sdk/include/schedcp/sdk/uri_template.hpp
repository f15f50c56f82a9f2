// URI templates (RFC 6570) at level 1: literal text and simple `{name}` expressions, which
// is what MCP resource templates such as "schedcp://executions/{id}" need.
//
// Expansion percent-encodes every byte outside RFC 3986's unreserved set
// (A-Z a-z 0-9 - . _ ~), so a value can never add a '/' or a '?' to the URI. Matching is the
// inverse: each variable takes a non-empty run of unreserved characters and %XX escapes
// (nothing else), which is then percent-decoded; the literal text must match exactly. A
// decoded value is still untrusted input: a handler validates it (an id pattern, a name in
// a table) before using it, and never as a path.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk {

// Variable name -> value (decoded when matched, raw when expanded).
using UriVariables = std::map<std::string, std::string, std::less<>>;

class SCHEDCP_SDK_API UriTemplate {
  public:
    // Throws std::invalid_argument, naming the offset, for anything beyond level 1: an
    // operator ({+x}, {#x}, {/x}, ...), a modifier ({x*}, {x:3}), a list ({x,y}), an empty
    // or malformed name (names are [A-Za-z0-9_]+), a name used twice, two expressions with
    // nothing between them ({a}{b} cannot be matched), braces that do not pair up, and a
    // template longer than 1024 bytes.
    explicit UriTemplate(std::string text);

    const std::string& text() const { return text_; }
    // The variable names, in order of appearance.
    const std::vector<std::string>& variables() const { return variables_; }

    // The variables' decoded values when `uri` is an expansion of this template, else
    // nullopt (also for an empty value or a malformed %XX escape).
    std::optional<UriVariables> match(std::string_view uri) const;
    // The URI with every variable replaced by its percent-encoded value. Throws
    // std::invalid_argument when a variable has no value.
    std::string expand(const UriVariables& values) const;

  private:
    struct Part {
        bool variable;
        std::string text;  // the literal, or the variable's name
    };
    bool match_from(std::size_t part, std::string_view rest, UriVariables& out) const;

    std::string text_;
    std::vector<Part> parts_;
    std::vector<std::string> variables_;
};

// Throws sdk::InvalidArgument unless `id` is 1 to 64 of [A-Za-z0-9_-], the shape an id taken
// from a URI must have before anything looks it up; the message names `what` it should be
// and ends with `hint`: "'../..' is not an execution id: ids are 1 to 64 of [A-Za-z0-9_-],
// such as sched_1a2b3c4d (list_executions shows them)".
SCHEDCP_SDK_API void check_uri_id(std::string_view id, std::string_view what,
                                  std::string_view hint);

// RFC 3986 percent-encoding of everything outside the unreserved set.
SCHEDCP_SDK_API std::string percent_encode(std::string_view value);

}  // namespace schedcp::sdk
