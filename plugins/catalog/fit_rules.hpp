// Fit rules: how well a catalogued scheduler suits this host's CPU layout, declared in the
// catalog data (data/schedulers.json, each entry's "fit_rules"), not in code.
//
// A rule is {"when": {FACT: CONDITION, ...}, "verdict": "good" | "poor" | "neutral",
// "reason": TEXT, "based_on": WHERE THE SCHEDULER'S DOCUMENTATION SAYS SO}. Every condition
// of "when" must hold (and). A condition on a count (llc_count, numa_nodes, packages,
// logical_cpus, cores) is an integer (equal to it) or {"min": N, "max": N} (inclusive, at
// least one bound); on a yes/no fact (smt, hybrid) it is true or false. A fact this host does
// not expose (no cache information in sysfs, say) satisfies no condition.
//
// A scheduler's fit is every rule that applies, and a verdict over them: poor when any
// applying rule says poor (a warning outweighs a match), else good when any says good,
// else neutral.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "schedcp/sdk/topology.hpp"

namespace schedcp::plugins::catalog {

// The host facts a rule may test.
enum class FitFact { llc_count, numa_nodes, packages, logical_cpus, cores, smt, hybrid };

// This host's values of them; nullopt where the host does not say.
struct FitFacts {
    std::optional<std::int64_t> llc_count, numa_nodes, packages, logical_cpus, cores;
    std::optional<bool> smt, hybrid;
};

FitFacts fit_facts(const sdk::host::Topology& t);
// {"llc_count": 1, ..., "hybrid": false}, null for a fact the host does not expose.
boost::json::object to_json(const FitFacts& facts);

enum class FitVerdict { good, neutral, poor };
std::string_view fit_verdict_name(FitVerdict v);

struct FitCondition {
    FitFact fact = FitFact::llc_count;
    std::optional<bool> is;                // a yes/no fact
    std::optional<std::int64_t> min, max;  // a count (equality is min == max)
};

struct FitRule {
    std::vector<FitCondition> when;
    FitVerdict verdict = FitVerdict::neutral;
    std::string reason;
    std::string based_on;
    boost::json::value when_json;  // "when" as written, echoed in the fit
};

// Parses and checks an entry's "fit_rules" array; throws std::runtime_error("catalog data:
// <where>.fit_rules[i]...: what") on anything malformed.
std::vector<FitRule> parse_fit_rules(const boost::json::value& v, const std::string& where);

// Whether every condition of `rule` holds for `facts`.
bool applies(const FitRule& rule, const FitFacts& facts);

// {"verdict": "poor", "matched": [{"verdict", "reason", "based_on", "when"}, ...]}; with no
// rule applying, {"verdict": "neutral", "matched": []}.
boost::json::object evaluate_fit(const std::vector<FitRule>& rules, const FitFacts& facts);

// Every scheduler's rules by name (only the built-in ones have any).
using FitRuleBook = std::map<std::string, std::vector<FitRule>, std::less<>>;

}  // namespace schedcp::plugins::catalog
