// Multi-token-prediction modules on the last pipeline stage (DeepSeek-V3
// §2.2): their parameters and activations, against the same model without
// them.
#include "gtest/gtest.h"
#include "planner/memory/evaluator.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

TEST(MtpMemory, LastStageHoldsTheModule) {
  auto with = LoadModel("deepseek-v3");
  ASSERT_TRUE(with.ok());
  ModelSpec without = *with;
  without.mutable_transformer()->clear_mtp();
  TrainingSpec t;
  t.set_global_batch(1024);
  t.set_seq_len(4096);
  t.set_dtype(BF16);
  t.set_optimizer(ADAM);
  ParallelLayout l;
  l.dp = 8;
  l.tp = 2;
  l.pp = 16;
  l.ep = 16;
  l.etp = 1;
  l.sequence_parallel = true;
  l.flash_attention = true;
  l.recompute = RECOMPUTE_FULL;
  auto a = MemoryEvaluator::Create(*with, t, PROFILE_MEMWALL, nullptr);
  auto b = MemoryEvaluator::Create(without, t, PROFILE_MEMWALL, nullptr);
  ASSERT_TRUE(a.ok() && b.ok());
  const StageBreakdown last_a = a->EvaluateStage(l, 15);
  const StageBreakdown last_b = b->EvaluateStage(l, 15);
  // The module's non-expert parameters 335,779,072 (norms 3h, projection
  // 2h^2, MLA, shared expert, router and its bias; independent count) split
  // over TP = 2, its 256 experts of 3 h f_e over EP = 16; 2-byte weights.
  const double weights = 2.0 * (335779072.0 / 2 + 11274289152.0 / 16);
  EXPECT_NEAR(static_cast<double>(last_a.weights_bytes - last_b.weights_bytes),
              weights, 2);
  // Activations (full recompute, SP over t = 2, one micro-batch of 4096
  // tokens): the layer's input e h / t, the norm, projection, final-norm and
  // head inputs 6 e h / t, the fp32 logits 4 V / t.
  const double tokens = 4096, h = 7168, v = 129280;
  const double act = tokens * (2 * h / 2 + 6 * 2 * h / 2 + 4 * v / 2);
  EXPECT_NEAR(
      static_cast<double>(last_a.activations_bytes - last_b.activations_bytes),
      act, 2);
  // Other stages do not change.
  EXPECT_EQ(a->EvaluateStage(l, 3).weights_bytes,
            b->EvaluateStage(l, 3).weights_bytes);
}

}  // namespace
}  // namespace memwall
