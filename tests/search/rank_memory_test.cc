// Per-rank memory against the Megatron-LM test vectors derived from its
// theoretical_memory_usage.py (formulas reference Sec. 6.8, MB = 2^20 bytes),
// and the activation rows of Korthikanti et al. 2022 Table 2.
#include "planner/search/rank_memory.h"

#include <gtest/gtest.h>

#include "planner/memory/evaluator.h"
#include "planner/model/zoo.h"
#include "planner/timing/validation_cases.h"

namespace memwall {
namespace {

constexpr double kMiB = 1 << 20;

StepContext ContextFor(int run_index) {
  const PublishedRun& run = PublishedRuns()[run_index];
  TrainingSpec training = PublishedRunTraining(run);
  training.set_dtype(BF16);
  return MakeStepContext(
             ShapeFromModel(PublishedRunModel(run), 2048).value(),
             ClusterParamsFromSpec(LoadCluster("dgx-a100-80g").value(), BF16)
                 .value(),
             training)
      .value();
}

// GPT-3 175B, t8 p8 d1 b1 m64, SP + selective: weights+optimizer 48016.18 MB,
// activations 9816.02 MB. Megatron omits biases and position embeddings and
// adds 8sbp + sbhp of token ids and embedding dropout, hence a tolerance of
// 0.5%.
TEST(RankMemoryTest, MegatronGpt3Vector) {
  const StepContext ctx = ContextFor(6);
  const ParallelLayout l = PublishedRuns()[6].layout;
  const RankMemory m = EstimateRankMemory(ctx, l);
  EXPECT_EQ(m.stage, 0);
  EXPECT_DOUBLE_EQ(m.in_flight_micro_batches, 8);
  const double states =
      (m.weights_bytes + m.gradients_bytes + m.optimizer_bytes) / kMiB;
  EXPECT_NEAR(states, 48016.18, 0.005 * 48016.18);
  EXPECT_NEAR(m.activations_bytes / kMiB, 9816.02, 0.005 * 9816.02);
  EXPECT_DOUBLE_EQ(ModelStatesBytes(ctx, l),
                   m.weights_bytes + m.gradients_bytes + m.optimizer_bytes);
}

// 22B, t8 p1 b4: weights+optimizer 47351.46 MB, activations 10022.01 MB (with
// the fp32 logits of the single stage).
TEST(RankMemoryTest, Megatron22bVector) {
  const StepContext ctx = ContextFor(4);
  const RankMemory m = EstimateRankMemory(ctx, PublishedRuns()[4].layout);
  const double states =
      (m.weights_bytes + m.gradients_bytes + m.optimizer_bytes) / kMiB;
  EXPECT_NEAR(states, 47351.46, 0.005 * 47351.46);
  EXPECT_NEAR(m.activations_bytes / kMiB, 10022.01, 0.005 * 10022.01);
}

// Korthikanti Table 2 per layer: TP without SP, no recompute: sbh (10 + 24/t +
// 5as/(ht)); full recompute: 2sbh. 175B: s = 2048, b = 1, h = 12288, a = 96, t
// = 8, 12 layers x 8 micro-batches in flight on the first stage.
TEST(RankMemoryTest, KorthikantiTable2Rows) {
  const StepContext ctx = ContextFor(5);
  ParallelLayout l = PublishedRuns()[5].layout;
  const double sbh = 2048.0 * 12288;
  const double layers_in_flight = 12 * 8;
  l.recompute = RECOMPUTE_NONE;
  l.sequence_parallel = false;
  EXPECT_NEAR(
      EstimateRankMemory(ctx, l).activations_bytes,
      layers_in_flight * sbh * (10 + 24.0 / 8 + 5.0 * 96 * 2048 / (12288 * 8)),
      1.0);
  l.recompute = RECOMPUTE_FULL;
  // Plus one layer rebuilt with its full activations during backward.
  EXPECT_NEAR(EstimateRankMemory(ctx, l).activations_bytes,
              layers_in_flight * 2 * sbh +
                  sbh * (10 + 24.0 / 8 + 5.0 * 96 * 2048 / (12288 * 8)),
              1.0);
}

// ZeRO paper Sec. 5 family on Megatron's 2 + 4 + 12 bytes: stage k shards its
// states.
TEST(RankMemoryTest, ZeroStagesShard) {
  const StepContext ctx = ContextFor(6);
  const ShardedStateBytes z0 = StateBytesPerParam(ctx, 0, OFFLOAD_NONE, 64);
  const ShardedStateBytes z1 = StateBytesPerParam(ctx, 1, OFFLOAD_NONE, 64);
  const ShardedStateBytes z2 = StateBytesPerParam(ctx, 2, OFFLOAD_NONE, 64);
  const ShardedStateBytes z3 = StateBytesPerParam(ctx, 3, OFFLOAD_NONE, 64);
  EXPECT_DOUBLE_EQ(z0.weights + z0.gradients + z0.optimizer, 18);
  EXPECT_DOUBLE_EQ(z1.weights + z1.gradients + z1.optimizer, 6 + 12.0 / 64);
  EXPECT_DOUBLE_EQ(z2.weights + z2.gradients + z2.optimizer, 2 + 16.0 / 64);
  EXPECT_DOUBLE_EQ(z3.weights + z3.gradients + z3.optimizer, 18.0 / 64);
  const ShardedStateBytes off =
      StateBytesPerParam(ctx, 1, OFFLOAD_OPTIMIZER, 64);
  // ZeRO-Offload (planner/memory's rule): the sharded fp32 master and moments
  // and the fp32 gradient copy (4 bytes, less the 2-byte bf16 gradient the
  // device keeps) go to the host.
  EXPECT_DOUBLE_EQ(off.optimizer, 0);
  EXPECT_DOUBLE_EQ(off.gradients, 2);
  EXPECT_DOUBLE_EQ(off.host, 12.0 / 64 + 2);
}

}  // namespace
}  // namespace memwall

