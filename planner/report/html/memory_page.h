// The `memwall memory` page: per-stage stacked bars of one rank's memory
// (weights, gradients, optimizer, activations, other) against the GPU's
// capacity with the peak stage marked, and the per-stage table with the same
// numbers as the text table, and with --layers the saved activations per
// layer. The chart and table are reused by the plan and
// fit pages.
#ifndef MEMWALL_PLANNER_REPORT_HTML_MEMORY_PAGE_H_
#define MEMWALL_PLANNER_REPORT_HTML_MEMORY_PAGE_H_

#include <string>

#include "planner/report/html/page.h"
#include "planner/report/svg/canvas.h"
#include "proto/memory.pb.h"

namespace memwall {
namespace html {

// The unit a report prints memory in ("GiB", 2^30).
struct ByteUnit {
  std::string name;
  double bytes;
};

svg::Canvas MemoryChart(const MemoryReport& report, const ByteUnit& unit);
// Columns: stage (peak marked "*"), layers, params, weights, grads,
// optimizer, activations, other, total, in-flight.
Table StageTable(const MemoryReport& report, const ByteUnit& unit);

// With --layers: every part's saved activations for one micro-batch (MiB),
// as a bar chart and a table with the text output's columns (part, bytes,
// MiB).
svg::Canvas LayerActivationChart(const MemoryReport& report);
Table LayerActivationTable(const MemoryReport& report);

// `header` is the text table's opening lines (model, layout, training).
std::string MemoryPage(const MemoryReport& report, const ByteUnit& unit,
                       const std::string& header);

}  // namespace html
}  // namespace memwall

#endif  // MEMWALL_PLANNER_REPORT_HTML_MEMORY_PAGE_H_
