#include "series.hpp"

#include <algorithm>
#include <cmath>

namespace schedcp::plugins::monitor {

namespace bj = boost::json;

namespace {
double round2(double v) {
    return std::round(v * 100.0) / 100.0;
}
}  // namespace

bj::object series_stats(std::vector<WeightedValue> v) {
    double total = 0, sum = 0;
    for (const auto& x : v) {
        total += x.weight;
        sum += x.value * x.weight;
    }
    if (v.empty() || total <= 0)
        return bj::object{{"available", false}, {"reason", "fewer than two samples"}};
    std::sort(v.begin(), v.end(),
              [](const WeightedValue& a, const WeightedValue& b) { return a.value < b.value; });
    // The relative slack keeps equal weights at exactly the nearest rank despite rounding.
    const double target = 0.95 * total * (1 - 1e-9);
    double seen = 0, p95 = v.back().value;
    for (const auto& x : v) {
        seen += x.weight;
        if (seen >= target) {
            p95 = x.value;
            break;
        }
    }
    return bj::object{{"avg", round2(sum / total)},
                      {"max", round2(v.back().value)},
                      {"p95", round2(p95)},
                      {"min", round2(v.front().value)}};
}

bj::object series_stats(const std::vector<double>& values) {
    std::vector<WeightedValue> v;
    v.reserve(values.size());
    for (double x : values) v.push_back({x, 1.0});
    return series_stats(std::move(v));
}

std::vector<double> level_weights(const std::vector<double>& t) {
    std::vector<double> w(t.size(), 0.0);
    if (t.size() == 1) w[0] = 1.0;
    for (std::size_t i = 1; i < t.size(); ++i) {
        const double half = std::max(0.0, t[i] - t[i - 1]) / 2;
        w[i - 1] += half;
        w[i] += half;
    }
    return w;
}

}  // namespace schedcp::plugins::monitor
