#include "planner/report/svg/axis.h"

namespace memwall {
namespace svg {

const char* SeriesColor(int i) {
  static const char* const kColors[] = {"#E69F00", "#56B4E9", "#009E73",
                                        "#0072B2", "#D55E00", "#CC79A7",
                                        "#F0E442", "#999999"};
  return kColors[((i % 8) + 8) % 8];
}

void XAxis(Canvas& canvas, const Scale& scale, const Frame& frame,
           const std::string& label, int max_ticks, const TickFormat& format) {
  canvas.Line(frame.left, frame.bottom, frame.right, frame.bottom, "axis");
  for (double t : scale.Ticks(max_ticks)) {
    const double x = scale(t);
    canvas.Line(x, frame.top, x, frame.bottom, "grid");
    canvas.Line(x, frame.bottom, x, frame.bottom + 4, "tick-x");
    canvas.Text(x, frame.bottom + 16, format(t), "tick-label", "middle");
  }
  canvas.Text((frame.left + frame.right) / 2, frame.bottom + 34, label,
              "axis-label", "middle");
}

void YAxis(Canvas& canvas, const Scale& scale, const Frame& frame,
           const std::string& label, int max_ticks, const TickFormat& format) {
  canvas.Line(frame.left, frame.top, frame.left, frame.bottom, "axis");
  for (double t : scale.Ticks(max_ticks)) {
    const double y = scale(t);
    canvas.Line(frame.left, y, frame.right, y, "grid");
    canvas.Line(frame.left - 4, y, frame.left, y, "tick-y");
    canvas.Text(frame.left - 7, y + 4, format(t), "tick-label", "end");
  }
  canvas.Text(14, (frame.top + frame.bottom) / 2, label, "axis-label", "middle",
              true);
}

double Legend(Canvas& canvas, double x, double y, double max_x,
              const std::vector<LegendEntry>& entries) {
  const double x0 = x;
  for (const LegendEntry& e : entries) {
    const double w = 18 + TextWidth(e.label) + 16;
    if (x > x0 && x + w > max_x) {
      x = x0;
      y += 18;
    }
    if (e.cls == "swatch-line") {
      canvas.Rect(x, y - 6, 14, 3, "swatch-line", e.fill);
    } else if (e.cls == "swatch-dot") {
      canvas.Circle(x + 7, y - 4, 4, "swatch-dot", e.fill);
    } else {
      canvas.Rect(x, y - 10, 12, 12, e.cls, e.fill);
    }
    canvas.Text(x + 18, y, e.label, "legend");
    x += w;
  }
  return y + 14;
}

double TextWidth(const std::string& text) {
  // About 0.6 em per character for a sans-serif face at 12 px.
  return 7.0 * static_cast<double>(text.size());
}

}  // namespace svg
}  // namespace memwall
