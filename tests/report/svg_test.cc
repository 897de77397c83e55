// The chart layer's geometry: ticks, scales, bar heights proportional to
// their values, the capacity line at the capacity, waterfall steps end to
// end, and the pipeline timeline's bubble against Narayanan et al. 2021.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "planner/report/html/pipeline_timeline.h"
#include "planner/report/html/plan_page.h"
#include "planner/report/svg/charts.h"
#include "planner/report/svg/scale.h"

namespace memwall {
namespace svg {
namespace {

// True when `step` is 1, 2 or 5 times a power of ten.
bool IsNiceStep(double step) {
  const double mantissa = step / std::pow(10.0, std::floor(std::log10(step)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (std::abs(mantissa - m) < 1e-9) return true;
  }
  return false;
}

TEST(ScaleTest, NiceTicksAreMonotonicEvenAndInside) {
  const double ranges[][2] = {{0, 1},      {0, 80},   {0, 79.35}, {3, 7},
                              {-5, 17},    {0, 1e-3}, {0, 1.3e9}, {12.5, 12.7},
                              {0, 0.0172}, {1, 1e6}};
  for (const auto& r : ranges) {
    for (int max_count : {2, 5, 8, 12}) {
      const std::vector<double> t = NiceTicks(r[0], r[1], max_count);
      ASSERT_GE(t.size(), 1u) << r[0] << ".." << r[1];
      EXPECT_LE(static_cast<int>(t.size()), max_count + 1);
      for (size_t i = 0; i < t.size(); ++i) {
        const double eps = 1e-9 * std::max(1.0, std::abs(r[1]));
        EXPECT_GE(t[i], r[0] - eps);
        EXPECT_LE(t[i], r[1] + eps);
        if (i > 0) {
          EXPECT_GT(t[i], t[i - 1]);
          EXPECT_TRUE(IsNiceStep(t[i] - t[i - 1])) << t[i] - t[i - 1];
          EXPECT_NEAR(t[i] - t[i - 1], t[1] - t[0], 1e-9 * (t[1] - t[0]));
        }
      }
    }
  }
}

TEST(ScaleTest, NiceCeilingIsATickAtOrAboveTheMaximum) {
  for (double hi : {0.3, 1.0, 7.9, 79.35, 80.0, 123456.0}) {
    const double top = NiceCeiling(hi, 6);
    EXPECT_GE(top, hi);
    EXPECT_LT(top, hi * 2.6);  // a 1/2/5 step never overshoots by more
    EXPECT_NEAR(std::remainder(top, NiceStep(0, hi, 6)), 0, 1e-9 * top);
  }
}

TEST(ScaleTest, LogTicksArePowersAscending) {
  const std::vector<double> t = LogTicks(8, 1 << 30, 2, 8);
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t.front(), 8);
  EXPECT_LE(t.size(), 8u);
  for (size_t i = 1; i < t.size(); ++i) {
    EXPECT_GT(t[i], t[i - 1]);
    const double k = std::log2(t[i]);
    EXPECT_EQ(k, std::floor(k));
  }
  EXPECT_EQ(LogTicks(1, 1000, 10, 8), (std::vector<double>{1, 10, 100, 1000}));
}

TEST(ScaleTest, LinearAndLogMapEndpointsAndMiddle) {
  const Scale lin = Scale::Linear(0, 80, 300, 20);
  EXPECT_DOUBLE_EQ(lin(0), 300);
  EXPECT_DOUBLE_EQ(lin(80), 20);
  EXPECT_DOUBLE_EQ(lin(40), 160);
  const Scale log = Scale::Log(1, 1e6, 0, 600);
  EXPECT_NEAR(log(1e3), 300, 1e-9);
  EXPECT_NEAR(log(10), 100, 1e-9);
  EXPECT_EQ(log(0), 0);  // non-positive values sit on the axis
}

TEST(ScaleTest, FormatsBytesInPowersOfTwo) {
  EXPECT_EQ(FormatBytes(512), "512 B");
  EXPECT_EQ(FormatBytes(4096), "4 KiB");
  EXPECT_EQ(FormatBytes(1 << 30), "1 GiB");
}

StackedBars ThreeStages() {
  StackedBars c;
  c.title = "t";
  c.unit = "GiB";
  c.series = {"weights", "optimizer", "activations"};
  c.categories = {"0", "1", "2"};
  c.values = {{10, 20, 30}, {10, 20, 5}, {12.5, 0, 40}};
  c.capacity = 79.35;
  c.marked = 2;
  return c;
}

TEST(StackedBarsTest, HeightsAreProportionalToValues) {
  const StackedBars c = ThreeStages();
  const Canvas canvas = StackedBarChart(c);
  const auto segs = canvas.WithClass("seg");
  ASSERT_EQ(segs.size(), 8u);  // the zero segment is not drawn
  const double per_unit = segs[0]->h / 10;
  size_t k = 0;
  for (size_t i = 0; i < c.values.size(); ++i) {
    double bottom = -1;
    for (double v : c.values[i]) {
      if (v == 0) continue;
      EXPECT_NEAR(segs[k]->h, v * per_unit, 1e-9) << i << " " << v;
      // Segments of one bar stack without gaps.
      if (bottom >= 0) {
        EXPECT_NEAR(segs[k]->y + segs[k]->h, bottom, 1e-9);
      }
      bottom = segs[k]->y;
      ++k;
    }
  }
}

TEST(StackedBarsTest, CapacityLineSitsAtTheCapacity) {
  const StackedBars c = ThreeStages();
  const Canvas canvas = StackedBarChart(c);
  const auto segs = canvas.WithClass("seg");
  const double per_unit = segs[0]->h / 10;
  const double baseline = segs[0]->y + segs[0]->h;
  const auto lines = canvas.WithClass("capacity");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NEAR(lines[0]->y, baseline - 79.35 * per_unit, 1e-9);
  EXPECT_EQ(lines[0]->y, lines[0]->y2);
  // The tallest bar (52.5) stays inside the canvas, under the capacity.
  EXPECT_GT(segs.back()->y, lines[0]->y);
  EXPECT_EQ(canvas.WithClass("peak").size(), 1u);
}

TEST(WaterfallTest, StepsRunEndToEndAndTheTotalIsTheirSum) {
  Waterfall w;
  w.steps = {{"forward", 3}, {"backward", 6}, {"bubble", 1.5}};
  w.total_label = "step";
  const Canvas canvas = WaterfallChart(w);
  const auto steps = canvas.WithClass("step");
  ASSERT_EQ(steps.size(), 3u);
  const double per_s = steps[0]->w / 3;
  for (size_t i = 1; i < steps.size(); ++i) {
    EXPECT_NEAR(steps[i]->x, steps[i - 1]->x + steps[i - 1]->w, 1e-9);
    EXPECT_NEAR(steps[i]->w, w.steps[i].second * per_s, 1e-9);
  }
  const auto total = canvas.WithClass("total");
  ASSERT_EQ(total.size(), 1u);
  EXPECT_NEAR(total[0]->x, steps[0]->x, 1e-9);
  EXPECT_NEAR(total[0]->w, 10.5 * per_s, 1e-9);
}

TEST(BarsTest, LogBarsGrowWithTheirValue) {
  Bars b;
  b.log_x = true;
  b.items = {{"a", 10, 0, ""}, {"b", 1000, 0, ""}, {"c", 100000, 0, ""}};
  const Canvas canvas = BarChart(b);  // WithClass points into the canvas
  const auto bars = canvas.WithClass("bar");
  ASSERT_EQ(bars.size(), 3u);
  // Equal ratios are equal lengths on a log axis.
  EXPECT_NEAR(bars[1]->w - bars[0]->w, bars[2]->w - bars[1]->w, 1e-9);
}

TEST(ParetoTest, KeepsOnlyUnbeatenPoints) {
  const auto front = html::ParetoFront(
      {{60, 10}, {40, 12}, {40, 11}, {70, 9}, {50, 13}, {80, 9.5}});
  EXPECT_EQ(front, (std::vector<std::pair<double, double>>{
                       {40, 11}, {60, 10}, {70, 9}}));
}

Candidate PipelineCandidate(int64_t pp, int64_t vpp, int64_t m) {
  Candidate c;
  c.mutable_layout()->set_pp(pp);
  c.mutable_layout()->set_vpp(vpp);
  c.mutable_layout()->set_dp(1);
  c.mutable_layout()->set_micro_batch(1);
  // 1 s forward and 2 s backward per micro-batch on each stage.
  c.mutable_time()->set_forward_s(1.0 * m);
  c.mutable_time()->set_backward_s(2.0 * m);
  return c;
}

// Narayanan et al. 2021 Sec. 2.2: the 1F1B bubble is (p - 1)(tf + tb), and
// interleaving with v chunks divides it by v.
TEST(PipelineTimelineTest, BubbleMatchesTheScheduleFormula) {
  for (const auto& [v, m] : {std::pair<int64_t, int64_t>{1, 8},
                             {2, 8},
                             {4, 8},
                             {1, 4},
                             {2, 4},
                             {4, 12}}) {
    const int64_t p = 4;
    const html::PipelineTimeline t =
        html::BuildPipelineTimeline(PipelineCandidate(p, v, m), m);
    const double bubble = (p - 1) * 3.0 / v;
    EXPECT_NEAR(t.makespan_s, m * 3.0 + bubble, 1e-9)
        << "v=" << v << " m=" << m;
    EXPECT_NEAR(t.idle_s, bubble, 1e-9) << "v=" << v << " m=" << m;
    EXPECT_EQ(t.chart.blocks.size(), static_cast<size_t>(2 * m * v * p));
    // No stage runs two blocks at once.
    for (const TimelineBlock& a : t.chart.blocks) {
      for (const TimelineBlock& b : t.chart.blocks) {
        if (&a == &b || a.row != b.row) continue;
        EXPECT_TRUE(a.start + a.duration <= b.start + 1e-12 ||
                    b.start + b.duration <= a.start + 1e-12);
      }
    }
  }
}

// Exposed TP communication sits after each compute block and lengthens the
// schedule by its total: the bubble grows with the per-micro-batch time.
TEST(PipelineTimelineTest, ExposedCommunicationIsDrawn) {
  const int64_t p = 4, m = 8;
  Candidate c = PipelineCandidate(p, 1, m);
  c.mutable_time()->set_tp_comm_s(1.0 * m);  // 0.5 s per forward, per backward
  const html::PipelineTimeline t = html::BuildPipelineTimeline(c, m);
  int comm = 0;
  for (const TimelineBlock& b : t.chart.blocks) comm += b.kind == 4;
  EXPECT_EQ(comm, 2 * m * p);
  EXPECT_NEAR(t.makespan_s, (m + p - 1) * 4.0, 1e-9);
}

TEST(PipelineTimelineTest, DrawsAtMostTheCap) {
  const html::PipelineTimeline t =
      html::BuildPipelineTimeline(PipelineCandidate(4, 2, 512), 512, 64);
  EXPECT_EQ(t.micro_batches, 512);
  EXPECT_EQ(t.drawn_micro_batches, 64);
}

TEST(CanvasTest, RenderEscapesTextAndHasATextAlternative) {
  Canvas c(100, 50, "a <b> & c", "desc \"quoted\"");
  c.Text(1, 2, "x < y", "label");
  const std::string svg = c.Render("f1");
  EXPECT_NE(svg.find("<title id=\"f1-t\">a &lt;b&gt; &amp; c</title>"),
            std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"f1-d\">desc &quot;quoted&quot;</desc>"),
            std::string::npos);
  EXPECT_NE(svg.find(">x &lt; y</text>"), std::string::npos);
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
}

}  // namespace
}  // namespace svg
}  // namespace memwall
