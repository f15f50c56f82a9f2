// The resources, resource templates and prompts plugins register (sdk resource.hpp,
// prompt.hpp), checked when registered and looked up when a client asks; and who listens
// for resource updates (MCP sessions with subscriptions).
//
// Everything here is touched on the host's event loop only (registration during setup(),
// lookups while serving, updates posted there by PluginContextImpl).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schedcp/sdk/prompt.hpp"
#include "schedcp/sdk/resource.hpp"
#include "schedcp/sdk/uri_template.hpp"

namespace schedcp::host {

struct RegisteredResource {
    sdk::ResourceSpec spec;
    std::string plugin;
};

struct RegisteredTemplate {
    sdk::ResourceTemplateSpec spec;
    sdk::UriTemplate parsed;
    std::string plugin;
};

struct RegisteredPrompt {
    sdk::PromptSpec spec;
    std::string plugin;
};

// What a URI resolves to: the reader to call, with a template's decoded variables.
struct ResolvedResource {
    const sdk::ResourceReader* read;
    sdk::UriVariables variables;
    std::chrono::milliseconds cache_ttl;
    std::string plugin;
};

class ResourcePromptRegistry {
  public:
    // Throw std::invalid_argument naming the rule broken (plugin.hpp lists them).
    void add_resource(const std::string& plugin, sdk::ResourceSpec spec);
    void add_template(const std::string& plugin, sdk::ResourceTemplateSpec spec);
    void add_prompt(const std::string& plugin, sdk::PromptSpec spec);

    // In registration order (config order of plugins, then each plugin's order).
    const std::vector<RegisteredResource>& resources() const { return resources_; }
    const std::vector<RegisteredTemplate>& templates() const { return templates_; }
    const std::vector<RegisteredPrompt>& prompts() const { return prompts_; }
    bool empty() const { return resources_.empty() && templates_.empty() && prompts_.empty(); }
    // Whether any prompt argument or template variable has a completer.
    bool has_completions() const;

    // A resource with exactly this URI, else the first template that matches it.
    std::optional<ResolvedResource> resolve(std::string_view uri) const;
    const RegisteredPrompt* find_prompt(std::string_view name) const;
    const RegisteredTemplate* find_template(std::string_view uri_template) const;

    // Update listeners: `listener` is called with the URI of every update for as long as
    // `owner` lives (a session registers once, with itself as the owner).
    void listen(std::weak_ptr<void> owner, std::function<void(const std::string&)> listener);
    void resource_updated(const std::string& uri);

  private:
    std::vector<RegisteredResource> resources_;
    std::vector<RegisteredTemplate> templates_;
    std::vector<RegisteredPrompt> prompts_;
    std::map<std::string, std::size_t, std::less<>> resource_index_;
    std::map<std::string, std::size_t, std::less<>> prompt_index_;
    struct Listener {
        std::weak_ptr<void> owner;
        std::function<void(const std::string&)> call;
    };
    std::vector<Listener> listeners_;
};

// The rule a registered fixed URI must follow, also applied to URIs clients send:
// scheme ":" rest, at most kMaxUriBytes, no whitespace or control characters. Returns
// what is wrong, or an empty string.
inline constexpr std::size_t kMaxUriBytes = 1024;
std::string uri_problem(std::string_view uri);

}  // namespace schedcp::host
