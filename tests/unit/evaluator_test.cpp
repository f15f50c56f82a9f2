// The evaluator's statistics against independently known values, its run plan, and each
// built-in benchmark's parser against the real tool's output, recorded by running the
// tool here (rt-tests, stress-ng, sysbench, linux-perf: scripts/install-deps.sh).
#include <cmath>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "evaluator/benchmarks.hpp"
#include "evaluator/evaluation.hpp"
#include "evaluator/statistics.hpp"
#include "subprocess.hpp"

using namespace schedcp::plugins::evaluator;

namespace {

// The tool's stdout and stderr, after it exits with code 0.
std::string run_real(const Benchmark& b, const std::map<std::string, std::string>& values) {
    std::vector<std::string> argv{"/usr/bin/" + b.program};
    for (auto& a : b.arguments(values)) argv.push_back(a);
    schedcp::test::Subprocess p(argv);
    std::string out;
    while (auto line = p.read_line(std::chrono::seconds(60))) out += *line + "\n";
    const auto code = p.wait(std::chrono::seconds(60));
    out += p.stderr_text();
    BOOST_REQUIRE_MESSAGE(code && *code == 0, b.name + " failed: " + out);
    BOOST_TEST_MESSAGE(b.name + " output:\n" + out);
    return out;
}

std::map<std::string, std::string> values_of(const Benchmark& b, boost::json::object params) {
    return benchmark_values(b, params);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(evaluator_statistics)

BOOST_AUTO_TEST_CASE(summary_of_one_to_five) {
    const std::vector<double> v{5, 1, 4, 2, 3};
    const Summary s = summarize(v);
    BOOST_TEST(s.n == 5u);
    BOOST_TEST(s.mean == 3.0);
    BOOST_TEST(s.median == 3.0);
    // python3: statistics.stdev([1,2,3,4,5]) = 1.5811388300841898
    BOOST_TEST(s.stddev == 1.5811388300841898, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(s.cv == 1.5811388300841898 / 3, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(s.min == 1.0);
    BOOST_TEST(s.max == 5.0);
    // t(0.975, 4) = 2.7764451051977987 (tables: 2.776); half width = t * s / sqrt(5)
    const double half = 2.7764451051977987 * 1.5811388300841898 / std::sqrt(5.0);
    BOOST_TEST(*s.ci_low == 3 - half, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(*s.ci_high == 3 + half, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(even_count_median_and_a_single_value) {
    const std::vector<double> v{4, 1, 3, 2};
    BOOST_TEST(summarize(v).median == 2.5);
    const std::vector<double> one{7};
    const Summary s = summarize(one);
    BOOST_TEST(s.stddev == 0.0);
    BOOST_TEST(!s.ci_low.has_value());
}

BOOST_AUTO_TEST_CASE(welch_test_matches_r_on_the_sleep_data) {
    // R: t.test(extra ~ group, data = sleep) -> t = -1.8608, df = 17.776, p-value = 0.07939
    const std::vector<double> g1{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
    const std::vector<double> g2{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
    const auto w = welch_test(g1, g2);
    BOOST_REQUIRE(w);
    BOOST_TEST(w->t == -1.8608, boost::test_tools::tolerance(1e-4));
    BOOST_TEST(w->df == 17.776, boost::test_tools::tolerance(1e-4));
    BOOST_TEST(w->p == 0.07939, boost::test_tools::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(welch_test_edges) {
    const std::vector<double> one{1}, two{1, 2}, same{2, 2}, other{3, 3};
    BOOST_TEST(!welch_test(one, two).has_value());
    BOOST_TEST(welch_test(same, same)->p == 1.0);
    BOOST_TEST(welch_test(same, other)->p == 0.0);
}

BOOST_AUTO_TEST_CASE(interleaved_and_blocked_plans) {
    auto plan = plan_runs(2, 1, 2, Order::interleaved);
    BOOST_REQUIRE_EQUAL(plan.size(), 6u);
    const std::size_t configs[] = {0, 1, 0, 1, 0, 1};
    const bool counted[] = {false, false, true, true, true, true};
    for (std::size_t i = 0; i < 6; ++i) {
        BOOST_TEST(plan[i].configuration == configs[i]);
        BOOST_TEST(plan[i].counted == counted[i]);
    }
    plan = plan_runs(2, 1, 2, Order::blocked);
    const std::size_t blocked[] = {0, 0, 0, 1, 1, 1};
    for (std::size_t i = 0; i < 6; ++i) BOOST_TEST(plan[i].configuration == blocked[i]);
    BOOST_TEST(!plan[0].counted);
    BOOST_TEST(!plan[3].counted);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(evaluator_benchmarks)

BOOST_AUTO_TEST_CASE(hackbench_real_output) {
    const Benchmark& b = *find_benchmark("hackbench");
    const auto f = b.parse(run_real(b, values_of(b, {{"groups", 1}, {"loops", 20}})));
    BOOST_TEST(f.at("time_s") > 0);
    const auto t = b.parse(run_real(
        b, values_of(b, {{"groups", 1}, {"loops", 20}, {"mode", "thread"}, {"ipc", "pipe"}})));
    BOOST_TEST(t.at("time_s") > 0);
}

BOOST_AUTO_TEST_CASE(perf_bench_sched_real_output) {
    const Benchmark& b = *find_benchmark("perf-sched");
    const auto m = b.parse(run_real(b, values_of(b, {{"groups", 1}, {"loops", 20}})));
    BOOST_TEST(m.at("time_s") > 0);
    const auto p = b.parse(run_real(b, values_of(b, {{"test", "pipe"}, {"loops", 2000}})));
    BOOST_TEST(p.at("time_s") > 0);
    BOOST_TEST(p.at("ops_per_s") > 0);
    BOOST_TEST(p.at("usecs_per_op") > 0);
}

BOOST_AUTO_TEST_CASE(sysbench_real_output) {
    const Benchmark& b = *find_benchmark("sysbench");
    for (const char* test : {"cpu", "threads"}) {
        const auto f =
            b.parse(run_real(b, values_of(b, {{"test", test}, {"threads", 1}, {"seconds", 1}})));
        BOOST_TEST(f.at("events_per_s") > 0);
        BOOST_TEST(f.at("events_per_s") == f.at("events") / f.at("time_s"));
    }
}

BOOST_AUTO_TEST_CASE(stress_ng_real_output) {
    const Benchmark& b = *find_benchmark("stress-ng");
    const auto f =
        b.parse(run_real(b, values_of(b, {{"stressor", "cpu"}, {"workers", 1}, {"seconds", 1}})));
    BOOST_TEST(f.at("bogo_ops") > 0);
    BOOST_TEST(f.at("bogo_ops_per_s") > 0);
}

BOOST_AUTO_TEST_CASE(cyclictest_real_output) {
    const Benchmark& b = *find_benchmark("cyclictest");
    const auto f = b.parse(run_real(b, values_of(b, {{"seconds", 1}, {"interval_us", 1000}})));
    BOOST_TEST(f.at("samples") > 0);
    BOOST_TEST(f.at("avg_us") > 0);
    BOOST_TEST(f.at("p99_us") <= f.at("max_us"));
    BOOST_TEST(f.at("avg_us") <= f.at("max_us"));
}

BOOST_AUTO_TEST_CASE(parsers_refuse_output_without_their_figure) {
    for (const auto& b : benchmarks()) BOOST_CHECK_THROW(b.parse("nothing here\n"), std::exception);
}

BOOST_AUTO_TEST_CASE(parameters_are_bounded_and_typed) {
    const Benchmark& b = *find_benchmark("hackbench");
    BOOST_CHECK_THROW(values_of(b, {{"groups", 0}}), std::exception);
    BOOST_CHECK_THROW(values_of(b, {{"groups", "4; rm -rf /"}}), std::exception);
    BOOST_CHECK_THROW(values_of(b, {{"mode", "fork"}}), std::exception);
    BOOST_CHECK_THROW(values_of(b, {{"nope", 1}}), std::exception);
    BOOST_TEST(values_of(b, {{"groups", "8"}}).at("groups") == "8");
}

BOOST_AUTO_TEST_SUITE_END()
