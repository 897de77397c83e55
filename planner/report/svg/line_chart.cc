#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_format.h"
#include "planner/report/svg/charts.h"

namespace memwall {
namespace svg {
namespace {

// [lo, hi] widened to whole powers on a log axis, or to nice ticks.
std::pair<double, double> Domain(double lo, double hi, bool log, double base) {
  if (!(lo <= hi)) return {log ? 1 : 0, log ? base : 1};
  if (log) {
    lo = std::max(lo, 1e-300);
    hi = std::max(hi, lo);
    const double lb = std::log(base);
    lo = std::pow(base, std::floor(std::log(lo) / lb + 1e-9));
    hi = std::pow(base, std::ceil(std::log(hi) / lb - 1e-9));
    if (hi <= lo) hi = lo * base;
    return {lo, hi};
  }
  if (hi == lo) hi = lo + std::max(1.0, std::abs(lo) * 0.1);
  const double step = NiceStep(lo, hi, 6);
  return {std::floor(lo / step) * step, std::ceil(hi / step) * step};
}

}  // namespace

Canvas LineChartSvg(const LineChart& c) {
  constexpr double kWidth = 760, kHeight = 400;
  Canvas canvas(kWidth, kHeight, c.title, c.desc);
  std::vector<LegendEntry> legend;
  for (const Series& s : c.series) {
    legend.push_back(
        {s.name, SeriesColor(s.color), s.line ? "swatch-line" : "swatch-dot"});
  }
  if (c.band) legend.push_back({c.band->label, "", "band-swatch"});
  const double top = Legend(canvas, 70, 16, kWidth - 10, legend) + 8;
  const Frame f{70, top, kWidth - 20, kHeight - 50};

  double x0 = std::numeric_limits<double>::max(), x1 = -x0, y0 = x0, y1 = -x0;
  for (const Series& s : c.series) {
    for (const auto& [px, py] : s.points) {
      if (c.log_x && px <= 0) continue;
      if (c.log_y && py <= 0) continue;
      x0 = std::min(x0, px);
      x1 = std::max(x1, px);
      y0 = std::min(y0, py);
      y1 = std::max(y1, py);
    }
  }
  if (c.y_reference) {
    y0 = std::min(y0, *c.y_reference);
    y1 = std::max(y1, *c.y_reference);
  }
  const double xbase = c.x_bytes ? 2 : 10;
  const auto xd = c.x_domain.value_or(Domain(x0, x1, c.log_x, xbase));
  const auto yd = c.y_domain.value_or(Domain(y0, y1, c.log_y, 10));
  const Scale x = c.log_x
                      ? Scale::Log(xd.first, xd.second, f.left, f.right, xbase)
                      : Scale::Linear(xd.first, xd.second, f.left, f.right);
  const Scale y = c.log_y ? Scale::Log(yd.first, yd.second, f.bottom, f.top)
                          : Scale::Linear(yd.first, yd.second, f.bottom, f.top);
  XAxis(canvas, x, f, c.x_label, 8,
        c.x_bytes ? TickFormat(FormatBytes) : TickFormat(FormatNumber));
  YAxis(canvas, y, f, c.y_label, 6);
  const auto clamp_y = [&](double v) {
    return std::min(f.bottom, std::max(f.top, y(v)));
  };
  if (c.band) {
    std::vector<std::pair<double, double>> poly;
    for (const auto& [px, py] : c.band->lower)
      poly.emplace_back(x(px), clamp_y(py));
    for (auto it = c.band->upper.rbegin(); it != c.band->upper.rend(); ++it) {
      poly.emplace_back(x(it->first), clamp_y(it->second));
    }
    canvas.Polygon(poly, "band");
  }
  if (c.y_reference) {
    canvas.Line(f.left, y(*c.y_reference), f.right, y(*c.y_reference),
                "reference");
  }
  for (const Series& s : c.series) {
    const std::string color = SeriesColor(s.color);
    std::vector<std::pair<double, double>> pts;
    for (const auto& [px, py] : s.points) {
      if ((c.log_x && px <= 0) || (c.log_y && py <= 0)) continue;
      pts.emplace_back(x(px), y(py));
    }
    if (s.line && pts.size() > 1) {
      canvas.Polyline(pts, s.dashed ? "series dashed" : "series", color);
    }
    if (s.markers) {
      size_t i = 0;
      for (const auto& [px, py] : s.points) {
        if ((c.log_x && px <= 0) || (c.log_y && py <= 0)) {
          ++i;
          continue;
        }
        canvas.Circle(
            x(px), y(py), 3.5, "marker", color,
            i < s.tips.size()
                ? s.tips[i]
                : absl::StrFormat("%s: (%s, %s)", s.name, FormatNumber(px),
                                  FormatNumber(py)));
        ++i;
      }
    }
  }
  return canvas;
}

}  // namespace svg
}  // namespace memwall
