// Each catalogued scheduler's fit for this host (see fit_rules.hpp), computed once per
// process: the rules are fixed when the catalog loads, custom schedulers have none, and the
// CPU layout the facts come from does not change while the server runs. So list_schedulers
// reads no file per call; the first listing reads the topology (off the event loop).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <boost/json/object.hpp>

#include "fit_rules.hpp"
#include "schedcp/sdk/sysfs_text.hpp"

namespace schedcp::plugins::catalog {

struct HostFit {
    FitFacts facts;
    std::map<std::string, boost::json::object, std::less<>> by_name;  // schedulers with rules
};

HostFit compute_host_fit(const FitRuleBook& rules, const FitFacts& facts);

class HostFitCache {
  public:
    HostFitCache(FitRuleBook rules, sdk::host::HostRoots roots)
        : rules_(std::move(rules)), roots_(std::move(roots)) {}

    // The fit once computed, else nullptr (then call compute(), off the event loop).
    std::shared_ptr<const HostFit> ready() const;
    // Reads the topology and evaluates every rule, the first time; blocking.
    std::shared_ptr<const HostFit> compute();

  private:
    const FitRuleBook rules_;
    const sdk::host::HostRoots roots_;
    mutable std::mutex mutex_;
    std::shared_ptr<const HostFit> fit_;
};

}  // namespace schedcp::plugins::catalog
