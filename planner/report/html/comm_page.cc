// `memwall comm` (predicted) and memwall-run's sweep (measured, with the
// prediction when the run named a cluster): bus bandwidth against message
// size on a log axis, and the measured / predicted ratio.
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/units.h"
#include "planner/report/html/page.h"
#include "planner/report/html/pages.h"
#include "planner/report/svg/charts.h"

namespace memwall {
namespace html {

std::string CommPage(const CommReport& r) {
  Page page(absl::StrFormat("memwall comm: %s on %s", r.op(), r.cluster()),
            absl::StrFormat("group of %d (stride %d) out of %d GPUs; %s model, "
                            "algorithm %s",
                            r.group_size(), r.group_stride(), r.gpus(),
                            r.model(), r.requested_algorithm()));
  svg::LineChart c;
  c.title =
      absl::StrFormat("Predicted bus bandwidth of %s against size", r.op());
  c.x_label = "message size (bytes, log scale)";
  c.y_label = "bus bandwidth (GB/s, log scale)";
  c.log_x = c.log_y = true;
  c.x_bytes = true;
  svg::Series busbw{"predicted busbw", {}, 3, true, true, false, {}};
  svg::Series algbw{"predicted algbw", {}, 0, true, false, true, {}};
  for (const CommRow& row : r.rows()) {
    busbw.points.emplace_back(static_cast<double>(row.bytes()),
                              ToGB(row.busbw_bytes_per_s()));
    busbw.tips.push_back(absl::StrFormat("%d B: busbw %s GB/s, %s", row.bytes(),
                                         FormatGBPerS(row.busbw_bytes_per_s()),
                                         row.algorithm()));
    algbw.points.emplace_back(static_cast<double>(row.bytes()),
                              ToGB(row.algbw_bytes_per_s()));
  }
  c.series = {busbw, algbw};
  c.desc =
      absl::StrFormat("%d sizes from %d to %d bytes.", r.rows_size(),
                      r.rows_size() ? r.rows(0).bytes() : 0,
                      r.rows_size() ? r.rows(r.rows_size() - 1).bytes() : 0);
  page.Heading("Bus bandwidth against size");
  page.Figure(svg::LineChartSvg(c),
              "Bus bandwidth normalises each collective to the ring's traffic "
              "(nccl-tests' busbw), so collectives compare on one scale.");
  Table t;
  t.id = "comm";
  t.header = {"size",      "time",  "algbw",     "busbw",
              "algorithm", "proto", "bottleneck"};
  t.units = {"B", "us", "GB/s", "GB/s", "", "", ""};
  for (const CommRow& row : r.rows()) {
    t.rows.push_back({absl::StrCat(row.bytes()),
                      absl::StrFormat("%.2f", row.time_s() * 1e6),
                      FormatGBPerS(row.algbw_bytes_per_s()),
                      FormatGBPerS(row.busbw_bytes_per_s()), row.algorithm(),
                      row.protocol(), row.bottleneck()});
  }
  page.AddTable(t);
  return page.Render();
}

std::string SweepPage(const SweepReport& r) {
  Page page(
      absl::StrFormat("memwall-run sweep: %s backend, %d ranks", r.backend(),
                      r.world_size()),
      absl::StrFormat(
          "groups of %d (stride %d), %d group(s); %d warm-up "
          "and %d timed iterations; %s%s",
          r.group_size(), r.group_stride(), r.num_groups(), r.warmup_iters(),
          r.iters(),
          r.cluster().empty() ? "no prediction"
                              : absl::StrCat("predicted for ", r.cluster()),
          r.wrong() > 0 ? absl::StrCat("; ", r.wrong(), " WRONG results")
                        : ""));
  std::map<std::string, std::vector<const CollectiveRow*>> by_op;
  std::vector<std::string> ops;
  for (const CollectiveRow& row : r.rows()) {
    if (by_op.find(row.op()) == by_op.end()) ops.push_back(row.op());
    by_op[row.op()].push_back(&row);
  }
  for (const std::string& op : ops) {
    const auto& rows = by_op[op];
    page.Heading(op);
    svg::LineChart c;
    c.title = absl::StrFormat("%s: bus bandwidth against size", op);
    c.x_label = "message size (bytes, log scale)";
    c.y_label = "bus bandwidth (GB/s, log scale)";
    c.log_x = c.log_y = true;
    c.x_bytes = true;
    svg::Series measured{
        "measured busbw (out of place)", {}, 3, true, true, false, {}};
    svg::Series predicted{"predicted busbw", {}, 4, true, false, true, {}};
    svg::LineChart ratio;
    ratio.title = absl::StrFormat("%s: measured / predicted bus bandwidth", op);
    ratio.x_label = c.x_label;
    ratio.y_label = "ratio (log scale)";
    ratio.log_x = ratio.log_y = true;
    ratio.x_bytes = true;
    ratio.y_reference = 1.0;
    svg::Series ratios{
        "measured busbw / predicted busbw", {}, 2, true, true, false, {}};
    for (const CollectiveRow* row : rows) {
      const double bytes = static_cast<double>(row->size_bytes());
      measured.points.emplace_back(
          bytes, ToGB(row->out_of_place().busbw_bytes_per_s()));
      if (row->has_predicted_busbw_bytes_per_s()) {
        predicted.points.emplace_back(bytes,
                                      ToGB(row->predicted_busbw_bytes_per_s()));
      }
      if (row->has_ratio()) ratios.points.emplace_back(bytes, row->ratio());
    }
    c.series = {measured};
    if (!predicted.points.empty()) c.series.push_back(predicted);
    c.desc = absl::StrFormat(
        "%d sizes; measured%s.", rows.size(),
        predicted.points.empty() ? ", no prediction" : " and predicted");
    page.Figure(svg::LineChartSvg(c),
                "Measured bus bandwidth (solid) and the "
                "planner's prediction (dashed).");
    if (!ratios.points.empty()) {
      ratio.series = {ratios};
      ratio.desc =
          "The measured out-of-place bus bandwidth divided by the "
          "predicted one, per size; 1 is a perfect prediction.";
      page.Figure(svg::LineChartSvg(ratio),
                  "Below 1 the interconnect delivers less than the plan "
                  "assumes.");
    }
    Table t;
    t.id = absl::StrCat("sweep-", op);
    t.header = {"size",  "count",  "type", "time",   "algbw",
                "busbw", "#wrong", "pred", "pbusbw", "ratio"};
    t.units = {"B", "elements", "", "us", "GB/s", "GB/s", "", "us", "GB/s", ""};
    for (const CollectiveRow* row : rows) {
      const CollectivePlaceResult& o = row->out_of_place();
      t.rows.push_back(
          {absl::StrCat(row->size_bytes()), absl::StrCat(row->count()),
           row->type(), FormatMicroseconds(o.time_s()),
           absl::StrFormat("%.3f", ToGB(o.algbw_bytes_per_s())),
           absl::StrFormat("%.3f", ToGB(o.busbw_bytes_per_s())),
           absl::StrCat(o.wrong()),
           row->has_predicted_time_s()
               ? FormatMicroseconds(row->predicted_time_s())
               : "-",
           row->has_predicted_busbw_bytes_per_s()
               ? absl::StrFormat("%.3f",
                                 ToGB(row->predicted_busbw_bytes_per_s()))
               : "-",
           row->has_ratio() ? absl::StrFormat("%.3g", row->ratio()) : "-"});
      t.row_classes.push_back(o.wrong() > 0 ? "erratum" : "");
    }
    page.AddTable(t);
  }
  page.Paragraph(
      absl::StrFormat("average bus bandwidth %.3f GB/s; %d wrong "
                      "results",
                      ToGB(r.avg_busbw_bytes_per_s()), r.wrong()));
  return page.Render();
}

}  // namespace html
}  // namespace memwall
