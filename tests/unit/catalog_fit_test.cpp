// The catalog's fit rules (plugins/catalog/fit_rules.hpp): the rule format and its errors,
// the evaluation, the shipped rules judged on the synthetic layouts the topology tests use
// (2 NUMA nodes x 2 LLCs with SMT; an Intel hybrid CPU) and on this machine, and
// list_schedulers' fit computed once per host.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "catalog/catalog_store.hpp"
#include "catalog/fit_rules.hpp"
#include "catalog/host_fit.hpp"
#include "catalog/list_schedulers.hpp"
#include "catalog_data_file.hpp"
#include "schedcp/sdk/schema.hpp"
#include "schedcp/sdk/topology.hpp"
#include "system_fake_host.hpp"

using namespace schedcp::plugins::catalog;
namespace bj = boost::json;
using schedcp::test::FakeHost;

namespace {

std::string data() {
    return schedcp::test::catalog_data();
}

// The fit facts of one of the fake host's synthetic layouts.
FitFacts facts_of(void (FakeHost::*layout)() const) {
    FakeHost h;
    (h.*layout)();
    return fit_facts(schedcp::sdk::host::read_topology(h.roots));
}

FitRuleBook shipped_rules() {
    FitRuleBook rules;
    parse_catalog(data(), nullptr, &rules);
    return rules;
}

std::string rule_error(const std::string& rules_json) {
    try {
        parse_fit_rules(bj::parse(rules_json), "schedulers[3] (scx_a)");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

// Each shipped scheduler's verdict on `facts`, and how many of its rules applied.
std::map<std::string, std::string> verdicts(const FitFacts& facts) {
    std::map<std::string, std::string> out;
    for (const auto& [name, fit] : compute_host_fit(shipped_rules(), facts).by_name)
        out[name] = std::string(fit.at("verdict").as_string()) + "/" +
                    std::to_string(fit.at("matched").as_array().size());
    return out;
}

// An empty service registry: list_schedulers then searches $PATH itself.
struct NoServices final : schedcp::sdk::ServiceRegistry {
    void publish_raw(std::string_view, std::shared_ptr<void>) override {}
    std::shared_ptr<void> find_raw(std::string_view) const override { return nullptr; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(catalog_fit)

BOOST_AUTO_TEST_CASE(rule_format_errors_name_the_rule_and_what_is_wrong) {
    const std::string at = "catalog data: schedulers[3] (scx_a).fit_rules";
    BOOST_TEST(rule_error(R"({})") ==
               at + ": must be an array of {when, verdict, reason, based_on}");
    BOOST_TEST(rule_error(R"([{"when":{"llc_cout":1},"verdict":"poor","reason":"r",)"
                          R"("based_on":"b"}])") ==
               at + "[0].when.llc_cout: unknown host fact (known: llc_count, numa_nodes, "
                    "packages, logical_cpus, cores, smt, hybrid)");
    BOOST_TEST(rule_error(R"([{"when":{},"verdict":"poor","reason":"r","based_on":"b"}])") ==
               at + "[0].when: must be an object naming at least one host fact (llc_count, "
                    "numa_nodes, packages, logical_cpus, cores, smt, hybrid); a rule for every "
                    "host belongs in the description");
    BOOST_TEST(rule_error(R"([{"when":{"hybrid":1},"verdict":"good","reason":"r",)"
                          R"("based_on":"b"}])") ==
               at + "[0].when.hybrid: must be true or false (hybrid is a yes/no fact)");
    BOOST_TEST(rule_error(R"([{"when":{"numa_nodes":-1},"verdict":"good","reason":"r",)"
                          R"("based_on":"b"}])") ==
               at + "[0].when.numa_nodes: must be a count (an integer >= 0) or {\"min\": N, "
                    "\"max\": N} with at least one bound");
    BOOST_TEST(rule_error(R"([{"when":{"llc_count":{"above":2}},"verdict":"good",)"
                          R"("reason":"r","based_on":"b"}])") ==
               at + "[0].when.llc_count.above: unknown bound (min, max)");
    BOOST_TEST(rule_error(R"([{"when":{"llc_count":{"min":3,"max":2}},"verdict":"good",)"
                          R"("reason":"r","based_on":"b"}])") ==
               at + "[0].when.llc_count: min must not exceed max");
    BOOST_TEST(rule_error(R"([{"when":{"smt":true},"verdict":"fine","reason":"r",)"
                          R"("based_on":"b"}])") ==
               at + "[0].verdict: must be good, poor or neutral");
    BOOST_TEST(rule_error(R"([{"when":{"smt":true},"verdict":"good","reason":"",)"
                          R"("based_on":"b"}])") ==
               at + "[0].reason: must be a non-empty string saying why");
    BOOST_TEST(rule_error(R"([{"when":{"smt":true},"verdict":"good","reason":"r"}])") ==
               at + "[0].based_on: must name the documentation the rule rests on");
    BOOST_TEST(rule_error(R"([{"when":{"smt":true},"verdict":"good","reason":"r",)"
                          R"("based_on":"b","source":"x"}])") ==
               at + "[0].source: unknown key (when, verdict, reason, based_on)");
    // The catalog's own check reaches the rules, with the entry named.
    try {
        parse_catalog(
            R"({"schema_version":1,"scx_release":"v1.1.2","schedulers":[{"name":"scx_a",)"
            R"("production_ready":false,"description":"d","algorithm":"a","characteristics":"c",)"
            R"("limitations":"l","performance_profile":"p","use_cases":[],"origin":{},)"
            R"("tuning_parameters":{},"fit_rules":[{"when":{"cpus":1}}]}]})");
        BOOST_FAIL("accepted an unknown host fact");
    } catch (const std::runtime_error& e) {
        BOOST_TEST(std::string(e.what()).starts_with(
            "catalog data: schedulers[0] (scx_a).fit_rules[0].when.cpus: unknown host fact"));
    }
}

BOOST_AUTO_TEST_CASE(conditions_and_the_overall_verdict) {
    const auto rules = parse_fit_rules(
        bj::parse(R"([{"when":{"llc_count":{"min":2},"smt":true},"verdict":"good",)"
                  R"("reason":"many","based_on":"doc"},)"
                  R"({"when":{"numa_nodes":{"min":2}},"verdict":"poor","reason":"numa",)"
                  R"("based_on":"doc"},)"
                  R"({"when":{"logical_cpus":16},"verdict":"neutral","reason":"sixteen",)"
                  R"("based_on":"doc"}])"),
        "x");
    const FitFacts big{.llc_count = 4,
                       .numa_nodes = 2,
                       .packages = 2,
                       .logical_cpus = 16,
                       .cores = 8,
                       .smt = true,
                       .hybrid = false};
    // A poor rule outweighs a good one; every applying rule is listed, in order.
    auto fit = evaluate_fit(rules, big);
    BOOST_TEST(fit.at("verdict").as_string() == "poor");
    BOOST_TEST(fit.at("matched").as_array().size() == 3u);
    BOOST_TEST(bj::serialize(fit.at("matched").at(0)) ==
               R"({"verdict":"good","reason":"many","based_on":"doc",)"
               R"("when":{"llc_count":{"min":2},"smt":true}})");
    FitFacts one_node = big;
    one_node.numa_nodes = 1;
    BOOST_TEST(evaluate_fit(rules, one_node).at("verdict").as_string() == "good");
    // Every condition of a rule must hold; a fact the host does not expose satisfies none.
    FitFacts no_smt = one_node;
    no_smt.smt = false;
    BOOST_TEST(bj::serialize(evaluate_fit(rules, no_smt).at("matched").at(0).at("reason")) ==
               R"("sixteen")");
    FitFacts unknown = one_node;
    unknown.llc_count.reset();
    unknown.logical_cpus.reset();
    BOOST_TEST(bj::serialize(evaluate_fit(rules, unknown)) ==
               R"({"verdict":"neutral","matched":[]})");
}

// The shipped rules on the topology tests' synthetic layouts: each layout's facts, and each
// named scheduler's verdict/number of rules applying.
BOOST_AUTO_TEST_CASE(shipped_rules_on_the_synthetic_layouts) {
    struct Layout {
        void (FakeHost::*build)() const;
        std::string facts;
        std::string verdicts;  // "NAME VERDICT/RULES APPLYING, ..."
    };
    const Layout layouts[] = {
        // rusty sees LLCs in different NUMA nodes, nest no uniform L3, cake shards per LLC;
        // p2dq's rules (one LLC, hybrid) do not apply.
        {.build = &FakeHost::two_numa_nodes_of_two_llcs_with_smt,
         .facts = R"({"llc_count":4,"numa_nodes":2,"packages":2,"logical_cpus":16,"cores":8,)"
                  R"("smt":true,"hybrid":false})",
         .verdicts = "scx_rusty poor/1, scx_nest poor/1, scx_cake good/1, scx_lavd neutral/1, "
                     "scx_layered neutral/1, scx_p2dq neutral/0, scx_cosmos neutral/1"},
        // lavd: per-core-type domains and single CCX; p2dq: big/little modes, nothing to
        // balance; cake: capacity scaling, one LLC; rusty: one LLC is one domain.
        {.build = &FakeHost::intel_hybrid,
         .facts = R"({"llc_count":1,"numa_nodes":1,"packages":1,"logical_cpus":12,"cores":8,)"
                  R"("smt":true,"hybrid":true})",
         .verdicts = "scx_lavd good/2, scx_p2dq good/2, scx_cake good/2, scx_rusty poor/1, "
                     "scx_nest good/1, scx_layered neutral/0"},
    };
    for (const auto& layout : layouts) {
        const FitFacts facts = facts_of(layout.build);
        BOOST_TEST(bj::serialize(to_json(facts)) == layout.facts);
        // The same schedulers, in the same order, as this layout got them.
        const auto got = verdicts(facts);
        std::string seen;
        std::istringstream names(layout.verdicts);
        for (std::string name, verdict; names >> name >> verdict;)
            seen += (seen.empty() ? "" : ", ") + name + " " + got.at(name);
        BOOST_TEST(seen == layout.verdicts);
    }
}

BOOST_AUTO_TEST_CASE(shipped_rules_on_this_machine) {
    const FitFacts facts = fit_facts(schedcp::sdk::host::read_topology({}));
    BOOST_TEST(facts.logical_cpus.value_or(0) == ::sysconf(_SC_NPROCESSORS_ONLN));
    BOOST_TEST(facts.numa_nodes.value_or(0) >= 1);
    const auto v = verdicts(facts);
    // Whatever this machine is, every scheduler with rules gets a verdict, and rusty's
    // follows its LLC count as its README describes.
    BOOST_TEST(v.size() == shipped_rules().size());
    if (facts.llc_count == 1) BOOST_TEST(v.at("scx_rusty") == "poor/1");
    if (facts.llc_count > 1 && facts.numa_nodes == 1) BOOST_TEST(v.at("scx_rusty") == "good/1");
}

BOOST_AUTO_TEST_CASE(every_shipped_rule_cites_the_scx_documentation) {
    const auto rules = shipped_rules();
    for (const char* name : {"scx_rusty", "scx_lavd", "scx_layered", "scx_p2dq", "scx_cake",
                             "scx_cosmos", "scx_bpfland", "scx_flash", "scx_nest"})
        BOOST_TEST(rules.contains(std::string_view(name)), name);
    for (const auto& [name, list] : rules)
        for (const auto& r : list)
            BOOST_TEST(r.based_on.starts_with("sched-ext/scx v1."), name << ": " << r.based_on);
    // The rules are the catalog's: list_schedulers shows their verdict, not the rules.
    for (const auto& e : parse_catalog(data())) BOOST_TEST(!e.metadata.contains("fit_rules"));
}

BOOST_AUTO_TEST_CASE(list_schedulers_carries_fit_computed_once_per_host) {
    FakeHost h;
    h.intel_hybrid();
    FitRuleBook rules;
    std::string release;
    CatalogStore store(parse_catalog(data(), &release, &rules));
    HostFitCache cache(std::move(rules), h.roots);
    BOOST_TEST(!cache.ready());
    const auto fit = cache.compute();
    // The topology is read once: later calls share the result, even with the tree gone.
    std::filesystem::remove_all(h.roots.sys);
    BOOST_TEST(cache.ready() == fit);
    BOOST_TEST(cache.compute() == fit);

    NoServices services;
    const auto result = list_schedulers(store, services, {}, release, fit.get());
    BOOST_TEST(result.at("fit_host").at("hybrid").as_bool());
    for (const auto& s : result.at("schedulers").as_array()) {
        const auto& name = s.at("name").as_string();
        if (name == "scx_lavd") BOOST_TEST(s.at("fit").at("verdict").as_string() == "good");
        if (name == "scx_simple") BOOST_TEST(!s.as_object().contains("fit"));
    }
    const auto violations = schedcp::sdk::validate(list_output_schema(), result, "result");
    BOOST_TEST(violations.empty(), schedcp::sdk::describe(violations));
    BOOST_TEST(render_long(result).find("Fit here:    good\n  good: hybrid CPU: scx_lavd makes") !=
               std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
