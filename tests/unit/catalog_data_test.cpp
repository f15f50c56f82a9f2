#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include "catalog/catalog_store.hpp"
#include "catalog_data_file.hpp"
#include "schedcp/sdk/error.hpp"

using namespace schedcp::plugins::catalog;
namespace bj = boost::json;

namespace {
std::string data() {
    return schedcp::test::catalog_data();
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
            // scx_loader's short flags, spelt as the declared long ones.
            BOOST_TEST(
                (e.modes.at("gaming") == std::vector<std::string>{"--primary-domain", "all"}));
            BOOST_TEST(
                (e.modes.at("lowlatency") ==
                 std::vector<std::string>{"--primary-domain", "performance", "--no-wake-sync"}));
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
    BOOST_TEST(
        error_of(R"({"schema_version":1,"scx_release":"v1.1.2","schedulers":[{"name":"rusty"}]})")
            .find("name must match") != std::string::npos);
    BOOST_TEST(
        error_of(
            R"({"schema_version":1,"scx_release":"v1.1.2","schedulers":[{"name":"scx_a","description":"d"}]})")
            .find("schedulers[0] (scx_a).algorithm: must be a non-empty string") !=
        std::string::npos);
}

// root_safe (false: never passed to a root scheduler) is a boolean, and the shipped data
// marks scx_layered's --example, which writes a file.
BOOST_AUTO_TEST_CASE(root_safe_is_a_boolean_and_marks_example) {
    const std::string entry =
        R"({"schema_version":1,"scx_release":"v1.1.2","schedulers":[{"name":"scx_a","production_ready":false,)"
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

// Built-ins given in any order are listed by name; a custom one joins them in order in a
// new snapshot, and a snapshot taken before stays as it was.
BOOST_AUTO_TEST_CASE(snapshots_are_sorted_by_name_and_never_change) {
    auto builtins = parse_catalog(data());
    std::reverse(builtins.begin(), builtins.end());
    CatalogStore store(std::move(builtins));
    const auto before = store.snapshot();
    BOOST_TEST(std::is_sorted(before->begin(), before->end(),
                              [](const auto& a, const auto& b) { return a.name < b.name; }));
    BOOST_TEST(store.snapshot() == before);  // shared, not rebuilt per reader
    SchedulerEntry e;
    e.name = "scx_mm_custom";  // sorts between built-ins
    store.add_custom(e);
    const auto after = store.snapshot();
    BOOST_TEST(after->size() == before->size() + 1);
    BOOST_TEST(std::is_sorted(after->begin(), after->end(),
                              [](const auto& a, const auto& b) { return a.name < b.name; }));
    BOOST_TEST(before->size() == parse_catalog(data()).size());
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

// One scheduler entry whose tuning_parameters and modes are given, for the refusal tests.
std::string entry_with(const std::string& params, const std::string& modes = "{}") {
    return R"({"schema_version":1,"scx_release":"v1.1.2","schedulers":[{"name":"scx_a",)"
           R"("production_ready":false,"description":"d","algorithm":"a","characteristics":"c",)"
           R"("limitations":"l","performance_profile":"p","use_cases":[],"origin":{},)"
           R"("tuning_parameters":)" +
           params + R"(,"modes":)" + modes + "}]}";
}

const bj::object& parameters_of(const std::vector<SchedulerEntry>& all, const std::string& name) {
    for (const auto& e : all)
        if (e.name == name) return e.metadata.at("tuning_parameters").as_object();
    throw std::runtime_error(name + " is not in the catalog");
}

// The data records which sched-ext/scx release it was checked against, and says where each
// scheduler's definition lives.
BOOST_AUTO_TEST_CASE(the_scx_release_is_recorded) {
    std::string release;
    const auto entries = parse_catalog(data(), &release);
    BOOST_TEST(release == "v1.1.2");
    for (const auto& e : entries) {
        const auto& origin = e.metadata.at("origin").as_object();
        BOOST_TEST(origin.contains("definition"), e.name);
        // The Rust schedulers are checked against the recorded release; the C ones left
        // sched-ext/scx in v1.1.0 and are checked against v1.0.20, the last that had them.
        if (origin.at("language").as_string() == "rust")
            BOOST_TEST(origin.at("definition").at("release").as_string() == release, e.name);
    }
    BOOST_TEST(error_of(R"({"schema_version":1,"schedulers":[]})") ==
               "catalog data: scx_release: must be the sched-ext/scx release tag the data "
               "describes");
}

// Every flag a mode uses is one of that scheduler's declared (long) flags, in the shipped
// data, and the parser refuses data where it is not.
BOOST_AUTO_TEST_CASE(every_mode_flag_is_a_declared_parameter) {
    for (const auto& e : parse_catalog(data())) {
        std::set<std::string> flags;
        for (const auto& [key, p] : e.metadata.at("tuning_parameters").as_object())
            flags.insert(std::string(p.at("flag").as_string()));
        for (const auto& [mode, args] : e.modes)
            for (const auto& a : args)
                if (a.starts_with("-"))
                    BOOST_TEST(flags.count(a) == 1u, e.name << " mode " << mode << " uses " << a);
    }
    const std::string slice =
        R"({"slice_us":{"type":"integer","flag":"--slice-us","short_flag":"-s","description":"d"}})";
    BOOST_TEST(error_of(entry_with(slice, R"({"gaming":["--slice-us","700"]})")).empty());
    BOOST_TEST(error_of(entry_with(slice, R"({"gaming":["-s","700"]})")) ==
               "catalog data: schedulers[0] (scx_a).modes.gaming: uses '-s', which is not a tuning "
               "parameter's flag");
}

// Every default has its parameter's type and lies within its range and choices; every type
// is one the runner's argument check understands.
BOOST_AUTO_TEST_CASE(defaults_lie_within_ranges_and_types_are_the_runners) {
    const std::set<std::string> runner_types = {"integer", "float", "boolean", "string"};
    std::size_t ranged = 0;
    for (const auto& e : parse_catalog(data()))
        for (const auto& [key, v] : e.metadata.at("tuning_parameters").as_object()) {
            const auto& p = v.as_object();
            const std::string where = e.name + "." + std::string(key);
            BOOST_TEST(runner_types.count(std::string(p.at("type").as_string())) == 1u, where);
            const auto* d = p.if_contains("default");
            const auto* r = p.if_contains("range");
            if (d && r) {
                ++ranged;
                BOOST_TEST(r->as_array().at(0).to_number<double>() <= d->to_number<double>(),
                           where);
                BOOST_TEST(d->to_number<double>() <= r->as_array().at(1).to_number<double>(),
                           where);
            }
            if (const auto* c = p.if_contains("choices"); c && d)
                BOOST_TEST(std::find(c->as_array().begin(), c->as_array().end(), *d) !=
                               c->as_array().end(),
                           where);
        }
    BOOST_TEST(ranged > 10u);
    const auto refusal = [](const std::string& param) {
        return error_of(entry_with(R"({"x":)" + param + "}"));
    };
    BOOST_TEST(
        refusal(
            R"({"type":"integer","flag":"--x","default":200,"range":[0,100],"description":"d"})") ==
        "catalog data: schedulers[0] (scx_a).tuning_parameters.x.default: must lie within range");
    BOOST_TEST(
        refusal(R"({"type":"integer","flag":"--x","default":"5","description":"d"})") ==
        "catalog data: schedulers[0] (scx_a).tuning_parameters.x.default: must be a integer");
    BOOST_TEST(
        refusal(
            R"({"type":"string","flag":"--x","default":"z","choices":["a","b"],"description":"d"})") ==
        "catalog data: schedulers[0] (scx_a).tuning_parameters.x.default: must be one of the "
        "choices");
    BOOST_TEST(refusal(R"({"type":"duration","flag":"--x","description":"d"})") ==
               "catalog data: schedulers[0] (scx_a).tuning_parameters.x.type: must be integer, "
               "float, boolean or string");
    BOOST_TEST(refusal(R"({"type":"boolean","flag":"--x","short_flag":"-xy","description":"d"})") ==
               "catalog data: schedulers[0] (scx_a).tuning_parameters.x.short_flag: must be a dash "
               "and one letter or digit");
}

// The examples named in issue 13, as sched-ext/scx v1.1.2 defines them.
BOOST_AUTO_TEST_CASE(the_issues_examples_match_the_source) {
    const auto all = parse_catalog(data());
    const auto& rusty = parameters_of(all, "scx_rusty");
    BOOST_REQUIRE(rusty.contains("perf"));
    BOOST_TEST(rusty.at("perf").at("flag").as_string() == "--perf");
    BOOST_TEST(rusty.at("perf").at("default").as_int64() == 0);
    BOOST_TEST(rusty.at("perf").at("range").as_array().at(1).as_int64() == 1024);

    // scx_flash's every tuning option in v1.1.2 (the eleven options v1.1.0 still had, such as
    // --slice-us-min and --direct-dispatch, were removed before v1.1.2).
    std::map<std::string, std::string> flash;  // flag -> short flag ("" if none)
    for (const auto& [key, p] : parameters_of(all, "scx_flash"))
        flash[std::string(p.at("flag").as_string())] =
            p.as_object().contains("short_flag") ? std::string(p.at("short_flag").as_string()) : "";
    const std::map<std::string, std::string> flash_source = {
        {"--slice-us", "-s"},       {"--slice-us-lag", "-l"},   {"--throttle-us", "-t"},
        {"--idle-resume-us", "-I"}, {"--tickless", "-T"},       {"--rr-sched", "-R"},
        {"--wakeup-throttle", ""},  {"--primary-domain", "-m"}, {"--disable-smt", ""},
        {"--disable-numa", ""},     {"--cpufreq", "-f"}};
    BOOST_TEST((flash == flash_source));

    // scx_simple's only option is -f (FIFO): its source (scx v1.0.20 scheds/c, the kernel's
    // tools/sched_ext) never had a slice option; -v is left out as logging.
    const auto& simple = parameters_of(all, "scx_simple");
    BOOST_TEST(simple.size() == 1u);
    BOOST_TEST(simple.at("fifo").at("flag").as_string() == "-f");
    for (const auto& e : all)
        if (e.name == "scx_simple")
            BOOST_TEST(e.metadata.at("omitted_options").at(0).at("flag").as_string() == "-v");
}

// A scheduler's options that are not parameters are listed with a reason.
BOOST_AUTO_TEST_CASE(left_out_options_say_why) {
    for (const auto& e : parse_catalog(data())) {
        BOOST_TEST(e.metadata.contains("omitted_options"), e.name);
        if (e.name == "scx_bpfland") {
            bool stats = false;
            for (const auto& o : e.metadata.at("omitted_options").as_array())
                stats |=
                    o.at("flag").as_string() == "--stats" && !o.at("reason").as_string().empty();
            BOOST_TEST(stats);
        }
    }
    BOOST_TEST(error_of(entry_with("{}").insert(entry_with("{}").size() - 3,
                                                R"(,"omitted_options":[{"flag":"-v"}])"))
                   .find("omitted_options: must be an array of {flag, reason}") !=
               std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
