#include <fstream>
#include <set>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include "catalog/catalog_store.hpp"
#include "schedcp/sdk/error.hpp"

using namespace schedcp::plugins::catalog;

namespace {
std::string data() {
    std::ifstream in(CATALOG_DATA_FILE);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
std::string error_of(const std::string& json) {
    try {
        parse_catalog(json);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(catalog_data)

BOOST_AUTO_TEST_CASE(shipped_catalog_is_complete) {
    auto entries = parse_catalog(data());
    std::set<std::string> names, ready;
    for (const auto& e : entries) {
        names.insert(e.name);
        if (e.production_ready) ready.insert(e.name);
    }
    // SchedCP's production-ready nine are all there and marked so.
    for (const char* n : {"scx_rusty", "scx_simple", "scx_lavd", "scx_bpfland", "scx_layered",
                          "scx_flatcg", "scx_nest", "scx_flash", "scx_p2dq"})
        BOOST_TEST(ready.count(n) == 1u, n);
    // Today's Rust schedulers and the kernel's C examples.
    for (const char* n :
         {"scx_cosmos", "scx_beerland", "scx_rustland", "scx_tickless", "scx_mitosis", "scx_chaos",
          "scx_cake", "scx_central", "scx_qmap", "scx_pair", "scx_prev", "scx_userland", "scx_sdt"})
        BOOST_TEST(names.count(n) == 1u, n);
    // scx_loader's mode table (sched-ext/scx-loader config.rs).
    for (const auto& e : entries) {
        if (e.name == "scx_bpfland") {
            BOOST_TEST((e.modes.at("gaming") == std::vector<std::string>{"-m", "all"}));
            BOOST_TEST(
                (e.modes.at("lowlatency") == std::vector<std::string>{"-m", "performance", "-w"}));
        }
        if (e.name == "scx_lavd") BOOST_TEST(e.modes.at("powersave").front() == "--powersave");
        if (e.name == "scx_simple") BOOST_TEST(e.modes.empty());
        BOOST_TEST(e.metadata.contains("origin"), e.name);
    }
}

BOOST_AUTO_TEST_CASE(malformed_data_is_refused_with_a_location) {
    BOOST_TEST(error_of("{").find("not valid JSON") != std::string::npos);
    BOOST_TEST(error_of(R"({"schema_version":2,"schedulers":[]})") ==
               "catalog data: schema_version: must be 1");
    BOOST_TEST(error_of(R"({"schema_version":1,"schedulers":[{"name":"rusty"}]})")
                   .find("name must match") != std::string::npos);
    BOOST_TEST(error_of(R"({"schema_version":1,"schedulers":[{"name":"scx_a","description":"d"}]})")
                   .find("schedulers[0] (scx_a).algorithm: must be a non-empty string") !=
               std::string::npos);
}

// root_safe (false: never passed to a root scheduler) is a boolean, and the shipped data
// marks scx_layered's --example, which writes a file.
BOOST_AUTO_TEST_CASE(root_safe_is_a_boolean_and_marks_example) {
    const std::string entry =
        R"({"schema_version":1,"schedulers":[{"name":"scx_a","production_ready":false,)"
        R"("description":"d","algorithm":"a","characteristics":"c","limitations":"l",)"
        R"("performance_profile":"p","use_cases":[],"origin":{},"tuning_parameters":)"
        R"({"out":{"type":"string","flag":"--out","description":"d","root_safe":ROOT_SAFE}}}]})";
    auto with = [&](const std::string& v) {
        std::string s = entry;
        return s.replace(s.find("ROOT_SAFE"), 9, v);
    };
    BOOST_TEST(error_of(with("false")).empty(), error_of(with("false")));
    BOOST_TEST(
        error_of(with("\"no\"")).find("tuning_parameters.out.root_safe: must be a boolean") !=
            std::string::npos,
        error_of(with("\"no\"")));
    for (const auto& e : parse_catalog(data()))
        if (e.name == "scx_layered") {
            const auto& example = e.metadata.at("tuning_parameters").at("example").as_object();
            BOOST_TEST(example.at("root_safe").as_bool() == false);
        }
}

BOOST_AUTO_TEST_CASE(custom_schedulers_cannot_shadow_builtins) {
    CatalogStore store(parse_catalog(data()));
    SchedulerEntry e;
    e.name = "scx_rusty";
    BOOST_CHECK_THROW(store.add_custom(e), schedcp::sdk::Conflict);
    e.name = "my_fifo";
    e.launch = {"/usr/lib/schedcp/schedcp-loader", "/var/lib/schedcp/compiler/my_fifo.bpf.o"};
    store.add_custom(e);
    auto found = store.find("my_fifo");
    BOOST_REQUIRE(found);
    BOOST_TEST(found->custom);
    BOOST_TEST(store.close_matches("my_fif").front() == "my_fifo");
    BOOST_TEST(store.list().size() == parse_catalog(data()).size() + 1);
}

BOOST_AUTO_TEST_SUITE_END()
