// memwall-run replay's report (`memwall report --runtime` on replay --json):
// per communication class, the measured time on the link against the
// runtime's prediction and the plan's own figure, and their ratio.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "planner/report/html/page.h"
#include "planner/report/html/pages.h"
#include "planner/report/svg/charts.h"

namespace memwall {
namespace html {
namespace {

// Microseconds as the text table prints them.
std::string Us(double seconds) {
  return absl::StrFormat("%.1f", seconds * 1e6);
}

std::vector<const ReplayClass*> Rows(const ReplayReport& r) {
  std::vector<const ReplayClass*> rows;
  for (const ReplayClass& c : r.classes()) rows.push_back(&c);
  rows.push_back(&r.total());
  return rows;
}

svg::Canvas TimeChart(const ReplayReport& r) {
  svg::Bars c;
  c.title = "Communication time per step by class (us, log scale)";
  c.x_label = "seconds on the link per step (us, log scale)";
  c.log_x = true;
  for (const ReplayClass* rc : Rows(r)) {
    c.items.push_back({absl::StrCat(rc->comm_class(), " measured"),
                       rc->measured_s() * 1e6, 3,
                       absl::StrCat(Us(rc->measured_s()), " us")});
    c.items.push_back({absl::StrCat(rc->comm_class(), " predicted"),
                       rc->predicted_s() * 1e6, 4,
                       absl::StrCat(Us(rc->predicted_s()), " us")});
  }
  c.desc = absl::StrFormat(
      "%d classes; in total %s us measured against %s us predicted per step.",
      r.classes_size(), Us(r.total().measured_s()),
      Us(r.total().predicted_s()));
  return svg::BarChart(c);
}

svg::Canvas RatioChart(const ReplayReport& r) {
  svg::Bars c;
  c.title = "Predicted / measured time per class (log scale)";
  c.x_label = "ratio (log scale; below 1: slower than predicted)";
  c.log_x = true;
  c.reference = 1.0;
  c.reference_label = "as predicted";
  for (const ReplayClass* rc : Rows(r)) {
    c.items.push_back({rc->comm_class(), rc->ratio(), rc->ratio() < 1 ? 4 : 2,
                       absl::StrFormat("%.3f", rc->ratio())});
  }
  if (r.has_expect_ratio()) {
    c.desc = absl::StrFormat("Runs below %.3g fail the replay (exit 3).",
                             r.expect_ratio());
  } else {
    c.desc = "The ratio of the runtime's prediction to the measured time.";
  }
  return svg::BarChart(c);
}

}  // namespace

std::string ReplayPage(const ReplayReport& r) {
  Page page(
      absl::StrFormat("memwall-run replay: %s on %d ranks", r.model(),
                      r.world_size()),
      absl::StrFormat(
          "%s candidate %d (%s), backend %s, %d steps, compute "
          "%s%s%s",
          r.plan(), r.candidate(), r.layout(), r.backend(), r.steps(),
          r.compute(),
          r.cluster().empty() ? ""
                              : absl::StrCat(", predicted for ", r.cluster()),
          r.sliced() ? absl::StrFormat(", one data-parallel replica of a "
                                       "%d-GPU plan",
                                       r.plan_gpus())
                     : ""));
  page.Heading("Time per class");
  page.Figure(TimeChart(r),
              "Measured (mean over ranks and steps) and predicted seconds on "
              "the link for one step's communication of each class.");
  page.Figure(RatioChart(r),
              "Predicted / measured: 1 is a perfect prediction; below 1 the "
              "communication ran slower than the runtime's model says.");
  Table t;
  t.id = "replay";
  t.header = {"class", "calls",     "bytes", "group", "measured",
              "max",   "predicted", "ratio", "plan",  "#wrong"};
  t.units = {"", "", "B", "size/stride", "us", "us", "us", "", "us", ""};
  for (const ReplayClass* rc : Rows(r)) {
    t.rows.push_back(
        {rc->comm_class(), absl::StrFormat("%.0f", rc->calls()),
         absl::StrFormat("%.0f", rc->bytes()),
         rc == &r.total()
             ? "-"
             : absl::StrCat(rc->group_size(), "/", rc->group_stride()),
         Us(rc->measured_s()), Us(rc->measured_max_s()), Us(rc->predicted_s()),
         absl::StrFormat("%.3f", rc->ratio()), Us(rc->plan_s()),
         absl::StrCat(rc->wrong())});
    t.row_classes.push_back(rc->wrong() > 0 ? "erratum" : "");
  }
  page.AddTable(t);
  page.Paragraph(absl::StrFormat(
      "step wall time %s us (communication%s), per step", Us(r.step_wall_s()),
      r.compute() == "sleep" ? " and compute sleeps" : " only"));
  page.Notes({r.notes().begin(), r.notes().end()});
  return page.Render();
}

}  // namespace html
}  // namespace memwall
