#include <algorithm>
#include <cmath>

#include "planner/report/svg/charts.h"

namespace memwall {
namespace svg {

Canvas TimelineChart(const Timeline& c) {
  constexpr double kWidth = 760;
  const double n = static_cast<double>(std::max<size_t>(1, c.rows.size()));
  // Rows shrink for deep pipelines so the chart stays under ~500 px.
  const double row = std::max(3.0, std::min(20.0, 480.0 / n));
  Canvas canvas(kWidth, 0, c.title, c.desc);
  std::vector<LegendEntry> legend;
  for (size_t k = 0; k < c.kinds.size(); ++k) {
    legend.push_back({c.kinds[k], SeriesColor(static_cast<int>(k))});
  }
  legend.push_back({"idle (bubble)", "", "idle-swatch"});
  const double top = Legend(canvas, 70, 16, kWidth - 10, legend) + 8;
  const Frame f{70, top, kWidth - 20, top + row * n};
  const Scale x = Scale::Linear(0, std::max(c.end, 1e-12), f.left, f.right);
  for (size_t r = 0; r < c.rows.size(); ++r) {
    const double y = f.top + row * static_cast<double>(r);
    canvas.Rect(f.left, y, f.width(), row - (row > 6 ? 1 : 0), "idle");
    if (row >= 10 || r % static_cast<size_t>(std::ceil(12 / row)) == 0) {
      canvas.Text(f.left - 6, y + std::min(row, 14.0) - 2, c.rows[r],
                  "tick-label", "end");
    }
  }
  for (const TimelineBlock& b : c.blocks) {
    const double y = f.top + row * b.row;
    const double x0 = x(b.start), w = x(b.start + b.duration) - x0;
    canvas.Rect(x0, y, std::max(w, 0.3), row - (row > 6 ? 1 : 0), "block",
                SeriesColor(b.kind), b.tip);
    if (!b.label.empty() && row >= 12 && w >= TextWidth(b.label) + 2) {
      canvas.Text(x0 + w / 2, y + row - 5, b.label, "block-label", "middle");
    }
  }
  XAxis(canvas, x, f, c.x_label, 8);
  canvas.SetHeight(f.bottom + 44);
  return canvas;
}

}  // namespace svg
}  // namespace memwall
