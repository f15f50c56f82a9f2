// Statistics of a monitored series. Every average is weighted: a rate over an interval
// counts for the interval's length, a level read at a sample for the time around it, so
// a short interval (the stop sample, a late timer) weighs what it lasted, not one full
// sample.
#pragma once

#include <vector>

#include <boost/json/object.hpp>

namespace schedcp::plugins::monitor {

struct WeightedValue {
    double value = 0;
    double weight = 0;  // seconds, or the count the value is a mean over
};

// {"avg": weighted mean, "max", "p95": the smallest value with at least 95% of the weight
// at or below it, "min"}, rounded to 0.01; {"available": false, "reason"} when empty or
// all weights are zero.
boost::json::object series_stats(std::vector<WeightedValue> values);

// Equal weights: nearest-rank p95 and the plain mean.
boost::json::object series_stats(const std::vector<double>& values);

// The weight of each level sample: half of the interval on either side (the trapezoid
// rule), so the mean is the level's mean over time. One sample weighs 1.
std::vector<double> level_weights(const std::vector<double>& times);

}  // namespace schedcp::plugins::monitor
