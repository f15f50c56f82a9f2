// bench/support/stats: the figures every benchmark table prints.
#include <stdexcept>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "stats.hpp"

using namespace schedcp::bench;

BOOST_AUTO_TEST_SUITE(bench_stats)

BOOST_AUTO_TEST_CASE(percentiles_are_nearest_rank_samples) {
    std::vector<double> v;
    for (int i = 1; i <= 1000; ++i) v.push_back(i);
    BOOST_TEST(percentile(v, 0.50) == 500);
    BOOST_TEST(percentile(v, 0.99) == 990);
    BOOST_TEST(percentile(v, 0.999) == 999);
    BOOST_TEST(percentile(v, 1.0) == 1000);
    BOOST_TEST(percentile(v, 0.0) == 1);
    // Few samples: p99.9 of 10 is the largest, never a value between two samples.
    std::vector<double> ten{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    BOOST_TEST(percentile(ten, 0.999) == 10);
    BOOST_TEST(percentile(ten, 0.5) == 5);
    BOOST_TEST(percentile(std::vector<double>{42}, 0.99) == 42);
    BOOST_CHECK_THROW(percentile({}, 0.5), std::invalid_argument);
    BOOST_CHECK_THROW(percentile(ten, 1.5), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(median_takes_the_upper_middle_of_any_order) {
    BOOST_TEST(median({3, 1, 2}) == 2);
    BOOST_TEST(median({4, 1, 3, 2}) == 3);
    BOOST_CHECK_THROW(median({}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(summary_sorts_and_counts_per_second) {
    const LatencySummary s = summarize({30, 10, 20, 40}, 2.0);
    BOOST_TEST(s.count == 4u);
    BOOST_TEST(s.p50_us == 20);
    BOOST_TEST(s.p99_us == 40);
    BOOST_TEST(s.max_us == 40);
    BOOST_TEST(s.per_second == 2.0);
    BOOST_CHECK_THROW(summarize({}, 1.0), std::invalid_argument);
    BOOST_CHECK_THROW(summarize({1}, 0.0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(best_of_takes_each_figure_at_its_best) {
    const LatencySummary a{
        .count = 3, .p50_us = 10, .p99_us = 90, .p999_us = 99, .max_us = 200, .per_second = 100};
    const LatencySummary b{
        .count = 3, .p50_us = 12, .p99_us = 50, .p999_us = 120, .max_us = 150, .per_second = 300};
    const LatencySummary best = best_of({a, b});
    BOOST_TEST(best.p50_us == 10);
    BOOST_TEST(best.p99_us == 50);
    BOOST_TEST(best.p999_us == 99);
    BOOST_TEST(best.max_us == 150);
    BOOST_TEST(best.per_second == 300);
    BOOST_CHECK_THROW(best_of({}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
