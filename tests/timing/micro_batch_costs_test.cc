// Per-layer times against Korthikanti et al. 2022, Table 4 (one layer of the
// 22B model, t = 8, b = 4, s = 2048 on A100-80GB, milliseconds, measured).
#include "planner/timing/micro_batch_costs.h"

#include <gtest/gtest.h>

#include "planner/model/zoo.h"
#include "tests/testing/published_runs.h"

namespace memwall {
namespace {

class MicroBatchCostsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    shape_ =
        ShapeFromModel(PublishedRunModel(PublishedRuns()[3]), 2048).value();
    cluster_ = ClusterParamsFromSpec(LoadCluster("dgx-a100-80g").value(), FP16)
                   .value();
  }
  MicroBatchCosts Costs(bool sp) {
    MicroBatchKey k;
    k.tp = 8;
    k.micro_batch = 4;
    k.sequence_parallel = sp;
    return ComputeMicroBatchCosts(shape_, cluster_, k);
  }
  TransformerShape shape_;
  ClusterParams cluster_;
};

// Kernel-level numbers carry more noise than step times; each within 12%.
TEST_F(MicroBatchCostsTest, KorthikantiTable4) {
  struct Row {
    const char* name;
    bool sp;
    Recompute recompute;
    double forward_ms, backward_ms;
  };
  const Row rows[] = {
      {"baseline", false, RECOMPUTE_NONE, 7.7, 11.9},
      {"sequence parallel", true, RECOMPUTE_NONE, 7.2, 11.8},
      {"full recompute", false, RECOMPUTE_FULL, 7.7, 19.5},
      {"selective recompute", false, RECOMPUTE_SELECTIVE, 7.7, 13.2},
      {"selective + sequence parallel", true, RECOMPUTE_SELECTIVE, 7.2, 13.1},
  };
  for (const Row& r : rows) {
    const MicroBatchCosts c = Costs(r.sp);
    const double forward = c.dense_forward_s + c.tp_forward_s;
    double backward = c.dense_backward_s + c.tp_backward_s;
    if (r.recompute == RECOMPUTE_FULL) backward += forward;
    if (r.recompute == RECOMPUTE_SELECTIVE)
      backward += c.attention_core_forward_s;
    EXPECT_NEAR(forward * 1e3, r.forward_ms, 0.12 * r.forward_ms) << r.name;
    EXPECT_NEAR(backward * 1e3, r.backward_ms, 0.12 * r.backward_ms) << r.name;
  }
}

// Transformer Engine userbuffers split the overlapped GEMMs into chunks along
// the tokens (NeMo's A100 ub_cfg: ring exchange, t chunks; pipeline, 4
// chunks). With the tile-fill factor phi(x) = x / (x + 64), c chunks of T/c
// tokens cost 2 T N K / (P e phi(N) phi(K)) x (1 + 64 c / T) against
// (1 + 64 / T) whole: the extra is 2 N K 64 (c - 1) / (P e phi(N) phi(K)),
// whatever T. Computed here by hand for the 22B layer (h 6144, t 8).
TEST_F(MicroBatchCostsTest, TpOverlapSplitsGemms) {
  const double h = 6144;
  const double t = 8;
  const double pe = 312e12 * cluster_.gemm_efficiency;
  const auto phi = [](double x) { return x / (x + 64); };
  const auto extra = [&](double n, double k, double chunks) {
    return 2 * n * k * 64 * (chunks - 1) / (pe * phi(n) * phi(k));
  };
  ASSERT_EQ(cluster_.kernel_s, 0);
  const MicroBatchCosts c = Costs(true);
  const double forward = extra(3 * h / t, h, t) + extra(4 * h / t, h, t) +
                         extra(h, h / t, 4) + extra(h, 4 * h / t, 4);
  const double backward = extra(h / t, h, t) + extra(4 * h / t, h, t);
  EXPECT_NEAR(c.tp_overlap_forward_split_s, forward, 1e-9 * forward);
  EXPECT_NEAR(c.tp_overlap_backward_split_s, backward, 1e-9 * backward);
  // A MoE layer splits only its attention's GEMMs.
  const double moe_forward = extra(3 * h / t, h, t) + extra(h, h / t, 4);
  EXPECT_NEAR(c.tp_overlap_moe_forward_split_s, moe_forward,
              1e-9 * moe_forward);
  EXPECT_NEAR(c.tp_overlap_moe_backward_split_s, extra(h / t, h, t),
              1e-9 * backward);
  // The last of four reduce-scatter chunks after the projection and fc2: an
  // eighth of the forward's two all-gathers and two reduce-scatters of the
  // same volume.
  EXPECT_NEAR(c.tp_overlap_tail_s, c.tp_forward_s / 8, 0.1 * c.tp_forward_s);
  // Without SP there is no userbuffers overlap.
  EXPECT_EQ(Costs(false).tp_overlap_forward_split_s, 0);
}

