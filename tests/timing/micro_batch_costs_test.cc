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

}  // namespace
}  // namespace memwall
