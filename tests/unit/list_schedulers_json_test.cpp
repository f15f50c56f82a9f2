// The MCP tool's list_schedulers answer is written straight to JSON from cached pieces:
// it must be, byte for byte, compact() of the tree schedcp-cli's list builds, for every
// filter, installed or not (a path that needs escaping), with and without the host's fit
// (per-entry "fit", "fit_host" with facts the host does not say), and after the catalog
// changes; and an unchanged answer is handed out again as the same string.
#include <boost/test/unit_test.hpp>

#include "catalog/catalog_store.hpp"
#include "catalog/host_fit.hpp"
#include "catalog/list_schedulers.hpp"
#include "catalog/list_schedulers_json.hpp"
#include "catalog_data_file.hpp"
#include "schedcp/sdk/json.hpp"
#include "services_impl.hpp"

using namespace schedcp::plugins::catalog;
namespace sdk = schedcp::sdk;

namespace {

// scx_rusty and scx_lavd are "installed" (one path with a quote and a backslash), and
// scx_bpfland once `bpfland_installed` says so.
class FakeLocator final : public sdk::services::SchedulerLocator {
  public:
    std::optional<std::string> locate(const SchedulerEntry& e) const override {
        if (e.name == "scx_rusty") return "/opt/\"odd\"\\dir/scx_rusty";
        if (e.name == "scx_lavd") return "/usr/bin/scx_lavd";
        if (e.name == "scx_bpfland" && bpfland_installed) return "/usr/bin/scx_bpfland";
        return std::nullopt;
    }
    bool bpfland_installed = false;
};

// The shipped rules judged on a two-node host with SMT that does not say whether it is
// hybrid (a null fact), so that some schedulers get a fit and others none.
HostFit shipped_fit() {
    FitRuleBook rules;
    parse_catalog(schedcp::test::catalog_data(), nullptr, &rules);
    return compute_host_fit(rules, FitFacts{.llc_count = 2,
                                            .numa_nodes = 2,
                                            .packages = 1,
                                            .logical_cpus = 16,
                                            .cores = 8,
                                            .smt = true,
                                            .hybrid = std::nullopt});
}

void expect_same_answers(const CatalogStore& store, const sdk::ServiceRegistry& services,
                         ListingWriter& writer, const std::shared_ptr<const HostFit>& fit) {
    const std::vector<ListFilter> filters{{},
                                          {.name = "rusty"},
                                          {.name = "RUS"},
                                          {.name = "no such scheduler"},
                                          {.production_ready = true},
                                          {.production_ready = false},
                                          {.name = "scx", .production_ready = true},
                                          {.name = "my"}};
    for (const auto& f : filters) {
        const std::string tree =
            sdk::json::compact(list_schedulers(store, services, f, "v1.1.2 \"x\"", fit.get()));
        BOOST_TEST(*writer.write(store, services, f, "v1.1.2 \"x\"", fit) == tree);
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(list_schedulers_json)

// Without a judgement (no host facts) fit_host is empty: data, never a schema.
BOOST_AUTO_TEST_CASE(without_a_judgement_fit_host_holds_no_facts) {
    BOOST_TEST(fit_host_of(nullptr).empty());
}

BOOST_AUTO_TEST_CASE(matches_the_tree_for_every_filter_and_after_a_custom_is_added) {
    CatalogStore store(parse_catalog(schedcp::test::catalog_data()));
    schedcp::host::ServiceRegistryImpl services;
    services.publish<sdk::services::SchedulerLocator>(std::make_shared<FakeLocator>());
    const auto fit = std::make_shared<const HostFit>(shipped_fit());
    BOOST_TEST_REQUIRE(!fit->by_name.empty());
    BOOST_TEST_REQUIRE(fit->by_name.size() < store.snapshot()->size());  // some have none
    ListingWriter writer;
    expect_same_answers(store, services, writer, nullptr);
    expect_same_answers(store, services, writer, fit);

    // A custom scheduler with empty metadata, and one whose metadata has keys the listing
    // sets itself: both still come out as the tree has them.
    SchedulerEntry plain;
    plain.name = "my_fifo";
    plain.custom = true;
    store.add_custom(plain);
    SchedulerEntry clashing;
    clashing.name = "my_vtime";
    clashing.custom = true;
    clashing.metadata = {{"name", "my_vtime"}, {"path", "stale"}, {"installed", true}, {"z", 1}};
    store.add_custom(clashing);
    SchedulerEntry fit_clash;  // a "fit" of its own, and a rule-judged fit replacing it
    fit_clash.name = "scx_rusty_copy";
    fit_clash.custom = true;
    fit_clash.metadata = {{"fit", "mine"}, {"y", 2}};
    store.add_custom(fit_clash);
    auto with_custom = std::make_shared<HostFit>(*fit);
    with_custom->by_name["scx_rusty_copy"] = {{"verdict", "good"},
                                              {"matched", boost::json::array{}}};
    expect_same_answers(store, services, writer, nullptr);
    expect_same_answers(store, services, writer, fit);
    expect_same_answers(store, services, writer, with_custom);
    expect_same_answers(store, services, writer, fit);  // the fit changes back
}

// An unchanged answer is the same string again (the server reuses its quoted text by
// address); a scheduler installed, another filter, another fit or release: a new one.
BOOST_AUTO_TEST_CASE(an_unchanged_answer_is_handed_out_again_a_changed_one_is_new) {
    CatalogStore store(parse_catalog(schedcp::test::catalog_data()));
    schedcp::host::ServiceRegistryImpl services;
    auto locator = std::make_shared<FakeLocator>();
    services.publish<sdk::services::SchedulerLocator>(locator);
    const auto fit = std::make_shared<const HostFit>(shipped_fit());
    ListingWriter writer;
    const ListFilter bpfland{.name = "bpfland"};
    const auto first = writer.write(store, services, bpfland, "v1", fit);
    BOOST_TEST(writer.write(store, services, bpfland, "v1", fit) == first);  // the same string
    BOOST_TEST(first->find(R"("installed":false)") != std::string::npos);

    locator->bpfland_installed = true;
    const auto installed = writer.write(store, services, bpfland, "v1", fit);
    BOOST_TEST(installed != first);
    BOOST_TEST(installed->find(R"("path":"/usr/bin/scx_bpfland")") != std::string::npos);
    BOOST_TEST(*installed == sdk::json::compact(list_schedulers(store, services, bpfland, "v1",
                                                                fit.get())));
    BOOST_TEST(writer.write(store, services, bpfland, "v1", fit) == installed);

    BOOST_TEST(writer.write(store, services, {.name = "BPFLAND"}, "v1", fit) != installed);
    BOOST_TEST(writer.write(store, services, bpfland, "v2", fit) != installed);
    BOOST_TEST(writer.write(store, services, bpfland, "v1", nullptr) != installed);
    // Many filters in between: the answer is still right, remembered or written again.
    for (int i = 0; i < 20; ++i)
        writer.write(store, services, {.name = "scx_" + std::to_string(i)}, "v1", fit);
    BOOST_TEST(*writer.write(store, services, bpfland, "v1", fit) == *installed);

    SchedulerEntry custom;  // the catalog changes: nothing written before is handed out
    custom.name = "my_bpfland";
    custom.custom = true;
    custom.metadata = {{"name", "my_bpfland"}};
    store.add_custom(custom);
    const auto after = writer.write(store, services, bpfland, "v1", fit);
    BOOST_TEST(after != installed);
    BOOST_TEST(after->find(R"({"name":"my_bpfland","custom":true)") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
