// A self-contained SVG box plot of an evaluation report: one box per configuration (the
// quartiles, whiskers to min and max, every counted value as a dot), the baseline's box
// marked and its median drawn across the plot, the figure's axis labelled with its unit.
#pragma once

#include <string>

#include <boost/json/object.hpp>

namespace schedcp::plugins::evaluator {

std::string box_plot_svg(const boost::json::object& report);

}  // namespace schedcp::plugins::evaluator
