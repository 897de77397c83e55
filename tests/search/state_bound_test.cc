// The search's model-states bound: ZeRO sharding of the per-parameter bytes,
// offload to the host, and the bound staying below MemoryEvaluator's peak.
#include "planner/search/state_bound.h"

#include <gtest/gtest.h>

#include "planner/memory/evaluator.h"
#include "planner/model/zoo.h"
#include "tests/testing/published_runs.h"

namespace memwall {
namespace {

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

// ZeRO paper Sec. 5 family on Megatron's 2 + 4 + 12 bytes: stage k shards its
// states.
TEST(StateBoundTest, ZeroStagesShard) {
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
  // GPT-3 175B at t8 p8 d1: the first stage holds 12 layers plus the
  // embedding; without offload nothing is on the host.
  const ParallelLayout l = PublishedRuns()[6].layout;
  EXPECT_EQ(HostStateBytes(ctx, l), 0);
  ParallelLayout offloaded = l;
  offloaded.offload = OFFLOAD_OPTIMIZER;
  const StageParams params = MaxStageParams(ctx.shape, l);
  EXPECT_DOUBLE_EQ(HostStateBytes(ctx, offloaded), params.dense * (12 + 2));
  EXPECT_DOUBLE_EQ(ModelStatesBytes(ctx, l), params.dense * 18);
}

}  // namespace
}  // namespace memwall

namespace memwall {
namespace {

// The search prunes a layout when ModelStatesBytes exceeds the GPU's memory, so
// it must never exceed what MemoryEvaluator (the memory model) puts on the
// peak stage: checked over a grid of GPT-3 175B layouts on 1536 GPUs.
TEST(StateBoundTest, ModelStatesBoundIsBelowEvaluatorPeak) {
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

namespace memwall {
namespace {

// The same on uneven pipeline splits (StageLayers: 126 layers over 16 stages
// is 7, 8, ..., 8, 7) and MoE models with expert parallelism.
TEST(StateBoundTest, BoundHoldsForUnevenStagesAndExperts) {
  const ClusterSpec cluster = LoadCluster("dgx-h100").value();
  int checked = 0;
  for (const char* name :
       {"llama3-405b", "mixtral-8x7b", "gshard-600b", "gpt3-175b"}) {
    const ModelSpec model = LoadModel(name).value();
    TrainingSpec training;
    training.set_global_batch(64);
    training.set_seq_len(2048);
    training.set_dtype(BF16);
    training.set_optimizer(ADAM);
    const StepContext ctx =
        MakeStepContext(ShapeFromModel(model, 2048).value(),
                        ClusterParamsFromSpec(cluster, BF16).value(), training)
            .value();
    const MemoryEvaluator e =
        MemoryEvaluator::Create(model, training, PROFILE_MEMWALL, &cluster)
            .value();
    const bool moe = model.transformer().has_moe();
    for (int64_t pp : {1, 3, 5, 7, 16, 24}) {
      for (int64_t ep : {1, 8}) {
        if (ep > 1 && !moe) continue;
        for (int zero = 0; zero <= 3; ++zero) {
          ParallelLayout l;
          l.tp = 8;
          l.etp = 8;
          l.pp = pp;
          l.dp = 8;
          l.ep = ep;
          l.micro_batch = 1;
          l.zero_stage = zero;
          l.recompute = RECOMPUTE_FULL;
          l.sequence_parallel = true;
          l.flash_attention = true;
          if (!e.CheckLayout(l).ok()) continue;
          EXPECT_LE(ModelStatesBytes(ctx, l), e.EvaluatePeak(l).peak_bytes)
              << name << " pp " << pp << " ep " << ep << " zero " << zero;
          ++checked;
        }
      }
    }
  }
  EXPECT_GE(checked, 100);
}

}  // namespace
}  // namespace memwall
