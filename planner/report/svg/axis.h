// Axes, legends and the colour palette shared by the charts. Colours are the
// Okabe-Ito set (Okabe and Ito, "Color Universal Design", 2008), which stays
// distinguishable under the common colour-vision deficiencies; charts also
// label series in a legend and in hover text, never by colour alone.
#ifndef MEMWALL_PLANNER_REPORT_SVG_AXIS_H_
#define MEMWALL_PLANNER_REPORT_SVG_AXIS_H_

#include <functional>
#include <string>
#include <vector>

#include "planner/report/svg/canvas.h"
#include "planner/report/svg/scale.h"

namespace memwall {
namespace svg {

// Series colour i (cycles after 8): orange, sky blue, bluish green, blue,
// vermillion, reddish purple, yellow, grey.
const char* SeriesColor(int i);

// The plot area in canvas pixels.
struct Frame {
  double left, top, right, bottom;
  double width() const { return right - left; }
  double height() const { return bottom - top; }
};

using TickFormat = std::function<std::string(double)>;

// Tick marks, labels and grid lines along the bottom (x) or left (y) edge,
// and the axis label (which names the unit) centred below / beside it.
void XAxis(Canvas& canvas, const Scale& scale, const Frame& frame,
           const std::string& label, int max_ticks,
           const TickFormat& format = FormatNumber);
void YAxis(Canvas& canvas, const Scale& scale, const Frame& frame,
           const std::string& label, int max_ticks,
           const TickFormat& format = FormatNumber);

struct LegendEntry {
  std::string label;
  std::string fill;
  std::string cls = "swatch";  // "swatch", "swatch-line", "swatch-dot"
};
// One row of swatches and labels from (x, y), wrapping at `max_x`; returns
// the y below the legend.
double Legend(Canvas& canvas, double x, double y, double max_x,
              const std::vector<LegendEntry>& entries);

// Rough width in pixels of `text` at the page's 12 px chart font, for
// laying out labels (no font metrics are available to the generator).
double TextWidth(const std::string& text);

}  // namespace svg
}  // namespace memwall

#endif  // MEMWALL_PLANNER_REPORT_SVG_AXIS_H_
