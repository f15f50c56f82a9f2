// Resource specs: what a plugin registers to offer MCP resources, data a client reads by
// URI (a catalog entry, an execution's output) rather than a call with effects.
//
// Two kinds: a resource with a fixed URI (listed by resources/list) and a resource
// template, a URI pattern (RFC 6570 level 1, uri_template.hpp) standing for many
// resources that are not listed one by one ("schedcp://executions/{id}"). The host owns
// everything protocol-shaped: listing, matching a URI to its spec, not-found errors in the
// form each revision wants, subscriptions and caching hints.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "schedcp/sdk/call_context.hpp"
#include "schedcp/sdk/completion.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/uri_template.hpp"

namespace schedcp::sdk {

// One item of a read's result (MCP TextResourceContents / BlobResourceContents).
struct ResourceContents {
    std::string uri;        // normally the URI that was read
    std::string mime_type;  // "application/json", "text/plain", "image/png", ...
    std::string text;       // text contents
    std::string blob;       // binary contents, base64
    bool binary = false;    // blob, not text

    static ResourceContents of_text(std::string uri, std::string mime_type, std::string text) {
        return ResourceContents{
            .uri = std::move(uri), .mime_type = std::move(mime_type), .text = std::move(text)};
    }
    static ResourceContents of_blob(std::string uri, std::string mime_type, std::string base64) {
        return ResourceContents{.uri = std::move(uri),
                                .mime_type = std::move(mime_type),
                                .blob = std::move(base64),
                                .binary = true};
    }
};

// Reads one resource. `variables` holds a template's decoded variables (empty for a
// resource with a fixed URI). Returns at least one item. Throw sdk::NotFound when the URI
// names nothing (an execution id that does not exist: the client gets its revision's
// "resource not found" error with the URI), sdk::InvalidArgument when it is malformed (an
// id of the wrong shape: invalid params with the message); anything else is an internal
// error.
using ResourceReader = std::function<boost::asio::awaitable<std::vector<ResourceContents>>(
    const std::string& uri, const UriVariables& variables, CallContext&)>;

struct ResourceSpec {
    std::string uri;          // absolute: scheme ":" ...; unique across all plugins
    std::string name;         // required: a short identifier ("static-text")
    std::string title;        // short human name
    std::string description;  // what it holds and when to read it
    std::string mime_type;    // of the contents, when one type fits all
    // How long a client may reuse what it read (2026-07-28 ttlMs); zero: ask again.
    std::chrono::milliseconds cache_ttl{0};
    ResourceReader read;
};

struct ResourceTemplateSpec {
    std::string uri_template;  // RFC 6570 level 1, with a scheme; unique across all plugins
    std::string name;
    std::string title;
    std::string description;
    std::string mime_type;
    std::chrono::milliseconds cache_ttl{0};
    ResourceReader read;
    // Optional completions for the template's variables, by variable name.
    std::map<std::string, Completer> complete;
};

}  // namespace schedcp::sdk
