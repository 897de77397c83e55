// The published runs of validation/: each row agrees with its source's own
// arithmetic, and the step-time model holds them within the documented
// bounds (docs/validation.md), one efficiency set per GPU generation and
// stack.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "planner/timing/transformer_shape.h"
#include "planner/validation/evaluate_run.h"
#include "planner/validation/measured.h"
#include "planner/validation/runs.h"

namespace memwall {
namespace {

const std::vector<LoadedRun>& AllRuns() {
  static const auto* runs = new std::vector<LoadedRun>(LoadRuns("").value());
  return *runs;
}

// Rows that print their source's MFU: the MFU recomputed from the measured
// throughput with the source's own FLOP formula and peak matches it (llm-
// foundry: (6N + 12 l h s) per token; checked to 1% of itself). This holds the
// data to its source, independently of the step-time model.
TEST(PublishedRunsTest, SourceMfuFollowsFromMeasuredThroughput) {
  int checked = 0;
  for (const LoadedRun& r : AllRuns()) {
    const Measured& m = r.run.measured();
    if (m.mfu() <= 0 || m.peak_flops_per_gpu() <= 0) continue;
    // Llama 3's table rounds both columns; LlamaTable4 checks it below.
    if (r.source_key == "llama3-2024-table4") continue;
    const TransformerShape shape =
        ShapeFromModel(r.model, r.run.training().seq_len()).value();
    const double step = MeasuredStepTime(r.run, shape);
    const double mfu = SourceFlopsPerStep(r.run, shape) /
                       (step * r.run.gpus() * m.peak_flops_per_gpu());
    EXPECT_NEAR(mfu, m.mfu(), 0.01 * m.mfu()) << r.run.name();
    ++checked;
  }
  EXPECT_EQ(checked, 201);
}

// Narayanan 2021 Table 1: 137 TFLOP/s on 32 GPUs for the 1.7B model is
// 96*512*2048*24*2304^2*(1 + 2048/13824 + 51200/884736) / (32*137e12) = 3.528 s
// per step (computed by hand).
TEST(PublishedRunsTest, NarayananStepTimeFromTflops) {
  for (const LoadedRun& r : AllRuns()) {
    if (r.run.name() != "narayanan-1.7b") continue;
    const TransformerShape shape = ShapeFromModel(r.model, 2048).value();
    EXPECT_NEAR(MeasuredStepTime(r.run, shape), 3.528, 0.001);
    return;
  }
  FAIL() << "narayanan-1.7b not found";
}

// Smith et al. 2022 Sec. 2.4 (MT-NLG 530B) gives 126, 121 and 113 TFLOP/s per
// GPU at 280, 350 and 420 nodes; the rows hold the iteration times (60.1,
// 50.2, 44.4 s). Narayanan's recompute formula, 96 B s l h^2 (1 + s/6h +
// V/16lh), over the rows' own shape, batch and GPU count turns one into the
// other to within 0.5% (125.7, 120.4 and 113.5 computed by hand).
TEST(PublishedRunsTest, MtNlgTflopsFollowFromIterationTimes) {
  const std::map<std::string, double> tflops = {{"mt-nlg-530b-n280", 126},
                                                {"mt-nlg-530b-n350", 121},
                                                {"mt-nlg-530b-n420", 113}};
  int checked = 0;
  for (const LoadedRun& r : AllRuns()) {
    auto it = tflops.find(r.run.name());
    if (it == tflops.end()) continue;
    const TransformerSpec& t = r.model.transformer();
    const double b = static_cast<double>(r.run.training().global_batch());
    const double s = static_cast<double>(r.run.training().seq_len());
    const double l = static_cast<double>(t.num_layers());
    const double h = static_cast<double>(t.hidden_size());
    const double v = static_cast<double>(t.vocab_size());
    const double flops =
        96 * b * s * l * h * h * (1 + s / (6 * h) + v / (16 * l * h));
    const double got =
        flops / (r.run.measured().step_time_s() * r.run.gpus()) / 1e12;
    EXPECT_NEAR(got, it->second, 0.005 * it->second) << r.run.name();
    ++checked;
  }
  EXPECT_EQ(checked, 3);
}

// Llama Team 2024 (arXiv 2407.21783) Table 4, by hand: the GPU count is
// TP x CP x PP x DP, every row's tokens per batch is 16M = 2^24, the global
// batch over DP is the table's batch size per DP (32, 16, 16), the table's
// MFU is its TFLOP/s over the 989 TFLOP/s BF16 peak to within a point (both
// columns are rounded: 400/989 = 40.4% is printed 41%), and the PaLM MFU
// formula the paper cites, (6 N + 12 l h s) per token with N = 405e9, turns
// the TFLOP/s into seconds per step: (2.43e12 + 12*126*16384*8192) * 2^24 /
// (8192 * 430e12) = 12.540 s, the same over (16384 * 400e12) = 6.740 s, and
// (2.43e12 + 12*126*16384*131072) * 2^24 / (16384 * 380e12) = 15.298 s.
TEST(PublishedRunsTest, LlamaTable4FollowsFromItsColumns) {
  const std::map<std::string, std::vector<double>> table = {
      // tp, cp, pp, dp, batch per DP, TFLOP/s, MFU, seconds (by hand)
      {"llama3-405b-g8192-s8k", {8, 1, 16, 64, 32, 430, 0.43, 12.540}},
      {"llama3-405b-g16384-s8k", {8, 1, 16, 128, 16, 400, 0.41, 6.740}},
      {"llama3-405b-g16384-s128k", {8, 16, 16, 8, 16, 380, 0.38, 15.298}}};
  int checked = 0;
  for (const LoadedRun& r : AllRuns()) {
    auto it = table.find(r.run.name());
    if (it == table.end()) continue;
    const std::vector<double>& c = it->second;
    const Layout& l = r.run.layout();
    EXPECT_EQ(l.tp(), c[0]) << r.run.name();
    EXPECT_EQ(l.cp(), c[1]) << r.run.name();
    EXPECT_EQ(l.pp(), c[2]) << r.run.name();
    EXPECT_EQ(l.dp(), c[3]) << r.run.name();
    EXPECT_EQ(r.run.gpus(), l.tp() * l.cp() * l.pp() * l.dp());
    EXPECT_EQ(r.run.training().global_batch() / l.dp(), c[4]);
    EXPECT_EQ(r.run.training().global_batch() * r.run.training().seq_len(),
              int64_t{1} << 24);
    const Measured& m = r.run.measured();
    EXPECT_EQ(m.tflops_per_gpu(), c[5]);
    EXPECT_EQ(m.mfu(), c[6]);
    EXPECT_NEAR(m.tflops_per_gpu() * 1e12 / m.peak_flops_per_gpu(), m.mfu(),
                0.01);
    EXPECT_FALSE(m.causal_halved());
    const TransformerShape shape =
        ShapeFromModel(r.model, r.run.training().seq_len()).value();
    EXPECT_NEAR(MeasuredStepTime(r.run, shape), c[7], 0.001) << r.run.name();
    ++checked;
  }
  EXPECT_EQ(checked, 3);
}

// Error bounds per source: the Megatron-LM A100 rows keep their hardware-
// figure efficiencies (every row within 10%, mean under 5%); the other sources
// are held to the figures docs/validation.md reports (mean |error| at most 5%,
// max at most 28%), one efficiency set per GPU generation and stack.
TEST(PublishedRunsTest, ErrorsWithinDocumentedBounds) {
  const ValidationReport report = BuildValidationReport(AllRuns()).value();
  std::map<std::string, double> mean_bound = {{"korthikanti-2022-table5", 0.05},
                                              {"narayanan-2021-table1", 0.05}};
  for (const ValidationSourceSummary& s : report.sources()) {
    const bool megatron_a100 = mean_bound.count(s.source_key()) > 0;
    if (s.source_key() == "llama3-2024-table4") {
      // No factor is fitted to these rows; their gradient reduction and the
      // Hopper BF16 GEMM factor were settled after they were first seen
      // (docs/validation.md, "Out of sample": 14.8% mean before).
      EXPECT_LE(s.max_abs_error(), 0.05);
    }
    EXPECT_LE(s.mean_abs_error(), 0.05) << s.source_key();
    EXPECT_LE(s.max_abs_error(), megatron_a100 ? 0.10 : 0.28) << s.source_key();
    if (s.source_key() == "nemo-2407-pretraining") {
      // Megatron-core on H100 (FP8): the target's 5% mean, every row within
      // 10%.
      EXPECT_LE(s.mean_abs_error(), 0.05);
      EXPECT_LE(s.max_abs_error(), 0.10);
    }
  }
  EXPECT_EQ(report.cases_size(), static_cast<int>(AllRuns().size()));
}

// Every run that ran in its source is predicted to fit, or the row says why
// its memory setting cannot be known (fit_exception).
TEST(PublishedRunsTest, EveryRunFitsOrSaysWhy) {
  const ValidationReport report = BuildValidationReport(AllRuns()).value();
  for (const ValidationCase& c : report.cases()) {
    EXPECT_TRUE(c.fits() || !c.fit_exception().empty()) << c.name();
  }
}

// The NeMo rows' memory follows the optimizer settings of NeMo's launcher
// configs (docs/memory.md): all but the two rows whose layout leaves their
// settings unknown are predicted to fit.
TEST(PublishedRunsTest, NemoRowsFitWithTheirLaunchersOptimizer) {
  const ValidationReport report = BuildValidationReport(AllRuns()).value();
  int rows = 0;
  int exceptions = 0;
  for (const ValidationCase& c : report.cases()) {
    if (c.source_key() != "nemo-2407-pretraining") continue;
    ++rows;
    if (!c.fits()) ++exceptions;
    if (c.fits()) {
      EXPECT_TRUE(c.fit_exception().empty()) << c.name();
    }
  }
  EXPECT_EQ(rows, 12);
  EXPECT_LE(exceptions, 2);
}

}  // namespace
}  // namespace memwall
