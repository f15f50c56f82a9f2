#include "statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include <boost/math/distributions/students_t.hpp>

namespace schedcp::plugins::evaluator {

namespace {

double mean_of(std::span<const double> v) {
    return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// Sample variance (n - 1 in the denominator), two-pass for accuracy.
double variance_of(std::span<const double> v, double mean) {
    if (v.size() < 2) return 0;
    double sum = 0;
    for (double x : v) sum += (x - mean) * (x - mean);
    return sum / static_cast<double>(v.size() - 1);
}

}  // namespace

Summary summarize(std::span<const double> values) {
    if (values.empty()) throw std::invalid_argument("summarize: no values");
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    Summary s;
    s.n = sorted.size();
    s.mean = mean_of(sorted);
    const std::size_t mid = s.n / 2;
    s.median = s.n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    s.stddev = std::sqrt(variance_of(sorted, s.mean));
    s.cv = s.mean != 0 ? s.stddev / std::abs(s.mean) : 0;
    s.min = sorted.front();
    s.max = sorted.back();
    if (s.n >= 2) {
        const boost::math::students_t dist(static_cast<double>(s.n - 1));
        const double half =
            boost::math::quantile(dist, 0.975) * s.stddev / std::sqrt(static_cast<double>(s.n));
        s.ci_low = s.mean - half;
        s.ci_high = s.mean + half;
    }
    return s;
}

std::optional<WelchTest> welch_test(std::span<const double> a, std::span<const double> b) {
    if (a.size() < 2 || b.size() < 2) return std::nullopt;
    const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
    const double ma = mean_of(a), mb = mean_of(b);
    const double qa = variance_of(a, ma) / na, qb = variance_of(b, mb) / nb;
    WelchTest w;
    if (qa + qb == 0) {
        w.t = ma == mb ? 0 : std::copysign(INFINITY, ma - mb);
        w.df = na + nb - 2;
        w.p = ma == mb ? 1 : 0;
        return w;
    }
    w.t = (ma - mb) / std::sqrt(qa + qb);
    w.df = (qa + qb) * (qa + qb) / (qa * qa / (na - 1) + qb * qb / (nb - 1));
    const boost::math::students_t dist(w.df);
    w.p = 2 * boost::math::cdf(boost::math::complement(dist, std::abs(w.t)));
    return w;
}

}  // namespace schedcp::plugins::evaluator
