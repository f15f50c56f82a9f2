#include "svg_plot.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace schedcp::plugins::evaluator {

namespace bj = boost::json;

namespace {

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string label_num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

// The p-th quantile of sorted values, linearly interpolated (R's type 7).
double quantile(const std::vector<double>& v, double p) {
    const double h = (static_cast<double>(v.size()) - 1) * p;
    const auto lo = static_cast<std::size_t>(h);
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

std::string box_plot_svg(const bj::object& report) {
    const auto& configs = report.at("configurations").as_array();
    const auto& w = report.at("workload").as_object();
    std::vector<std::vector<double>> values;
    double lo = 0, hi = 0;
    bool any = false;
    for (const auto& c : configs) {
        std::vector<double> v;
        for (const auto& x : c.at("values").as_array()) v.push_back(x.to_number<double>());
        std::sort(v.begin(), v.end());
        if (!v.empty()) {
            lo = any ? std::min(lo, v.front()) : v.front();
            hi = any ? std::max(hi, v.back()) : v.back();
            any = true;
        }
        values.push_back(std::move(v));
    }
    if (!any) hi = 1;
    const double pad = (hi - lo) * 0.1 + (hi == lo ? std::max(std::abs(hi) * 0.1, 1e-9) : 0);
    lo -= pad;
    hi += pad;
    const double left = 80, top = 40, plot_h = 300, slot = 120;
    const double width = left + slot * static_cast<double>(configs.size()) + 20,
                 height = top + plot_h + 70;
    auto y = [&](double v) { return top + plot_h - (v - lo) / (hi - lo) * plot_h; };

    std::string unit(w.at("unit").as_string());
    std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) +
                    "\" height=\"" + num(height) +
                    "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    s += "<title>" + escape(std::string(w.at("description").as_string())) + "</title>\n";
    s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    s += "<text x=\"" + num(left) + "\" y=\"20\" font-size=\"14\">" +
         escape(std::string(w.at("figure").as_string())) +
         (unit.empty() ? "" : " (" + escape(unit) + ")") + ", " +
         escape(std::string(w.at("better").as_string())) + " is better</text>\n";
    s += "<line x1=\"" + num(left) + "\" y1=\"" + num(top) + "\" x2=\"" + num(left) + "\" y2=\"" +
         num(top + plot_h) + "\" stroke=\"black\"/>\n";
    for (int i = 0; i <= 4; ++i) {
        const double v = lo + (hi - lo) * i / 4;
        s += "<text x=\"" + num(left - 6) + "\" y=\"" + num(y(v) + 4) + "\" text-anchor=\"end\">" +
             label_num(v) + "</text>\n";
        s += "<line x1=\"" + num(left) + "\" y1=\"" + num(y(v)) + "\" x2=\"" + num(width - 20) +
             "\" y2=\"" + num(y(v)) + "\" stroke=\"#eee\"/>\n";
    }
    for (std::size_t i = 0; i < configs.size(); ++i) {
        const auto& c = configs[i].as_object();
        const bool baseline = c.at("baseline").as_bool();
        const double cx = left + slot * (static_cast<double>(i) + 0.5);
        const std::string color = baseline ? "#d62728" : "#1f77b4";
        std::string label = std::string(c.at("label").as_string());
        s += "<text x=\"" + num(cx) + "\" y=\"" + num(top + plot_h + 20) +
             "\" text-anchor=\"middle\">" + escape(label) + "</text>\n";
        s += "<text x=\"" + num(cx) + "\" y=\"" + num(top + plot_h + 36) +
             "\" text-anchor=\"middle\" fill=\"#555\">" +
             (baseline ? std::string("baseline, ") : std::string()) +
             "n = " + std::to_string(values[i].size()) + "</text>\n";
        const auto& v = values[i];
        if (v.empty()) continue;
        const double q1 = quantile(v, 0.25), med = quantile(v, 0.5), q3 = quantile(v, 0.75);
        s += "<line class=\"whisker\" x1=\"" + num(cx) + "\" y1=\"" + num(y(v.front())) +
             "\" x2=\"" + num(cx) + "\" y2=\"" + num(y(v.back())) + "\" stroke=\"" + color +
             "\"/>\n";
        s += "<rect class=\"box\" x=\"" + num(cx - 25) + "\" y=\"" + num(y(q3)) +
             "\" width=\"50\" height=\"" + num(std::max(1.0, y(q1) - y(q3))) + "\" fill=\"" +
             color + "\" fill-opacity=\"0.25\" stroke=\"" + color + "\"" +
             (baseline ? " stroke-width=\"3\"" : "") + "/>\n";
        s += "<line class=\"median\" x1=\"" + num(cx - 25) + "\" y1=\"" + num(y(med)) + "\" x2=\"" +
             num(cx + 25) + "\" y2=\"" + num(y(med)) + "\" stroke=\"" + color +
             "\" stroke-width=\"2\"/>\n";
        if (baseline)
            s += "<line class=\"baseline\" x1=\"" + num(left) + "\" y1=\"" + num(y(med)) +
                 "\" x2=\"" + num(width - 20) + "\" y2=\"" + num(y(med)) +
                 "\" stroke=\"#d62728\" stroke-dasharray=\"4 3\"/>\n";
        for (double x : v)
            s += "<circle class=\"value\" cx=\"" + num(cx) + "\" cy=\"" + num(y(x)) +
                 "\" r=\"3\" fill=\"" + color + "\"><title>" + label_num(x) + "</title></circle>\n";
    }
    s += "</svg>\n";
    return s;
}

}  // namespace schedcp::plugins::evaluator
