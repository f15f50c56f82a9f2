#include "authorizer.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace schedcp::host::mcp::http {

namespace bj = boost::json;

namespace {

constexpr std::string_view kWellKnown = "/.well-known/oauth-protected-resource";

// "scheme://authority" and "/path" of an absolute URL (config validated it).
std::pair<std::string, std::string> split_url(const std::string& url) {
    const auto authority = url.find("://") + 3;
    const auto path = url.find_first_of("/?", authority);
    if (path == std::string::npos) return {url, ""};
    const auto query = url.find('?', path);
    return {url.substr(0, path),
            url.substr(path, query == std::string::npos ? std::string::npos : query - path)};
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

// An RFC 6750 auth-param value: a quoted-string (our values hold no '"' or '\').
std::string auth_param(std::string_view v) {
    std::string out = "\"";
    for (char c : v)
        if (c != '"' && c != '\\' && c >= 0x20) out += c;
    return out + "\"";
}

}  // namespace

Authorizer::Authorizer(const HttpAuthConfig& config, std::string endpoint_path, bool tls)
    : config_(config), endpoint_path_(std::move(endpoint_path)), tls_(tls) {
    const ScopeNames names{.read = config.read_scope, .admin = config.admin_scope};
    if (config.token_file) tokens_ = TokenFile::load(*config.token_file, names);
    if (config.jwks_file)
        jwt_ = JwtVerifier::load(
            *config.jwks_file,
            JwtPolicy{.issuer = config.issuer.value_or(""),
                      .audience = config.audience ? *config.audience : config.resource.value_or(""),
                      .leeway_seconds = static_cast<long>(config.clock_skew_seconds)});
}

Scopes Authorizer::scopes_named(const std::vector<std::string>& names) const {
    Scopes s;
    for (const auto& n : names) {
        if (n == config_.read_scope) s.read = true;
        if (n == config_.admin_scope) s.admin = true;
    }
    return s;
}

std::variant<Principal, AuthRefusal> Authorizer::authenticate(std::string_view header,
                                                              std::time_t now) const {
    const auto sp = header.find(' ');
    if (header.empty())
        return AuthRefusal{.token_given = false, .reason = "no Authorization header"};
    if (sp == std::string_view::npos || !iequals(header.substr(0, sp), "Bearer"))
        return AuthRefusal{.token_given = false,
                           .reason = "the Authorization header is not a Bearer token"};
    std::string_view token = header.substr(sp + 1);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    if (token.empty()) return AuthRefusal{.token_given = false, .reason = "an empty Bearer token"};
    // A JWT has two dots; the token file's secrets have none.
    if (jwt_ && std::count(token.begin(), token.end(), '.') == 2) {
        auto verified = jwt_->verify(token, now);
        if (auto* why = std::get_if<std::string>(&verified))
            return AuthRefusal{.token_given = true, .reason = "JWT refused: " + *why};
        auto& jwt = std::get<VerifiedJwt>(verified);
        return Principal{.id = "jwt:" + jwt.subject.substr(0, 128),
                         .scopes = scopes_named(jwt.scopes)};
    }
    if (tokens_)
        if (const TokenEntry* e = tokens_->find(token))
            return Principal{.id = e->id, .scopes = e->scopes};
    return AuthRefusal{.token_given = true, .reason = "unknown token"};
}

bool Authorizer::is_metadata_path(std::string_view path) const {
    if (path == kWellKnown) return true;
    if (path.substr(0, kWellKnown.size()) != kWellKnown) return false;
    const std::string_view rest = path.substr(kWellKnown.size());
    if (rest == endpoint_path_) return true;
    return config_.resource && rest == split_url(*config_.resource).second;
}

std::string Authorizer::resource(std::string_view host) const {
    if (config_.resource) return *config_.resource;
    return std::string(tls_ ? "https://" : "http://") + std::string(host) + endpoint_path_;
}

std::string Authorizer::metadata_url(std::string_view host) const {
    auto [origin, path] = split_url(resource(host));
    return origin + std::string(kWellKnown) + (path == "/" ? "" : path);
}

std::string Authorizer::metadata_document(std::string_view host) const {
    bj::object doc;
    doc["resource"] = resource(host);
    if (!config_.authorization_servers.empty()) {
        bj::array servers;
        for (const auto& s : config_.authorization_servers) servers.emplace_back(s);
        doc["authorization_servers"] = std::move(servers);
    }
    doc["scopes_supported"] =
        bj::array{bj::string(config_.read_scope), bj::string(config_.admin_scope)};
    doc["bearer_methods_supported"] = bj::array{"header"};
    doc["resource_name"] = "schedcp";
    return bj::serialize(doc);
}

std::string Authorizer::unauthenticated_challenge(std::string_view host,
                                                  const AuthRefusal& why) const {
    std::string c = "Bearer resource_metadata=" + auth_param(metadata_url(host)) +
                    ", scope=" + auth_param(config_.read_scope);
    // RFC 6750 section 3.1: no error code when the request had no credentials.
    if (why.token_given)
        c += ", error=\"invalid_token\", error_description=" + auth_param(why.reason);
    return c;
}

std::string Authorizer::insufficient_scope_challenge(std::string_view host) const {
    return "Bearer error=\"insufficient_scope\", scope=" + auth_param(config_.admin_scope) +
           ", resource_metadata=" + auth_param(metadata_url(host)) +
           ", error_description=\"this call (a tool or a command of one) is not read-only; it "
           "needs the " +
           config_.admin_scope + " scope\"";
}

}  // namespace schedcp::host::mcp::http
