// The statistics an evaluation reports: per configuration the summary of its counted runs
// (mean, median, sample standard deviation, coefficient of variation, extremes and a 95%
// Student-t confidence interval of the mean), and Welch's unequal-variance t-test between
// a configuration and the baseline (two-sided; Boost.Math's Student t distribution).
#pragma once

#include <cstddef>
#include <optional>
#include <span>

namespace schedcp::plugins::evaluator {

struct Summary {
    std::size_t n = 0;
    double mean = 0;
    double median = 0;
    double stddev = 0;  // sample standard deviation (n - 1); 0 for one value
    double cv = 0;      // stddev / |mean|; 0 when the mean is 0
    double min = 0;
    double max = 0;
    // The 95% confidence interval of the mean, mean -+ t(0.975, n-1) * stddev / sqrt(n);
    // absent for fewer than two values.
    std::optional<double> ci_low;
    std::optional<double> ci_high;
};

// The summary of `values` (at least one; throws std::invalid_argument on none).
Summary summarize(std::span<const double> values);

struct WelchTest {
    double t = 0;   // (mean_a - mean_b) / sqrt(var_a/n_a + var_b/n_b)
    double df = 0;  // Welch-Satterthwaite degrees of freedom
    double p = 1;   // two-sided
};

// Welch's t-test of a against b; nullopt when either has fewer than two values. Two
// samples without any spread are equal (p = 1) or certainly different (p = 0).
std::optional<WelchTest> welch_test(std::span<const double> a, std::span<const double> b);

}  // namespace schedcp::plugins::evaluator
