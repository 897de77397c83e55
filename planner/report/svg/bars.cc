#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"
#include "planner/report/svg/charts.h"

namespace memwall {
namespace svg {

Canvas BarChart(const Bars& c) {
  constexpr double kWidth = 760, kRow = 22;
  double label_w = 0, max_v = c.reference.value_or(0), min_pos = 0;
  for (const BarItem& b : c.items) {
    label_w = std::max(label_w, TextWidth(b.label));
    max_v = std::max(max_v, b.value);
    if (b.value > 0 && (min_pos == 0 || b.value < min_pos)) min_pos = b.value;
  }
  const double left = std::min(300.0, label_w + 16);
  const Frame f{
      left, 10, kWidth - 90,
      10 + kRow * static_cast<double>(std::max<size_t>(1, c.items.size()))};
  Canvas canvas(kWidth, f.bottom + 48 + (c.reference ? 16 : 0), c.title,
                c.desc);
  Scale x = Scale::Linear(0, NiceCeiling(max_v * 1.02, 8), f.left, f.right);
  if (c.log_x) {
    const double lo =
        std::pow(10.0, std::floor(std::log10(std::max(min_pos, 1e-300))));
    const double hi =
        std::pow(10.0, std::ceil(std::log10(std::max(max_v, lo * 10))));
    x = Scale::Log(lo, hi, f.left, f.right);
  }
  XAxis(canvas, x, f, c.x_label, 8);
  double y = f.top;
  // Labels longer than the margin are cut with an ellipsis; the hover text
  // and the page's table keep them whole.
  const size_t max_chars =
      static_cast<size_t>(std::max(4.0, (left - 16) / TextWidth("x")));
  for (const BarItem& b : c.items) {
    const double x1 = x(b.value);
    const std::string label = b.label.size() <= max_chars
                                  ? b.label
                                  : b.label.substr(0, max_chars - 3) + "...";
    canvas.Rect(f.left, y + 3, std::max(0.0, x1 - f.left), kRow - 6, "bar",
                SeriesColor(b.color),
                absl::StrFormat("%s: %s", b.label,
                                b.value_text.empty() ? FormatNumber(b.value)
                                                     : b.value_text));
    canvas.Text(f.left - 6, y + kRow - 7, label, "tick-label", "end");
    canvas.Text(std::max(x1, f.left) + 4, y + kRow - 7,
                b.value_text.empty() ? FormatNumber(b.value) : b.value_text,
                "value-label");
    y += kRow;
  }
  if (c.reference) {
    const double xr = x(*c.reference);
    canvas.Line(xr, f.top - 4, xr, f.bottom, "reference");
    canvas.Text(xr, f.bottom + 52, c.reference_label, "reference-label",
                "middle");
  }
  return canvas;
}

}  // namespace svg
}  // namespace memwall