// FlashAttention-2's backward: 2.5x the forward's matmul work, the
// exponentials once (Dao 2023, Algorithm 2). Every other backward term is
// twice its forward here (BF16, no per-kernel cost), so backward - 2 x forward
// is the core's 2.5 M + E - 2 (M + E), with M + E the forward core time and E
// its exponential share d_exp / (d + d_exp).
TEST_F(MicroBatchCostsTest, FlashBackwardCountsExponentialsOnce) {
  ASSERT_EQ(cluster_.kernel_s, 0);
  MicroBatchKey k;
  k.tp = 8;
  k.micro_batch = 4;
  k.flash_attention = true;
  const MicroBatchCosts c = ComputeMicroBatchCosts(shape_, cluster_, k);
  const double d = 96;  // 6144 / 64 heads
  const double core = 0.5 * FlashAttentionTime(cluster_, 2048, 2048, d, 4 * 8);
  const double dexp = cluster_.attention_exp_head_dim;
  ASSERT_GT(dexp, 0);
  const double e = core * dexp / (d + dexp);
  const double expected = 2.5 * (core - e) + e - 2 * core;
  EXPECT_NEAR(c.dense_backward_s - 2 * c.dense_forward_s, expected,
              1e-9 * core);
}

TEST_F(MicroBatchCostsTest, GemmEfficiencyFallsForSmallDimensions) {
  EXPECT_NEAR(GemmEfficiency(cluster_, 1e9, 1e9, 1e9), cluster_.gemm_efficiency,
              1e-6);
  EXPECT_NEAR(GemmEfficiency(cluster_, 64, 1e12, 1e12),
              cluster_.gemm_efficiency / 2, 1e-6);
  // 2 m n k flops at the efficiency of the shape.
  EXPECT_NEAR(
      GemmTime(cluster_, 4096, 4096, 4096),
      2.0 * 4096 * 4096 * 4096 /
          (cluster_.peak_flops * GemmEfficiency(cluster_, 4096, 4096, 4096)),
      1e-15);
}

TEST_F(MicroBatchCostsTest, FlashAttentionRemovesScoreTraffic) {
  MicroBatchKey k;
  k.tp = 8;
  k.micro_batch = 4;
  const MicroBatchCosts plain = ComputeMicroBatchCosts(shape_, cluster_, k);
  k.flash_attention = true;
  const MicroBatchCosts flash = ComputeMicroBatchCosts(shape_, cluster_, k);
  EXPECT_LT(flash.dense_forward_s, plain.dense_forward_s);
  EXPECT_EQ(flash.attention_core_forward_s, 0.0);
}

// Multi-head latent attention (DeepSeek-V3: 128 heads, Q.K^T over 128 + 64 and
// A.V over 128 per head) runs its attention core at those widths, not at
// hidden / heads = 56: with flash attention and a causal mask, 2 x 128 x s^2 x
// (192 + 128) / 2 FLOPs per sequence at s = 4096, by hand.
TEST(MicroBatchCostsMlaTest, CoreAttentionUsesTheLatentHeadWidths) {
  const TransformerShape shape =
      ShapeFromModel(LoadModel("deepseek-v3").value(), 4096).value();
  EXPECT_EQ(shape.qk_head_dim, 192);
  EXPECT_EQ(shape.v_head_dim, 128);
  const ClusterParams cluster =
      ClusterParamsFromSpec(LoadCluster("dgx-h100").value(), BF16).value();
  MicroBatchKey k;
  k.flash_attention = true;
  const MicroBatchCosts c = ComputeMicroBatchCosts(shape, cluster, k);
  const double s = 4096;
  EXPECT_DOUBLE_EQ(c.attention_core_flops, 2.0 * 128 * s * s * 320 / 2);
}

}  // namespace
}  // namespace memwall
