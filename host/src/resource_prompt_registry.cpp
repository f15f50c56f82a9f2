#include "resource_prompt_registry.hpp"

#include <set>
#include <stdexcept>

#include "schedcp/sdk/text.hpp"

namespace schedcp::host {

namespace {

// Plain checks, not std::regex: compiling one costs about a million instructions, paid at
// every start-up (sdk/text.hpp, is_lower_name).
bool is_lower(char c) {
    return c >= 'a' && c <= 'z';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
    return is_lower(c) || (c >= 'A' && c <= 'Z');
}

// [a-z][a-z0-9+.-]*
bool is_scheme(std::string_view s) {
    if (s.empty() || !is_lower(s[0])) return false;
    for (char c : s.substr(1))
        if (!is_lower(c) && !is_digit(c) && c != '+' && c != '.' && c != '-') return false;
    return true;
}

// [A-Za-z][A-Za-z0-9_]{0,63}
bool is_argument_name(std::string_view s) {
    if (s.empty() || s.size() > 64 || !is_alpha(s[0])) return false;
    for (char c : s.substr(1))
        if (!is_alpha(c) && !is_digit(c) && c != '_') return false;
    return true;
}

// The literal text before the first expression must hold the scheme, so a template can
// never match URIs of another scheme.
void check_template_scheme(const sdk::UriTemplate& t) {
    const std::string& text = t.text();
    const auto colon = text.find(':');
    const auto brace = text.find('{');
    if (colon == std::string::npos || (brace != std::string::npos && brace < colon) ||
        !is_scheme(std::string_view(text).substr(0, colon)))
        throw std::invalid_argument("resource template '" + text +
                                    "' must start with a literal scheme ([a-z][a-z0-9+.-]*:)");
}

}  // namespace

std::string uri_problem(std::string_view uri) {
    if (uri.empty()) return "is empty";
    if (uri.size() > kMaxUriBytes)
        return "is " + std::to_string(uri.size()) + " bytes; the limit is " +
               std::to_string(kMaxUriBytes);
    for (unsigned char c : uri)
        if (c <= 0x20 || c == 0x7f) return "holds whitespace or a control character";
    const auto colon = uri.find(':');
    if (colon == std::string_view::npos || colon + 1 == uri.size() ||
        !is_scheme(uri.substr(0, colon)))
        return "is not an absolute URI (scheme:rest, the scheme [a-z][a-z0-9+.-]*)";
    return {};
}

void ResourcePromptRegistry::add_resource(const std::string& plugin, sdk::ResourceSpec spec) {
    if (auto problem = uri_problem(spec.uri); !problem.empty())
        throw std::invalid_argument("resource URI '" + spec.uri.substr(0, 200) + "' " + problem);
    if (auto it = resource_index_.find(spec.uri); it != resource_index_.end())
        throw std::invalid_argument("resource '" + spec.uri +
                                    "' is already registered by plugin '" +
                                    resources_[it->second].plugin + "'");
    if (spec.name.empty()) throw std::invalid_argument("resource '" + spec.uri + "' has no name");
    if (!spec.read) throw std::invalid_argument("resource '" + spec.uri + "' has no read handler");
    if (spec.cache_ttl.count() < 0)
        throw std::invalid_argument("resource '" + spec.uri + "' has a negative cache_ttl");
    resource_index_.emplace(spec.uri, resources_.size());
    resources_.push_back({std::move(spec), plugin});
}

void ResourcePromptRegistry::add_template(const std::string& plugin,
                                          sdk::ResourceTemplateSpec spec) {
    sdk::UriTemplate parsed(spec.uri_template);  // throws with the offset
    check_template_scheme(parsed);
    if (auto existing = find_template(spec.uri_template))
        throw std::invalid_argument("resource template '" + spec.uri_template +
                                    "' is already registered by plugin '" + existing->plugin + "'");
    if (spec.name.empty())
        throw std::invalid_argument("resource template '" + spec.uri_template + "' has no name");
    if (!spec.read)
        throw std::invalid_argument("resource template '" + spec.uri_template +
                                    "' has no read handler");
    if (spec.cache_ttl.count() < 0)
        throw std::invalid_argument("resource template '" + spec.uri_template +
                                    "' has a negative cache_ttl");
    for (const auto& [name, completer] : spec.complete) {
        bool known = false;
        for (const auto& v : parsed.variables()) known = known || v == name;
        if (!known)
            throw std::invalid_argument("resource template '" + spec.uri_template +
                                        "' completes '" + name +
                                        "', which is not one of its "
                                        "variables");
        if (!completer)
            throw std::invalid_argument("resource template '" + spec.uri_template +
                                        "': the completer for '" + name + "' is empty");
    }
    templates_.push_back({std::move(spec), std::move(parsed), plugin});
}

void ResourcePromptRegistry::add_prompt(const std::string& plugin, sdk::PromptSpec spec) {
    if (!sdk::text::is_lower_name(spec.name, 64, '_'))
        throw std::invalid_argument("prompt name '" + spec.name +
                                    "' must match [a-z][a-z0-9_]{0,63}");
    if (auto existing = find_prompt(spec.name))
        throw std::invalid_argument("prompt '" + spec.name + "' is already registered by plugin '" +
                                    existing->plugin + "'");
    if (spec.description.empty())
        throw std::invalid_argument("prompt '" + spec.name + "' has no description");
    if (!spec.handler) throw std::invalid_argument("prompt '" + spec.name + "' has no handler");
    std::set<std::string> seen;
    for (const auto& a : spec.arguments) {
        if (!is_argument_name(a.name))
            throw std::invalid_argument("prompt '" + spec.name + "': argument name '" + a.name +
                                        "' must match [A-Za-z][A-Za-z0-9_]{0,63}");
        if (!seen.insert(a.name).second)
            throw std::invalid_argument("prompt '" + spec.name + "': argument '" + a.name +
                                        "' is declared twice");
    }
    prompt_index_.emplace(spec.name, prompts_.size());
    prompts_.push_back({std::move(spec), plugin});
}

bool ResourcePromptRegistry::has_completions() const {
    for (const auto& t : templates_)
        if (!t.spec.complete.empty()) return true;
    for (const auto& p : prompts_)
        for (const auto& a : p.spec.arguments)
            if (a.complete) return true;
    return false;
}

std::optional<ResolvedResource> ResourcePromptRegistry::resolve(std::string_view uri) const {
    if (auto it = resource_index_.find(uri); it != resource_index_.end()) {
        const auto& r = resources_[it->second];
        return ResolvedResource{&r.spec.read, {}, r.spec.cache_ttl, r.plugin};
    }
    for (const auto& t : templates_)
        if (auto vars = t.parsed.match(uri))
            return ResolvedResource{&t.spec.read, std::move(*vars), t.spec.cache_ttl, t.plugin};
    return std::nullopt;
}

const RegisteredPrompt* ResourcePromptRegistry::find_prompt(std::string_view name) const {
    auto it = prompt_index_.find(name);
    return it == prompt_index_.end() ? nullptr : &prompts_[it->second];
}

const RegisteredTemplate* ResourcePromptRegistry::find_template(
    std::string_view uri_template) const {
    for (const auto& t : templates_)
        if (t.spec.uri_template == uri_template) return &t;
    return nullptr;
}

void ResourcePromptRegistry::listen(std::weak_ptr<void> owner,
                                    std::function<void(const std::string&)> listener) {
    std::erase_if(listeners_, [](const Listener& l) { return l.owner.expired(); });
    listeners_.push_back({std::move(owner), std::move(listener)});
}

void ResourcePromptRegistry::resource_updated(const std::string& uri) {
    std::erase_if(listeners_, [](const Listener& l) { return l.owner.expired(); });
    // A listener may register another one (it never does today); iterate over a copy.
    auto current = listeners_;
    for (const auto& l : current)
        if (auto alive = l.owner.lock()) l.call(uri);
}

}  // namespace schedcp::host
