#include <algorithm>

#include "absl/strings/str_format.h"
#include "planner/report/svg/charts.h"

namespace memwall {
namespace svg {

Canvas WaterfallChart(const Waterfall& c) {
  constexpr double kWidth = 760, kRow = 22;
  double label_w = TextWidth(c.total_label);
  for (const auto& [label, v] : c.steps)
    label_w = std::max(label_w, TextWidth(label));
  const double left = std::min(260.0, label_w + 16);
  const double rows = static_cast<double>(c.steps.size() + 1);
  const Frame f{left, 10, kWidth - 80, 10 + rows * kRow};
  Canvas canvas(kWidth, f.bottom + 48, c.title, c.desc);
  double total = 0;
  for (const auto& step : c.steps) total += std::max(0.0, step.second);
  const Scale x = Scale::Linear(0, NiceCeiling(total, 8), f.left, f.right);
  XAxis(canvas, x, f, c.x_label, 8);
  double run = 0;
  double row_y = f.top;
  for (size_t i = 0; i < c.steps.size(); ++i) {
    const auto& [label, raw] = c.steps[i];
    const double v = std::max(0.0, raw);
    const double x0 = x(run), x1 = x(run + v);
    canvas.Rect(x0, row_y + 3, std::max(x1 - x0, 0.0), kRow - 6, "step",
                SeriesColor(static_cast<int>(i) % 7),
                absl::StrFormat("%s: %.4g %s", label, v, c.unit));
    canvas.Text(f.left - 6, row_y + kRow - 7, label, "tick-label", "end");
    canvas.Text(x1 + 4, row_y + kRow - 7, absl::StrFormat("%.3g", v),
                "value-label");
    run += v;
    row_y += kRow;
  }
  canvas.Rect(x(0), row_y + 3, x(total) - x(0), kRow - 6, "total", "#555",
              absl::StrFormat("%s: %.4g %s", c.total_label, total, c.unit));
  canvas.Text(f.left - 6, row_y + kRow - 7, c.total_label, "tick-label", "end");
  canvas.Text(x(total) + 4, row_y + kRow - 7, absl::StrFormat("%.3g", total),
              "value-label");
  return canvas;
}

}  // namespace svg
}  // namespace memwall
