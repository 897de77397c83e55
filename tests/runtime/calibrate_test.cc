// Calibration arithmetic: the weighted fit recovers a known line and reports
// its error; the written cluster keeps the base's GPU, replaces the measured
// levels, and reads back through the planner's validation.
#include "runtime/calibrate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/textproto.h"
#include "common/zoo.h"
#include "planner/comm/network_model.h"

namespace memwall::runtime {
namespace {

using ::testing::HasSubstr;

ClusterSpec Base() {
  ClusterSpec base;
  EXPECT_TRUE(LoadTextSpec(ClusterTextZoo(), "dgx-h100", &base).ok());
  return base;
}

std::vector<SizeTime> Line(double alpha, double beta) {
  std::vector<SizeTime> points;
  for (double s = 8; s <= 16e6; s *= 4) points.push_back({s, alpha + s / beta});
  return points;
}

TEST(FitAlphaBetaTest, RecoversAnExactLine) {
  // 2 ms and 300 Mbit/s of TCP goodput (37.5e6 x 1448/1514 B/s).
  const double beta = 300e6 / 8 * 1448 / 1514;
  const AlphaBeta fit = FitAlphaBeta(Line(2e-3, beta)).value();
  EXPECT_NEAR(fit.latency_s, 2e-3, 1e-12);
  EXPECT_NEAR(fit.bandwidth_bytes_per_s / beta, 1.0, 1e-9);
  EXPECT_LT(fit.max_relative_error, 1e-9);
}

// A token bucket lets the small sizes through at line rate: the slope comes
// from the sizes that take long enough; the regime's own line is exact, and its
// intercept (50 us) is above the small sizes' latency, so it is the latency.
TEST(FitAlphaBetaTest, BandwidthAndLatencyFromTheLargeSizes) {
  std::vector<SizeTime> points = Line(50e-6, 20e6);
  for (SizeTime& p : points) {
    if (p.bytes > 0 && p.bytes < 128 * 1024) p.time_s = 50e-6 + p.bytes / 1e9;
  }
  const AlphaBeta fit = FitAlphaBeta(points).value();
  EXPECT_NEAR(fit.bandwidth_bytes_per_s / 20e6, 1.0, 1e-9);
  EXPECT_NEAR(fit.latency_s, 50e-6, 1e-12);
  // The latency-bound sizes are 8, 32 and 128 B (50 us + S / 1e9); their
  // time beyond S / 20e6 has its median at 32 B.
  EXPECT_NEAR(fit.small_latency_s, 50e-6 - 32 * (1 / 20e6 - 1 / 1e9), 1e-12);
  EXPECT_EQ(fit.regime_bytes, 131072);
  EXPECT_LT(fit.max_relative_error, 1e-9);
}

// Rendezvous: small messages go eagerly in 3 us, large ones pay a 15 us
// handshake first. The latency is the one large messages pay.
TEST(FitAlphaBetaTest, RendezvousLatencyComesFromTheRegime) {
  std::vector<SizeTime> points = Line(15e-6, 4e9);
  for (SizeTime& p : points) {
    if (p.bytes <= 4096) p.time_s = 3e-6 + p.bytes / 4e9;
  }
  const AlphaBeta fit = FitAlphaBeta(points).value();
  EXPECT_NEAR(fit.latency_s, 15e-6, 1e-12);
  EXPECT_NEAR(fit.bandwidth_bytes_per_s / 4e9, 1.0, 1e-9);
  EXPECT_NEAR(fit.small_latency_s, 3e-6, 1e-12);
  EXPECT_LT(fit.max_relative_error, 1e-9);
}

// The bucket's burst also speeds the regime's first size: the regime's line
// then crosses zero below the small sizes' latency, which is taken instead,
// and the slope refitted for it.
TEST(FitAlphaBetaTest, LatencyNeverBelowTheSmallSizes) {
  std::vector<SizeTime> points = Line(50e-6, 20e6);
  for (SizeTime& p : points) {
    if (p.bytes <= 131072) p.time_s = 50e-6 + p.bytes / 60e6;
  }
  const AlphaBeta fit = FitAlphaBeta(points).value();
  // The small sizes' time beyond S / beta: 50 us less 32 B x (1/beta -
  // 1/60e6) at the median size, 32 B: under 1 us for any beta above 20e6.
  EXPECT_NEAR(fit.latency_s, 50e-6, 1e-6);
  EXPECT_LT(fit.latency_s, 50e-6);
  EXPECT_EQ(fit.small_latency_s, fit.latency_s);
  EXPECT_GT(fit.bandwidth_bytes_per_s, 20e6);
  EXPECT_LT(fit.bandwidth_bytes_per_s, 60e6);
}

// One disturbed measurement of the smallest size (a scheduler hiccup) moves
// neither the latency nor the regime.
TEST(FitAlphaBetaTest, OneSlowSmallestSizeDoesNotMoveTheFit) {
  std::vector<SizeTime> points = Line(5e-6, 2e9);
  points[0].time_s = 700e-6;
  const AlphaBeta fit = FitAlphaBeta(points).value();
  EXPECT_NEAR(fit.bandwidth_bytes_per_s / 2e9, 1.0, 1e-9);
  EXPECT_NEAR(fit.latency_s, 5e-6, 1e-12);
  // 5 us floor: the regime starts at the first size of the upper half (from
  // 11.3 KB, the geometric middle of 8 B and 8 MiB) taking 20 us: 32 KiB
  // (21.4 us).
  EXPECT_EQ(fit.regime_bytes, 32768);
  EXPECT_LT(fit.max_relative_error, 1e-9);
}

// Copies that fit in a cache run faster than those that do not: no line
// follows both, and the relative fit splits the miss between them rather than
// following the largest sizes.
TEST(FitAlphaBetaTest, TwoSlopesSplitTheRelativeMiss) {
  std::vector<SizeTime> points;
  for (double s = 8; s <= 16e6; s *= 4)
    points.push_back({s, 5e-6 + s / (s < 1e6 ? 2.5e9 : 1.5e9)});
  const AlphaBeta fit = FitAlphaBeta(points).value();
  EXPECT_GT(fit.bandwidth_bytes_per_s, 1.5e9);
  EXPECT_LT(fit.bandwidth_bytes_per_s, 2.5e9);
  // Following the large sizes (1.5 GB/s) would miss 128 KiB by
  // (5 + 87.4) / (5 + 52.4) - 1 = 61%; the relative fit misses every size of
  // its regime by less.
  EXPECT_LT(fit.max_relative_error, 0.61);
  const auto miss = [&](double s, double t) {
    return (fit.latency_s + s / fit.bandwidth_bytes_per_s) / t - 1;
  };
  EXPECT_GT(miss(131072, 5e-6 + 131072 / 2.5e9), 0);    // predicted slower
  EXPECT_LT(miss(8388608, 5e-6 + 8388608 / 1.5e9), 0);  // predicted faster
}

// Two sizes, no latency-bound one: the relative line through both, its
// intercept at least 0. Here the intercept is negative, so the latency is 0
// and the slope minimizes sum (g s / t - 1)^2: g = sum (s/t) / sum (s/t)^2
// with s/t = 1.1111e9 and 1e9 B/s, g = 2.1111e9 / 2.2346e18 s/B.
TEST(FitAlphaBetaTest, NegativeInterceptFallsBackToTheOrigin) {
  const AlphaBeta fit = FitAlphaBeta({{1e6, 0.9e-3}, {2e6, 2e-3}}).value();
  const double x1 = 1e6 / 0.9e-3, x2 = 2e6 / 2e-3;
  EXPECT_NEAR(fit.bandwidth_bytes_per_s, (x1 * x1 + x2 * x2) / (x1 + x2), 1e-3);
  EXPECT_NEAR(fit.bandwidth_bytes_per_s, 1.0585e9, 1e6);
  EXPECT_EQ(fit.latency_s, 0);
}

TEST(FitAlphaBetaTest, UnusableInputs) {
  EXPECT_THAT(std::string(FitAlphaBeta({{8, 1e-6}}).status().message()),
              HasSubstr("two distinct sizes"));
  EXPECT_THAT(
      std::string(FitAlphaBeta({{8, 1e-6}, {16, 0}}).status().message()),
      HasSubstr("not usable"));
  EXPECT_THAT(
      std::string(FitAlphaBeta({{8, 1e-3}, {1e6, 1e-6}}).status().message()),
      HasSubstr("no positive bandwidth"));
}

TEST(CalibratedClusterTextTest, KeepsTheGpuAndReplacesMeasuredLevels) {
  const ClusterSpec base = Base();
  Calibration c;
  c.name = "lab";
  c.when = "2026-01-01T00:00Z";
  c.backend = "mpi";
  c.nodes = 2;
  c.ranks_per_node = 2;
  c.ranks_per_nic = 2;
  c.levels.push_back({0, {1.5e-6, 3e9, 65536, 0.02}, "ring inside the node"});
  c.levels.push_back({1, {2e-3, 35.9e6, 1 << 20, 0.04}, "rings across nodes"});
  const std::string text = CalibratedClusterText(base, c).value();
  EXPECT_THAT(text,
              HasSubstr("# measured 2026-01-01T00:00Z: rings across "
                        "nodes; the fit is within 4.0% of every size from"));
  ClusterSpec got;
  ASSERT_TRUE(MergeTextProto(text, "calibrated", &got).ok());
  EXPECT_EQ(got.name(), "lab");
  EXPECT_EQ(got.gpu().name(), base.gpu().name());
  EXPECT_EQ(got.gpu().peak_flops_bf16(), base.gpu().peak_flops_bf16());
  EXPECT_EQ(got.gpus_per_node(), 2);
  EXPECT_EQ(got.nics_per_node(), 1);
  EXPECT_EQ(got.efficiency().network(), 1.0);
  ASSERT_EQ(got.levels_size(), 2);
  EXPECT_EQ(got.levels(0).kind(), SHARED_MEMORY);
  EXPECT_EQ(got.levels(0).domain_size(), 2);
  EXPECT_DOUBLE_EQ(got.levels(0).bandwidth_bytes_per_s(), 3e9);
  EXPECT_DOUBLE_EQ(got.levels(1).latency_s(), 2e-3);
  EXPECT_DOUBLE_EQ(got.levels(1).bandwidth_bytes_per_s(), 35.9e6);
  EXPECT_FALSE(got.levels(0).in_network_reduction());
  EXPECT_THAT(got.levels(1).source(), HasSubstr("rings across nodes"));
  // What the planner builds from it.
  const NetworkModel net = BuildNetworkModel(got).value();
  EXPECT_DOUBLE_EQ(net.levels[1].bandwidth_bytes_per_s, 35.9e6);
  EXPECT_EQ(net.gpus_per_nic, 2);
}

TEST(CalibratedClusterTextTest, UnmeasuredLevelsComeFromTheBase) {
  const ClusterSpec base = Base();
  Calibration c;
  c.name = "one-node";
  c.when = "now";
  c.backend = "mpi";
  c.ranks_per_node = 4;
  c.levels.push_back({0, {1e-6, 5e9, 65536, 0.1}, "ring"});
  const std::string text = CalibratedClusterText(base, c).value();
  EXPECT_THAT(text, HasSubstr("# not measured: from dgx-h100"));
  ClusterSpec got;
  ASSERT_TRUE(MergeTextProto(text, "calibrated", &got).ok());
  ASSERT_EQ(got.levels_size(), 2);
  EXPECT_DOUBLE_EQ(got.levels(1).bandwidth_bytes_per_s(),
                   base.levels(1).bandwidth_bytes_per_s());
  EXPECT_EQ(got.levels(1).source(), base.levels(1).source());
}

}  // namespace
}  // namespace memwall::runtime
