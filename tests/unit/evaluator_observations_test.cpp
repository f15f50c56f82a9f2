// The evaluator's merge of what the monitor observed during a configuration's runs, against
// values computed by hand: run-queue latency merged bucket by bucket (percentiles of all
// the waits, which averaging the runs' percentiles would not give) and CPU % weighted by
// each run's length; missing parts said with their reason.
#include <cstdint>
#include <initializer_list>
#include <utility>

#include <boost/test/unit_test.hpp>

#include "evaluator/run_observations.hpp"

using namespace schedcp::plugins::evaluator;
using schedcp::sdk::LatencyHistogram;
using schedcp::sdk::services::CpuTicks;
using schedcp::sdk::services::RunObservation;

namespace {

// A run that saw `waits` ({slot, count}) with the longest `max_us`, and `cpu`.
RunObservation observed(std::initializer_list<std::pair<int, std::uint64_t>> waits, double max_us,
                        CpuTicks cpu) {
    LatencyHistogram h;
    for (auto [slot, count] : waits) h.slots[slot] = count;
    h.max_us = max_us;
    return RunObservation{.cpu = cpu, .runqlat = h};
}

// Run A: 30 waits in [2, 4) us, 10 in [8, 16) us, longest 12.5 us; 150 of 200 ticks busy.
// Run B: 10 waits in [2, 4) us, 50 in [32, 64) us, longest 63.9 us; 100 of 800 ticks busy
// (four times as long as A).
RunObservation run_a() {
    return observed({{1, 30}, {3, 10}}, 12.5, {.busy = 150, .total = 200});
}
RunObservation run_b() {
    return observed({{1, 10}, {5, 50}}, 63.9, {.busy = 100, .total = 800});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(evaluator_observations)

BOOST_AUTO_TEST_CASE(latency_histograms_merge_bucket_by_bucket) {
    const RunObservation a = run_a(), b = run_b();
    const auto m = merge_observations({&a, &b}, "");
    BOOST_REQUIRE(m.runqlat);
    BOOST_TEST(m.runqlat_runs == 2u);
    BOOST_TEST(m.runqlat->slots[1] == 40u);
    BOOST_TEST(m.runqlat->slots[3] == 10u);
    BOOST_TEST(m.runqlat->slots[5] == 50u);
    BOOST_TEST(m.runqlat->count() == 100u);
    BOOST_TEST(m.runqlat->max_us == 63.9);
    // p50 of the 100 waits: the 50th, the last of the 10 in [8, 16) (40 before it): 16 us.
    BOOST_TEST(m.runqlat->percentile_us(0.50) == 16.0, boost::test_tools::tolerance(1e-12));
    // p99: the 99th, the 49th of the 50 in [32, 64): 32 + 49/50 * 32 = 63.36 us.
    BOOST_TEST(m.runqlat->percentile_us(0.99) == 63.36, boost::test_tools::tolerance(1e-12));
    // Averaging the runs' own p50s would say (3.333 + 44.8) / 2 = 24.07 us instead:
    // A's 20th of 40 is in [2, 4) at 2 + 20/30 * 2; B's 30th of 60 is in [32, 64) at 32 + 20/50
    // * 32.
    BOOST_TEST(a.runqlat->percentile_us(0.5) == 2 + 20.0 / 30 * 2,
               boost::test_tools::tolerance(1e-12));
    BOOST_TEST(b.runqlat->percentile_us(0.5) == 44.8, boost::test_tools::tolerance(1e-12));
    const auto j = runqlat_json(m);
    BOOST_TEST(j.at("available").as_bool());
    BOOST_TEST(j.at("runs").to_number<int>() == 2);
    BOOST_TEST(j.at("count").to_number<int>() == 100);
    BOOST_TEST(j.at("p50_us").as_double() == 16.0);
    BOOST_TEST(j.at("p99_us").as_double() == 63.36);
    BOOST_TEST(j.at("max_us").as_double() == 63.9);
}

BOOST_AUTO_TEST_CASE(cpu_is_weighted_by_each_runs_length) {
    const RunObservation a = run_a(), b = run_b();
    const auto m = merge_observations({&a, &b}, "");
    BOOST_REQUIRE(m.cpu);
    BOOST_TEST(m.cpu_runs == 2u);
    // A: 75 % for 200 ticks, B: 12.5 % for 800 ticks; weighted (75*200 + 12.5*800) / 1000
    // = 25 %, where the plain mean of the two would be 43.75 %.
    BOOST_TEST(*cpu_percent(*m.cpu) == 25.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(*cpu_percent(*a.cpu) == 75.0);
    BOOST_TEST(*cpu_percent(*b.cpu) == 12.5);
    const auto j = cpu_json(m);
    BOOST_TEST(j.at("available").as_bool());
    BOOST_TEST(j.at("percent").as_double() == 25.0);
    BOOST_TEST(j.at("runs").to_number<int>() == 2);
    BOOST_TEST(!cpu_percent(CpuTicks{}).has_value());
}

BOOST_AUTO_TEST_CASE(a_run_without_a_part_leaves_the_others_merged) {
    const RunObservation a = run_a();
    RunObservation without{.cpu = CpuTicks{.busy = 50, .total = 100},
                           .runqlat_reason = "cannot load the BPF program"};
    const auto m = merge_observations({&a, &without}, "");
    BOOST_REQUIRE(m.runqlat);
    BOOST_TEST(m.runqlat_runs == 1u);
    BOOST_TEST(m.runqlat->count() == 40u);
    // (150 + 50) / (200 + 100)
    BOOST_TEST(*cpu_percent(*m.cpu) == 200.0 / 3, boost::test_tools::tolerance(1e-12));
    // No run with latency at all: the runs' reason.
    const auto none = merge_observations({&without}, "");
    BOOST_TEST(!none.runqlat);
    BOOST_TEST(runqlat_json(none).at("reason").as_string() == "cannot load the BPF program");
}

BOOST_AUTO_TEST_CASE(nothing_observed_says_why) {
    const RunObservation a = run_a();
    const auto off = merge_observations({&a}, "no monitor plugin is loaded");
    BOOST_TEST(!off.runqlat);
    BOOST_TEST(!off.cpu);
    BOOST_TEST(cpu_json(off).at("reason").as_string() == "no monitor plugin is loaded");
    BOOST_TEST(!runqlat_json(off).at("available").as_bool());
    const auto no_runs = merge_observations({}, "");
    BOOST_TEST(cpu_json(no_runs).at("reason").as_string() == "no counted run has succeeded");
    // Runs too short for a tick, and no wait at all: present sources, nothing to report.
    const RunObservation quiet = observed({}, 0, CpuTicks{});
    const auto q = merge_observations({&quiet}, "");
    BOOST_TEST(std::string(cpu_json(q).at("reason").as_string()).find("clock tick") !=
               std::string::npos);
    BOOST_TEST(runqlat_json(q).at("reason").as_string() ==
               "no task waited in a run queue during the runs");
}

BOOST_AUTO_TEST_CASE(a_runs_own_figures_in_its_report_entry) {
    boost::json::object entry;
    add_run_observation(entry, run_b());
    BOOST_TEST(entry.at("cpu_percent").as_double() == 12.5);
    const auto& q = entry.at("run_queue_latency").as_object();
    BOOST_TEST(q.at("count").to_number<int>() == 60);
    BOOST_TEST(q.at("p50_us").as_double() == 44.8);
    boost::json::object nothing;
    add_run_observation(nothing, RunObservation{.cpu_reason = "x", .runqlat_reason = "y"});
    BOOST_TEST(nothing.empty());
}

BOOST_AUTO_TEST_SUITE_END()
