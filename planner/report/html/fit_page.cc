// `memwall fit`: why a layout does not fit (each memory term of its peak
// stage against the capacity) and what would make it fit.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/units.h"
#include "planner/report/html/memory_page.h"
#include "planner/report/html/page.h"
#include "planner/report/html/pages.h"
#include "planner/report/plan_report.h"
#include "planner/report/svg/charts.h"

namespace memwall {
namespace html {
namespace {

double Gib(int64_t bytes) { return ToGiB(static_cast<double>(bytes)); }

svg::Canvas WhyNot(const FitReport& r) {
  const MemoryReport& m = r.best().memory();
  const StageMemory& s = m.stages(static_cast<int>(m.peak_stage()));
  svg::Bars b;
  b.title = absl::StrFormat("Memory of the peak stage (%d) against capacity",
                            m.peak_stage());
  b.x_label = "GiB per GPU";
  const std::pair<const char*, int64_t> terms[] = {
      {"weights", s.weights_bytes()},
      {"gradients", s.gradients_bytes()},
      {"optimizer", s.optimizer_bytes()},
      {"activations", s.activations_bytes()},
      {"other", s.other_bytes()},
      {"total", s.total_bytes()}};
  int color = 0;
  for (const auto& [name, bytes] : terms) {
    b.items.push_back({name, Gib(bytes),
                       std::string(name) == "total" ? 7 : color++,
                       FormatGiB(static_cast<double>(bytes))});
  }
  b.reference = Gib(r.capacity_bytes());
  b.reference_label = absl::StrCat(
      "capacity ", FormatGiB(static_cast<double>(r.capacity_bytes())));
  b.desc = absl::StrFormat("Peak stage total %s against a capacity of %s: %s.",
                           FormatGiB(static_cast<double>(s.total_bytes())),
                           FormatGiB(static_cast<double>(r.capacity_bytes())),
                           r.fits() ? "fits" : "does not fit");
  return svg::BarChart(b);
}

svg::Canvas Changes(const FitReport& r) {
  svg::Bars b;
  b.title = "Peak memory after each change";
  b.x_label = "peak GiB per GPU";
  for (const FitChange& c : r.changes()) {
    b.items.push_back({c.change(), Gib(c.peak_bytes()), 2,
                       FormatGiB(static_cast<double>(c.peak_bytes()))});
  }
  b.reference = Gib(r.capacity_bytes());
  b.reference_label = absl::StrCat(
      "capacity ", FormatGiB(static_cast<double>(r.capacity_bytes())));
  b.desc = absl::StrFormat("%d changes, each of which fits under the capacity.",
                           r.changes_size());
  return svg::BarChart(b);
}

}  // namespace

std::string FitPage(const FitReport& r, const std::string& text) {
  Page page(absl::StrFormat("memwall fit: %s on %s", r.model(), r.cluster()),
            r.fits() ? absl::StrFormat("fits on %d GPUs", r.min_gpus())
                     : std::string("does not fit"));
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "  ")) break;  // the changes follow, as a table
    lines.emplace_back(absl::StripPrefix(line, "# "));
  }
  page.List(lines);
  if (r.has_best() && r.best().memory().stages_size() > 0) {
    page.Heading("Why it fits or not");
    page.Figure(WhyNot(r),
                "Each memory term of the peak stage; the dashed "
                "line is the usable capacity of one GPU.");
    page.Figure(
        MemoryChart(r.best().memory(), {"GiB", static_cast<double>(kGiB)}),
        "Memory per stage of the layout.");
    page.AddTable(
        StageTable(r.best().memory(), {"GiB", static_cast<double>(kGiB)}));
  }
  if (r.changes_size() > 0) {
    page.Heading("Changes that fit");
    page.Figure(Changes(r), "Peak memory per GPU after each change.");
    Table t;
    t.id = "changes";
    t.header = {"change", "peak"};
    t.text_columns = {0};
    for (const FitChange& c : r.changes()) {
      t.rows.push_back(
          {c.change(), FormatGiB(static_cast<double>(c.peak_bytes()))});
    }
    page.AddTable(t);
  }
  page.Notes({r.notes().begin(), r.notes().end()});
  return page.Render();
}

}  // namespace html
}  // namespace memwall
