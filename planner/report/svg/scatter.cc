#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_format.h"
#include "planner/report/svg/charts.h"

namespace memwall {
namespace svg {

Canvas ScatterChart(const Scatter& c) {
  constexpr double kWidth = 760, kHeight = 420;
  Canvas canvas(kWidth, kHeight, c.title, c.desc);
  std::vector<LegendEntry> legend;
  for (size_t g = 0; g < c.groups.size(); ++g) {
    legend.push_back({c.groups[g],
                      g < c.group_colors.size()
                          ? c.group_colors[g]
                          : SeriesColor(static_cast<int>(g)),
                      "swatch-dot"});
  }
  if (!c.front.empty())
    legend.push_back({"Pareto front", "#000", "swatch-line"});
  if (c.x_limit) legend.push_back({c.x_limit_label, "#D55E00", "swatch-line"});
  const double top = Legend(canvas, 70, 16, kWidth - 10, legend) + 8;
  const Frame f{70, top, kWidth - 20, kHeight - 50};
  double x0 = std::numeric_limits<double>::max(), x1 = 0;
  double y0 = std::numeric_limits<double>::max(), y1 = 0;
  for (const ScatterPoint& p : c.points) {
    x0 = std::min(x0, p.x);
    x1 = std::max(x1, p.x);
    y0 = std::min(y0, p.y);
    y1 = std::max(y1, p.y);
  }
  if (c.x_limit) x1 = std::max(x1, *c.x_limit);
  if (c.points.empty()) x0 = y0 = 0;
  const Scale x = Scale::Linear(0, NiceCeiling(x1 * 1.02, 8), f.left, f.right);
  Scale y = Scale::Linear(0, 1, f.bottom, f.top);
  if (c.log_y && y0 > 0) {
    y = Scale::Log(std::pow(10.0, std::floor(std::log10(y0))),
                   std::pow(10.0, std::ceil(std::log10(y1) + 1e-9)), f.bottom,
                   f.top);
  } else {
    const double pad = y1 > y0 ? (y1 - y0) * 0.05 : std::max(y1, 1.0) * 0.1;
    y = Scale::Linear(std::max(0.0, y0 - pad), y1 + pad, f.bottom, f.top);
  }
  XAxis(canvas, x, f, c.x_label, 8);
  YAxis(canvas, y, f, c.y_label, 6);
  for (size_t g = 0; g < std::max<size_t>(1, c.groups.size()); ++g) {
    const std::string color = g < c.group_colors.size()
                                  ? c.group_colors[g]
                                  : SeriesColor(static_cast<int>(g));
    for (const ScatterPoint& p : c.points) {
      if (p.group != static_cast<int>(g)) continue;
      canvas.Circle(x(p.x), y(p.y), g == 0 ? 2 : 4,
                    absl::StrFormat("point-%d", g), color, p.tip);
    }
  }
  if (!c.front.empty()) {
    std::vector<std::pair<double, double>> pts;
    for (size_t i = 0; i < c.front.size(); ++i) {
      if (i > 0)
        pts.emplace_back(x(c.front[i].first), y(c.front[i - 1].second));
      pts.emplace_back(x(c.front[i].first), y(c.front[i].second));
    }
    canvas.Polyline(pts, "front");
  }
  if (c.x_limit) {
    canvas.Line(x(*c.x_limit), f.top, x(*c.x_limit), f.bottom, "limit");
    canvas.Text(x(*c.x_limit) - 4, f.top + 12, c.x_limit_label, "limit-label",
                "end");
  }
  return canvas;
}

}  // namespace svg
}  // namespace memwall