namespace memwall {
namespace {

// The search prunes a layout when ModelStatesBytes exceeds the GPU's memory, so
// it must never exceed what MemoryEvaluator (the memory model) puts on the
// peak stage: checked over a grid of GPT-3 175B layouts on 1536 GPUs.
TEST(RankMemoryTest, ModelStatesBoundIsBelowEvaluatorPeak) {
  const PublishedRun& run = PublishedRuns()[2];  // narayanan-145.6b
  TrainingSpec training = PublishedRunTraining(run);
  training.set_dtype(BF16);
  const ClusterSpec cluster = LoadCluster("dgx-a100-80g").value();
  const StepContext ctx =
      MakeStepContext(ShapeFromModel(PublishedRunModel(run), 2048).value(),
                      ClusterParamsFromSpec(cluster, BF16).value(), training)
          .value();
  const MemoryEvaluator e =
      MemoryEvaluator::Create(PublishedRunModel(run), training, PROFILE_MEMWALL,
                              &cluster)
          .value();
  int checked = 0;
  for (int64_t tp : {1, 2, 4, 8}) {
    for (int64_t pp : {1, 2, 4, 8, 16, 32}) {
      for (int zero = 0; zero <= 3; ++zero) {
        ParallelLayout l;
        l.tp = tp;
        l.pp = pp;
        l.dp = 1536 / (tp * pp);  // every tp x pp here divides 1536
        l.micro_batch = 1;
        l.zero_stage = zero;
        l.recompute = RECOMPUTE_SELECTIVE;
        l.sequence_parallel = tp > 1;
        const PeakMemory peak = e.EvaluatePeak(l);
        EXPECT_LE(ModelStatesBytes(ctx, l), peak.peak_bytes)
            << "tp " << tp << " pp " << pp << " zero " << zero;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 4 * 6 * 4);
}

}  // namespace
}  // namespace memwall
