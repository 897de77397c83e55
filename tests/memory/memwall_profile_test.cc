// The memwall profile against hand-computed closed forms (Korthikanti et al.
// 2022 §4).
#include "common/units.h"
#include "gtest/gtest.h"
#include "planner/memory/evaluator.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

TrainingSpec Training(int64_t global_batch, int64_t seq_len,
                      Dtype dtype = BF16) {
  TrainingSpec t;
  t.set_global_batch(global_batch);
  t.set_seq_len(seq_len);
  t.set_dtype(dtype);
  t.set_optimizer(ADAM);
  return t;
}

MemoryEvaluator Make(const char* name, const TrainingSpec& t, Profile profile) {
  auto model = LoadModel(name);
  EXPECT_TRUE(model.ok()) << model.status();
  auto e = MemoryEvaluator::Create(*model, t, profile, nullptr);
  EXPECT_TRUE(e.ok()) << e.status();
  return *std::move(e);
}

// Korthikanti §4.2.3: under 1F1B the first stage holds p micro-batches of L/p
// layers, i.e. L layers' worth: (s b h L / t) 34 with SP + selective, plus the
// embedding's int64 token ids and dropout mask for each in-flight micro-batch
// (8 s b + s b h / t).
TEST(MemwallProfile, FirstStageHoldsAllLayersWorth) {
  const MemoryEvaluator e =
      Make("gpt3-175b", Training(64, 2048), PROFILE_MEMWALL);
  ParallelLayout l;
  l.tp = 8;
  l.pp = 8;
  l.sequence_parallel = true;
  l.recompute = RECOMPUTE_SELECTIVE;
  const double s = 2048, b = 1, h = 12288, L = 96, t = 8, p = 8;
  const double expected =
      s * b * h * L * 34 / t + p * (8 * s * b + s * b * h / t);
  EXPECT_NEAR(static_cast<double>(e.EvaluateStage(l, 0).activations_bytes),
              expected, 1);
  // Interleaving with v = 4 multiplies the layer part by 1 + (p - 1)/(p v).
  l.vpp = 4;
  const double factor = 1 + (p - 1) / (p * 4);
  EXPECT_NEAR(static_cast<double>(e.EvaluateStage(l, 0).activations_bytes),
              expected * factor, 1);
}

// Context parallelism divides activations by c (Megatron context_parallel.md);
// the model states are sharded over DP x CP by the distributed optimizer.
TEST(MemwallProfile, ContextParallelShardsTokensAndStates) {
  const MemoryEvaluator e =
      Make("llama3-8b", Training(8, 8192), PROFILE_MEMWALL);
  ParallelLayout l;
  l.flash_attention = true;
  l.zero_stage = 1;
  const StageBreakdown one = e.EvaluateStage(l, 0);
  l.cp = 4;
  const StageBreakdown four = e.EvaluateStage(l, 0);
  EXPECT_NEAR(static_cast<double>(four.activations_bytes),
              static_cast<double>(one.activations_bytes) / 4, 4);
  EXPECT_NEAR(static_cast<double>(four.optimizer_bytes),
              static_cast<double>(one.optimizer_bytes) / 4, 4);
  EXPECT_EQ(four.weights_bytes, one.weights_bytes);
}

// With tied embeddings and p > 1 the last stage keeps its own copy of the word
// embedding (Megatron-LM); the first stage also holds the position table.
TEST(MemwallProfile, TiedEmbeddingCopyOnLastStage) {
  const MemoryEvaluator e = Make("gpt2-xl", Training(8, 1024), PROFILE_MEMWALL);
  ParallelLayout l;
  l.pp = 4;
  const MemoryBreakdown m = e.Evaluate(l);
  const TransformerParams& p = e.param_counts();
  const int64_t layer = p.layer[0].total();
  EXPECT_EQ(m.stages[0].params,
            12 * layer + p.word_embedding + p.position_embedding);
  EXPECT_EQ(m.stages[3].params, 12 * layer + p.word_embedding + p.final_norms);
  EXPECT_EQ(m.stages[1].params, 12 * layer);
}

// Offloading the optimizer moves 12 + 2 bytes per parameter to the host (fp32
// master, moments, fp32 gradient copy) and leaves 2-byte weights and gradients
// on the device.
TEST(MemwallProfile, OptimizerOffload) {
  const MemoryEvaluator e =
      Make("llama2-7b", Training(8, 4096), PROFILE_MEMWALL);
  ParallelLayout l;
  l.offload = OFFLOAD_OPTIMIZER;
  const StageBreakdown s = e.EvaluateStage(l, 0);
  const int64_t p = e.params();
  EXPECT_EQ(s.weights_bytes, 2 * p);
  EXPECT_EQ(s.gradients_bytes, 2 * p);
  EXPECT_EQ(s.optimizer_bytes, 0);
  EXPECT_EQ(s.host_bytes, 14 * p);
}

// The seed profile: fp32 weights, no gradients, Adam moments = 2 x weights.
TEST(MemwallProfile, SeedProfileStates) {
  const MemoryEvaluator e =
      Make("gpt2-xl", Training(1, 1024, FP32), PROFILE_SEED);
  const StageBreakdown s = e.EvaluateStage(ParallelLayout{}, 0);
  EXPECT_EQ(s.weights_bytes, 4 * e.params());
  EXPECT_EQ(s.gradients_bytes, 0);
  EXPECT_EQ(s.optimizer_bytes, 2 * s.weights_bytes);
  EXPECT_EQ(s.other_bytes, 0);
}

}  // namespace
}  // namespace memwall
