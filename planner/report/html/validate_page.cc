// `memwall validate`: predicted against published step time per published
// run, with the +-10% band.
#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "planner/report/html/page.h"
#include "planner/report/html/pages.h"
#include "planner/report/svg/charts.h"
#include "planner/timing/compute_efficiency.h"
#include "planner/validation/evaluate_run.h"

namespace memwall {
namespace html {

std::string ValidatePage(const ValidationReport& r) {
  Page page(r.cluster().empty()
                ? std::string("memwall validate")
                : absl::StrCat("memwall validate on ", r.cluster()),
            absl::StrFormat("%d published runs; mean |error| %.1f%%, max "
                            "|error| %.1f%%",
                            r.cases_size(), 100 * r.mean_abs_error(),
                            100 * r.max_abs_error()));
  svg::LineChart c;
  c.title = "Predicted against published step time";
  c.x_label = "published step time (s, log scale)";
  c.y_label = "predicted step time (s)";
  c.log_x = c.log_y = true;
  svg::Series cases{"published runs", {}, 4, false, true, false, {}};
  double lo = 1e300, hi = 0;
  for (const ValidationCase& v : r.cases()) {
    cases.points.emplace_back(v.published_step_time_s(),
                              v.predicted_step_time_s());
    cases.tips.push_back(absl::StrFormat(
        "%s: published %.3f s, predicted %.3f s (%+.1f%%)", v.name(),
        v.published_step_time_s(), v.predicted_step_time_s(), 100 * v.error()));
    lo = std::min({lo, v.published_step_time_s(), v.predicted_step_time_s()});
    hi = std::max({hi, v.published_step_time_s(), v.predicted_step_time_s()});
  }
  if (hi > 0) {
    // A little beyond the data, so the band is wide enough to see.
    const double a = lo / 1.5;
    const double b = hi * 1.5;
    c.x_domain = c.y_domain = std::make_pair(a, b);
    svg::Series ideal{
        "predicted = published", {{a, a}, {b, b}}, 7, true, false, true, {}};
    svg::Band band;
    band.label = "within +-10%";
    // Straight on log-log axes: two points per edge suffice.
    band.lower = {{a, 0.9 * a}, {b, 0.9 * b}};
    band.upper = {{a, 1.1 * a}, {b, 1.1 * b}};
    c.band = band;
    c.series = {ideal, cases};
  }
  int inside = 0;
  for (const ValidationCase& v : r.cases())
    inside += std::abs(v.error()) <= 0.1;
  c.desc = absl::StrFormat("%d of %d runs predicted within 10%%.", inside,
                           r.cases_size());
  page.Figure(svg::LineChartSvg(c),
              "Each dot is a published run; inside the shaded band the "
              "prediction is within 10% of the published step time.");
  Table t;
  t.id = "cases";
  t.header = {"run",      "gpus",      "layout", "stack", "prec",
              "measured", "predicted", "error",  "mfu",   "fits"};
  t.units = {"", "", "", "", "", "s", "s", "%", "%", ""};
  t.text_columns = {0, 2, 3, 4, 9};
  for (const ValidationCase& v : r.cases()) {
    t.rows.push_back(
        {v.name(), absl::StrCat(v.gpus()), ValidationLayoutText(v.layout()),
         StackName(v.stack()),
         v.dtype() == FP8 ? "fp8" : (v.dtype() == FP16 ? "fp16" : "bf16"),
         absl::StrFormat("%.3f", v.published_step_time_s()),
         absl::StrFormat("%.3f", v.predicted_step_time_s()),
         absl::StrFormat("%+.1f", 100 * v.error()),
         absl::StrFormat("%.1f", 100 * v.time().mfu()),
         v.fits() ? "yes" : (v.fit_exception().empty() ? "NO" : "no*")});
    t.row_classes.push_back(std::abs(v.error()) > 0.1 ? "erratum" : "");
  }
  page.AddTable(t);
  Table sources;
  sources.id = "sources";
  sources.header = {"case", "source"};
  sources.text_columns = {0, 1};
  for (const ValidationCase& v : r.cases()) {
    sources.rows.push_back({v.name(), v.source()});
  }
  page.AddTable(sources);
  return page.Render();
}

}  // namespace html
}  // namespace memwall
