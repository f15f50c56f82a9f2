#include "host_fit.hpp"

#include "schedcp/sdk/topology.hpp"

namespace schedcp::plugins::catalog {

HostFit compute_host_fit(const FitRuleBook& rules, const FitFacts& facts) {
    HostFit fit{.facts = facts, .by_name = {}};
    for (const auto& [name, scheduler_rules] : rules)
        fit.by_name.emplace(name, evaluate_fit(scheduler_rules, facts));
    return fit;
}

std::shared_ptr<const HostFit> HostFitCache::ready() const {
    std::lock_guard lock(mutex_);
    return fit_;
}

std::shared_ptr<const HostFit> HostFitCache::compute() {
    // Held while reading: a second caller waits for the first reading instead of repeating it.
    std::lock_guard lock(mutex_);
    if (!fit_)
        fit_ = std::make_shared<const HostFit>(
            compute_host_fit(rules_, fit_facts(sdk::host::read_topology(roots_))));
    return fit_;
}

}  // namespace schedcp::plugins::catalog
