// The chart types of the HTML reports. Each takes plain data (values already
// in the unit its axis names) and returns a Canvas; nothing here knows about
// memwall's reports. Geometry is tested in tests/report/svg_test.cc.
#ifndef MEMWALL_PLANNER_REPORT_SVG_CHARTS_H_
#define MEMWALL_PLANNER_REPORT_SVG_CHARTS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "planner/report/svg/axis.h"
#include "planner/report/svg/canvas.h"

namespace memwall {
namespace svg {

// Vertical bars, one per category, each a stack of series (bottom first),
// against an optional horizontal capacity line; `marked` names the category
// flagged as the peak. Segments have class "seg", the line "capacity".
struct StackedBars {
  std::string title, desc, x_label, y_label, unit;
  std::vector<std::string> series;
  std::vector<std::string> categories;
  std::vector<std::vector<double>> values;  // [category][series], >= 0
  std::optional<double> capacity;
  std::string capacity_label;
  int marked = -1;
};
Canvas StackedBarChart(const StackedBars& chart);

// Horizontal bars that each start where the previous ended, then a total
// bar from zero (class "step", "total").
struct Waterfall {
  std::string title, desc, x_label, unit;
  std::vector<std::pair<std::string, double>> steps;
  std::string total_label;
};
Canvas WaterfallChart(const Waterfall& chart);

// Rows (pipeline stages) against time; blocks coloured by kind (class
// "block"); the row background that no block covers is idle time (class
// "idle").
struct TimelineBlock {
  int row = 0;
  double start = 0, duration = 0;
  int kind = 0;
  std::string label;  // short text drawn inside when it fits
  std::string tip;
};
struct Timeline {
  std::string title, desc, x_label;
  std::vector<std::string> rows;
  std::vector<std::string> kinds;  // legend, colour by index
  std::vector<TimelineBlock> blocks;
  double end = 0;
};
Canvas TimelineChart(const Timeline& chart);

// Points in groups drawn in group order (later on top), an optional step
// line through `front` (class "front") and an optional vertical limit line
// (class "limit").
struct ScatterPoint {
  double x = 0, y = 0;
  int group = 0;
  std::string tip;
};
struct Scatter {
  std::string title, desc, x_label, y_label;
  std::vector<std::string> groups;
  std::vector<std::string> group_colors;  // per group
  std::vector<ScatterPoint> points;
  std::vector<std::pair<double, double>> front;
  bool log_y = false;  // y on a log axis (whole powers of ten)
  std::optional<double> x_limit;
  std::string x_limit_label;
};
Canvas ScatterChart(const Scatter& chart);

// Horizontal bars (class "bar") from zero, optionally on a log axis, with an
// optional vertical reference line (class "reference").
struct BarItem {
  std::string label;
  double value = 0;
  int color = 0;
  std::string value_text;  // printed at the bar's end
};
struct Bars {
  std::string title, desc, x_label;
  std::vector<BarItem> items;
  bool log_x = false;
  std::optional<double> reference;
  std::string reference_label;
};
Canvas BarChart(const Bars& chart);

// Lines and/or markers on linear or log axes, with an optional shaded band
// between two curves (class "band") and an optional horizontal reference
// (class "reference").
struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;
  int color = 0;
  bool line = true, markers = true, dashed = false;
  std::vector<std::string> tips;  // per point, optional
};
struct Band {
  std::string label;
  std::vector<std::pair<double, double>> lower, upper;  // same x, ascending
};
struct LineChart {
  std::string title, desc, x_label, y_label;
  bool log_x = false, log_y = false;
  bool x_bytes = false;  // x ticks as byte sizes (powers of two)
  std::vector<Series> series;
  std::optional<Band> band;
  std::optional<double> y_reference;
  // Domains; unset = from the data (log axes to whole powers).
  std::optional<std::pair<double, double>> x_domain, y_domain;
};
Canvas LineChartSvg(const LineChart& chart);

}  // namespace svg
}  // namespace memwall

#endif  // MEMWALL_PLANNER_REPORT_SVG_CHARTS_H_
