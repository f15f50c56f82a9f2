#include "fit_rules.hpp"

#include <algorithm>
#include <stdexcept>

namespace schedcp::plugins::catalog {

namespace bj = boost::json;

namespace {

struct FactInfo {
    FitFact fact;
    std::string_view name;
    bool yes_no;
};

constexpr FactInfo kFacts[] = {
    {FitFact::llc_count, "llc_count", false}, {FitFact::numa_nodes, "numa_nodes", false},
    {FitFact::packages, "packages", false},   {FitFact::logical_cpus, "logical_cpus", false},
    {FitFact::cores, "cores", false},         {FitFact::smt, "smt", true},
    {FitFact::hybrid, "hybrid", true},
};

const FactInfo* find_fact(std::string_view name) {
    for (const auto& f : kFacts)
        if (f.name == name) return &f;
    return nullptr;
}

std::string known_facts() {
    std::string out;
    for (const auto& f : kFacts) out += (out.empty() ? "" : ", ") + std::string(f.name);
    return out;
}

void require(bool ok, const std::string& where, const std::string& what) {
    if (!ok) throw std::runtime_error("catalog data: " + where + ": " + what);
}

std::optional<std::int64_t> count_of(const bj::value& v) {
    if (v.is_int64() && v.get_int64() >= 0) return v.get_int64();
    if (v.is_uint64() && v.get_uint64() <= INT64_MAX)
        return static_cast<std::int64_t>(v.get_uint64());
    return std::nullopt;
}

FitCondition parse_condition(const FactInfo& fact, const bj::value& v, const std::string& where) {
    FitCondition c{.fact = fact.fact};
    if (fact.yes_no) {
        require(v.is_bool(), where,
                "must be true or false (" + std::string(fact.name) + " is a yes/no fact)");
        c.is = v.get_bool();
        return c;
    }
    const std::string shape =
        "must be a count (an integer >= 0) or {\"min\": N, \"max\": N} "
        "with at least one bound";
    if (auto n = count_of(v)) {
        c.min = c.max = *n;
        return c;
    }
    const auto* range = v.if_object();
    require(range && !range->empty(), where, shape);
    for (const auto& [key, bound] : *range) {
        require(key == "min" || key == "max", where + "." + std::string(key),
                "unknown bound (min, max)");
        auto n = count_of(bound);
        require(n.has_value(), where + "." + std::string(key), "must be an integer >= 0");
        (key == "min" ? c.min : c.max) = *n;
    }
    require(!c.min || !c.max || *c.min <= *c.max, where, "min must not exceed max");
    return c;
}

FitRule parse_rule(const bj::value& v, const std::string& where) {
    const auto* o = v.if_object();
    require(o != nullptr, where, "must be an object {when, verdict, reason, based_on}");
    for (const auto& [key, _] : *o)
        require(key == "when" || key == "verdict" || key == "reason" || key == "based_on",
                where + "." + std::string(key), "unknown key (when, verdict, reason, based_on)");
    FitRule r;
    const auto* when = o->if_contains("when");
    require(when && when->is_object() && !when->get_object().empty(), where + ".when",
            "must be an object naming at least one host fact (" + known_facts() +
                "); a rule for every host belongs in the description");
    for (const auto& [name, cond] : when->get_object()) {
        const std::string cw = where + ".when." + std::string(name);
        const FactInfo* fact = find_fact(name);
        require(fact != nullptr, cw, "unknown host fact (known: " + known_facts() + ")");
        r.when.push_back(parse_condition(*fact, cond, cw));
    }
    r.when_json = *when;
    const auto* verdict = o->if_contains("verdict");
    const std::string_view vs =
        verdict && verdict->is_string() ? std::string_view(verdict->get_string()) : "";
    require(vs == "good" || vs == "poor" || vs == "neutral", where + ".verdict",
            "must be good, poor or neutral");
    r.verdict = vs == "good"   ? FitVerdict::good
                : vs == "poor" ? FitVerdict::poor
                               : FitVerdict::neutral;
    auto text = [&](const char* key, const std::string& what) {
        const auto* f = o->if_contains(key);
        require(f && f->is_string() && !f->get_string().empty(), where + "." + key, what);
        return std::string(f->get_string());
    };
    r.reason = text("reason", "must be a non-empty string saying why");
    r.based_on = text("based_on", "must name the documentation the rule rests on");
    return r;
}

bool holds(const FitCondition& c, const FitFacts& f) {
    auto count = [&](const std::optional<std::int64_t>& v) {
        return v && (!c.min || *v >= *c.min) && (!c.max || *v <= *c.max);
    };
    auto yes_no = [&](const std::optional<bool>& v) { return v && c.is && *v == *c.is; };
    switch (c.fact) {
        case FitFact::llc_count:
            return count(f.llc_count);
        case FitFact::numa_nodes:
            return count(f.numa_nodes);
        case FitFact::packages:
            return count(f.packages);
        case FitFact::logical_cpus:
            return count(f.logical_cpus);
        case FitFact::cores:
            return count(f.cores);
        case FitFact::smt:
            return yes_no(f.smt);
        case FitFact::hybrid:
            return yes_no(f.hybrid);
    }
    return false;
}

std::optional<std::int64_t> positive(std::size_t n) {
    return n > 0 ? std::optional<std::int64_t>(static_cast<std::int64_t>(n)) : std::nullopt;
}

}  // namespace

FitFacts fit_facts(const sdk::host::Topology& t) {
    return FitFacts{
        .llc_count = positive(t.llc.size()),  // none: sysfs has no cache information here
        // A kernel without NUMA support has no node directory: its memory is one node.
        .numa_nodes = static_cast<std::int64_t>(std::max<std::size_t>(t.nodes.size(), 1)),
        .packages = positive(static_cast<std::size_t>(t.packages)),
        .logical_cpus = positive(t.online.size()),
        .cores = positive(static_cast<std::size_t>(t.cores)),
        .smt = t.threads_per_core > 1,
        .hybrid = !t.hybrid_source.empty(),
    };
}

bj::object to_json(const FitFacts& f) {
    auto v = [](const auto& x) { return x ? bj::value(*x) : bj::value(nullptr); };
    return bj::object{{"llc_count", v(f.llc_count)}, {"numa_nodes", v(f.numa_nodes)},
                      {"packages", v(f.packages)},   {"logical_cpus", v(f.logical_cpus)},
                      {"cores", v(f.cores)},         {"smt", v(f.smt)},
                      {"hybrid", v(f.hybrid)}};
}

std::string_view fit_verdict_name(FitVerdict v) {
    switch (v) {
        case FitVerdict::good:
            return "good";
        case FitVerdict::poor:
            return "poor";
        case FitVerdict::neutral:
            return "neutral";
    }
    return "neutral";
}

std::vector<FitRule> parse_fit_rules(const bj::value& v, const std::string& where) {
    const std::string rw = where + ".fit_rules";
    require(v.is_array(), rw, "must be an array of {when, verdict, reason, based_on}");
    std::vector<FitRule> rules;
    for (std::size_t i = 0; i < v.get_array().size(); ++i)
        rules.push_back(parse_rule(v.get_array()[i], rw + "[" + std::to_string(i) + "]"));
    return rules;
}

bool applies(const FitRule& rule, const FitFacts& facts) {
    return std::all_of(rule.when.begin(), rule.when.end(),
                       [&](const FitCondition& c) { return holds(c, facts); });
}

bj::object evaluate_fit(const std::vector<FitRule>& rules, const FitFacts& facts) {
    bj::array matched;
    bool good = false, poor = false;
    for (const auto& r : rules) {
        if (!applies(r, facts)) continue;
        good = good || r.verdict == FitVerdict::good;
        poor = poor || r.verdict == FitVerdict::poor;
        matched.push_back(bj::object{{"verdict", fit_verdict_name(r.verdict)},
                                     {"reason", r.reason},
                                     {"based_on", r.based_on},
                                     {"when", r.when_json}});
    }
    const FitVerdict overall = poor   ? FitVerdict::poor
                               : good ? FitVerdict::good
                                      : FitVerdict::neutral;
    return bj::object{{"verdict", fit_verdict_name(overall)}, {"matched", std::move(matched)}};
}

}  // namespace schedcp::plugins::catalog
