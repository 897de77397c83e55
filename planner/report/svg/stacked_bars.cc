#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "planner/report/svg/charts.h"

namespace memwall {
namespace svg {

Canvas StackedBarChart(const StackedBars& c) {
  constexpr double kWidth = 760;
  Canvas canvas(kWidth, 380, c.title, c.desc);
  std::vector<LegendEntry> legend;
  for (size_t s = 0; s < c.series.size(); ++s) {
    legend.push_back({c.series[s], SeriesColor(static_cast<int>(s))});
  }
  if (c.capacity)
    legend.push_back({c.capacity_label, "#D55E00", "swatch-line"});
  const double top = Legend(canvas, 70, 16, kWidth - 10, legend) + 8;
  const Frame f{70, top, kWidth - 20, 380 - 50};

  double max_total = c.capacity.value_or(0);
  for (const auto& row : c.values) {
    double total = 0;
    for (double v : row) total += std::max(0.0, v);
    max_total = std::max(max_total, total);
  }
  const Scale y =
      Scale::Linear(0, NiceCeiling(max_total * 1.02, 6), f.bottom, f.top);
  YAxis(canvas, y, f, c.y_label, 6);

  const size_t n = c.categories.size();
  const double slot = n > 0 ? f.width() / static_cast<double>(n) : f.width();
  const double bar = std::max(1.0, std::min(60.0, slot * 0.7));
  // Label every k-th category so labels do not overlap.
  size_t every = 1;
  double widest = 0;
  for (const std::string& s : c.categories)
    widest = std::max(widest, TextWidth(s));
  while (every < n && slot * static_cast<double>(every) < widest + 6)
    every *= 2;
  for (size_t i = 0; i < n; ++i) {
    const double x = f.left + slot * (static_cast<double>(i) + 0.5) - bar / 2;
    double base = 0;
    for (size_t s = 0; s < c.series.size() && s < c.values[i].size(); ++s) {
      const double v = std::max(0.0, c.values[i][s]);
      if (v > 0) {
        const double y0 = y(base), y1 = y(base + v);
        canvas.Rect(x, y1, bar, y0 - y1, "seg",
                    SeriesColor(static_cast<int>(s)),
                    absl::StrFormat("%s, %s: %.2f %s", c.categories[i],
                                    c.series[s], v, c.unit));
      }
      base += v;
    }
    // The last category is always labelled; a regular label too close to it
    // gives way.
    const bool last = i + 1 == n;
    if ((i % every == 0 && (last || n - 1 - i >= every)) || last ||
        static_cast<int>(i) == c.marked) {
      canvas.Text(x + bar / 2, f.bottom + 16, c.categories[i], "tick-label",
                  "middle");
    }
    if (static_cast<int>(i) == c.marked) {
      const double yt = y(base);
      canvas.Polygon({{x + bar / 2, yt - 3},
                      {x + bar / 2 - 6, yt - 13},
                      {x + bar / 2 + 6, yt - 13}},
                     "peak");
      canvas.Text(x + bar / 2, yt - 16, "peak", "peak-label", "middle");
    }
  }
  canvas.Text((f.left + f.right) / 2, f.bottom + 34, c.x_label, "axis-label",
              "middle");
  if (c.capacity) {
    const double yc = y(*c.capacity);
    canvas.Line(f.left, yc, f.right, yc, "capacity");
    canvas.Text(
        f.right, yc - 4,
        absl::StrFormat("%s %.2f %s", c.capacity_label, *c.capacity, c.unit),
        "capacity-label", "end");
  }
  return canvas;
}

}  // namespace svg
}  // namespace memwall
