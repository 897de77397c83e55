#include "planner/report/html/plan_page.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/units.h"
#include "planner/report/html/memory_page.h"
#include "planner/report/html/pipeline_timeline.h"
#include "planner/report/plan_report.h"
#include "planner/report/svg/charts.h"

namespace memwall {
namespace html {

std::vector<std::pair<std::string, double>> StepTerms(const TimeBreakdown& t) {
  const std::vector<std::pair<std::string, double>> all = {
      {"forward", t.forward_s()},
      {"backward", t.backward_s()},
      {"recompute", t.recompute_s()},
      {"tp comm", t.tp_comm_s()},
      {"cp comm", t.cp_comm_s()},
      {"ep comm", t.ep_comm_s()},
      {"pp comm", t.pp_comm_s()},
      {"bubble", t.bubble_s()},
      {"dp exposed", t.dp_exposed_s()},
      {"zero3 exposed", t.zero3_exposed_s()},
      {"optimizer", t.optimizer_s()},
      {"offload", t.offload_s()},
      {"overlap slowdown", t.overlap_slowdown_s()}};
  std::vector<std::pair<std::string, double>> out;
  for (const auto& term : all) {
    if (term.second > 0) out.push_back(term);
  }
  return out;
}

svg::Canvas StepWaterfall(const Candidate& c) {
  svg::Waterfall w;
  w.title = absl::StrCat("Step time of layout ", LayoutSummary(c), " (s)");
  w.x_label = "seconds per training step";
  w.unit = "s";
  w.steps = StepTerms(c.time());
  w.total_label = "step time";
  std::string desc = absl::StrFormat("Step %.3f s =", c.step_time_s());
  for (const auto& [name, v] : w.steps) {
    absl::StrAppendFormat(&desc, " %s %.3f", name, v);
  }
  w.desc = desc;
  return svg::WaterfallChart(w);
}

std::vector<std::pair<double, double>> ParetoFront(
    const std::vector<std::pair<double, double>>& points) {
  std::vector<std::pair<double, double>> sorted = points;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::pair<double, double>> front;
  double best = std::numeric_limits<double>::infinity();
  for (const auto& p : sorted) {
    if (p.second < best) {
      // Equal memory: the faster point replaces the slower one.
      if (!front.empty() && front.back().first == p.first) front.pop_back();
      front.push_back(p);
      best = p.second;
    }
  }
  return front;
}

Table CandidateTable(const PlanReport& r) {
  Table t;
  t.id = "candidates";
  t.caption = "Fastest layouts that fit (rank 1 is drawn below)";
  t.header = {"rank", "layout",   "step",     "mfu",
              "hfu",  "tokens/s", "peak mem", "days"};
  t.units = {"", "", "s", "%", "%", "", "GiB", ""};
  t.text_columns = {1};
  for (const Candidate& c : r.candidates()) {
    t.rows.push_back(
        {absl::StrCat(c.rank()), LayoutSummary(c),
         absl::StrFormat("%.3f", c.step_time_s()),
         absl::StrFormat("%.1f", 100 * c.mfu()),
         absl::StrFormat("%.1f", 100 * c.time().hfu()),
         absl::StrFormat("%.0f", c.time().tokens_per_s()),
         absl::StrFormat("%.2f",
                         ToGiB(static_cast<double>(c.memory().peak_bytes()))),
         c.days_to_train() > 0 ? absl::StrFormat("%.1f", c.days_to_train())
                               : std::string("-")});
  }
  return t;
}

namespace {

svg::Canvas Landscape(const PlanReport& r) {
  svg::Scatter s;
  s.title = "Search landscape: step time against peak memory per GPU";
  s.x_label = "peak memory per GPU (GiB)";
  s.y_label = "step time (s, log scale)";
  s.log_y = true;
  s.groups = {
      absl::StrFormat("sampled fitted layouts (%d of %d)",
                      r.search().landscape_size(), r.search().feasible()),
      "on the Pareto front", absl::StrFormat("top %d", r.candidates_size())};
  s.group_colors = {"#56B4E9", "#000000", "#E69F00"};
  std::vector<std::pair<double, double>> mt;
  for (const LandscapePoint& p : r.search().landscape()) {
    mt.emplace_back(ToGiB(static_cast<double>(p.peak_bytes())),
                    p.step_time_s());
  }
  for (const Candidate& c : r.candidates()) {
    mt.emplace_back(ToGiB(static_cast<double>(c.memory().peak_bytes())),
                    c.step_time_s());
  }
  const auto front = ParetoFront(mt);
  for (const LandscapePoint& p : r.search().landscape()) {
    s.points.push_back(
        {ToGiB(static_cast<double>(p.peak_bytes())), p.step_time_s(), 0,
         absl::StrFormat("%s: %.3f s, %.2f GiB", p.layout(), p.step_time_s(),
                         ToGiB(static_cast<double>(p.peak_bytes())))});
  }
  for (const auto& f : front) {
    s.points.push_back(
        {f.first, f.second, 1,
         absl::StrFormat("Pareto front: %.3f s, %.2f GiB", f.second, f.first)});
  }
  for (const Candidate& c : r.candidates()) {
    const double gib = ToGiB(static_cast<double>(c.memory().peak_bytes()));
    s.points.push_back(
        {gib, c.step_time_s(), 2,
         absl::StrFormat("rank %d, %s: %.3f s, %.2f GiB", c.rank(),
                         LayoutSummary(c), c.step_time_s(), gib)});
  }
  s.front = front;
  if (r.candidates_size() > 0 &&
      r.candidates(0).memory().capacity_bytes() > 0) {
    s.x_limit =
        ToGiB(static_cast<double>(r.candidates(0).memory().capacity_bytes()));
    s.x_limit_label = "capacity";
  }
  s.desc = absl::StrFormat(
      "%d sampled fitted layouts and the top %d; %d layouts on the Pareto "
      "front (no other layout is both faster and smaller).",
      r.search().landscape_size(), r.candidates_size(), front.size());
  return svg::ScatterChart(s);
}

svg::Canvas Rejections(const PlanReport& r) {
  svg::Bars b;
  b.title = "Layouts by outcome (log scale)";
  b.x_label = "layouts (count, log scale)";
  b.log_x = true;
  b.items.push_back({"fit in memory",
                     static_cast<double>(r.search().feasible()), 2,
                     absl::StrCat(r.search().feasible())});
  int color = 4;
  for (const RejectionCount& rc : r.search().rejected()) {
    b.items.push_back({rc.reason(), static_cast<double>(rc.count()), color,
                       absl::StrCat(rc.count())});
    color = color == 4 ? 5 : 4;
  }
  std::string desc = absl::StrFormat("%d layouts fit", r.search().feasible());
  for (const RejectionCount& rc : r.search().rejected()) {
    absl::StrAppendFormat(&desc, "; %d rejected: %s", rc.count(), rc.reason());
  }
  b.desc = desc;
  return svg::BarChart(b);
}

}  // namespace

std::string PlanPage(const PlanReport& r) {
  Page page(
      absl::StrFormat("memwall plan: %s on %d GPUs of %s", r.model(), r.gpus(),
                      r.cluster()),
      absl::StrFormat("global batch %d, sequence %d",
                      r.training().global_batch(), r.training().seq_len()));
  if (!r.notes().empty()) page.List({r.notes().begin(), r.notes().end()});
  if (r.candidates_size() > 0) {
    page.Heading("Layouts");
    page.AddTable(CandidateTable(r));
    const Candidate& best = r.candidates(0);
    page.Heading("Where the best layout's step goes");
    page.Figure(StepWaterfall(best),
                "Each bar starts where the previous one ends; together they "
                "are the step time (the grey total).");
    Table terms;
    terms.id = "step-terms";
    terms.header = {"term", "seconds"};
    for (const auto& [name, v] : StepTerms(best.time())) {
      terms.rows.push_back({name, absl::StrFormat("%.3f", v)});
    }
    terms.rows.push_back(
        {"step time", absl::StrFormat("%.3f", best.step_time_s())});
    terms.row_classes.resize(terms.rows.size());
    terms.row_classes.back() = "mark";
    page.AddTable(terms);
    const PipelineTimeline timeline =
        BuildPipelineTimeline(best, r.training().global_batch());
    if (best.layout().pp() > 1) {
      page.Heading("Pipeline schedule of the best layout");
      page.Figure(
          svg::TimelineChart(timeline.chart),
          absl::StrFormat(
              "Blocks are placed in the schedule's order as soon as the stage "
              "is free and the input from the neighbouring stage has arrived; "
              "the grey background is idle time. Drawn length %.3f s%s; the "
              "model's step is %.3f s with a bubble of %.3f s.",
              timeline.makespan_s,
              timeline.drawn_micro_batches < timeline.micro_batches
                  ? absl::StrFormat(
                        " for a step of %d micro-batches instead of the "
                        "step's %d (to keep the page small: the steady state "
                        "repeats, and with even blocks the bubble does not "
                        "depend on the number of micro-batches)",
                        timeline.drawn_micro_batches, timeline.micro_batches)
                  : "",
              best.step_time_s(), best.time().bubble_s()));
    }
    page.Heading("Memory of the best layout");
    page.Figure(MemoryChart(best.memory(), {"GiB", static_cast<double>(kGiB)}),
                "What one GPU of each stage holds at its peak, against the "
                "usable capacity.");
    page.AddTable(
        StageTable(best.memory(), {"GiB", static_cast<double>(kGiB)}));
  }
  page.Heading("Search");
  const SearchStats& s = r.search();
  page.Paragraph(absl::StrFormat(
      "%d layouts in the space, %d evaluated, %d fit; %.3f s on %d thread(s).",
      s.space_size(), s.evaluated(), s.feasible(), s.seconds(), s.threads()));
  if (s.landscape_size() > 0) {
    page.Figure(Landscape(r),
                "Each dot is a layout that fits; lower is faster, left is "
                "smaller. The step line is the Pareto front; the top layouts "
                "are orange.");
  } else if (s.feasible() > 1) {
    page.Paragraph(
        "This report holds no landscape sample (a plan saved without "
        "--landscape=N).");
  }
  page.Figure(Rejections(r),
              "How many layouts fit, and why the others were "
              "rejected.");
  Table rej;
  rej.id = "rejections";
  rej.header = {"outcome", "layouts"};
  rej.text_columns = {0};
  rej.rows.push_back({"fit in memory", absl::StrCat(s.feasible())});
  for (const RejectionCount& rc : s.rejected()) {
    rej.rows.push_back({rc.reason(), absl::StrCat(rc.count())});
  }
  page.AddTable(rej);
  return page.Render();
}

}  // namespace html
}  // namespace memwall
