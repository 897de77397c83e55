// Compute efficiencies per stack, FP8 linear layers at the FP8 peak, fused
// attention at its own factor, and the fixed cost per kernel: each checked
// against arithmetic done by hand on the layer's shapes.
#include "planner/timing/compute_efficiency.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "planner/model/zoo.h"
#include "planner/timing/cluster_params.h"
#include "planner/timing/micro_batch_costs.h"
#include "tests/testing/published_runs.h"

namespace memwall {
namespace {

using ::testing::HasSubstr;

ClusterSpec H100() { return LoadCluster("dgx-h100").value(); }

TEST(ComputeEfficiencyTest, StackEntryOverridesTheClusterFactors) {
  ClusterSpec c = H100();
  Efficiency* e = c.mutable_efficiency();
  e->clear_stacks();
  e->set_gemm(0.8);
  e->clear_attention();
  e->clear_fp8_gemm();
  StackEfficiency* fsdp = e->add_stacks();
  fsdp->set_stack(STACK_FSDP);
  fsdp->set_gemm(0.5);
  fsdp->set_kernel_s(2e-5);
  const ComputeEfficiency meg = ComputeEfficiencyOf(c, STACK_MEGATRON).value();
  EXPECT_DOUBLE_EQ(meg.gemm, 0.8);
  EXPECT_DOUBLE_EQ(meg.attention, 0.8);  // unset: the GEMM factor
  EXPECT_DOUBLE_EQ(meg.kernel_s, 0.0);
  const ComputeEfficiency f = ComputeEfficiencyOf(c, STACK_FSDP).value();
  EXPECT_DOUBLE_EQ(f.gemm, 0.5);
  EXPECT_DOUBLE_EQ(f.attention, 0.5);  // follows the stack's GEMM factor
  EXPECT_DOUBLE_EQ(f.fp8_gemm, 0.5);
  EXPECT_DOUBLE_EQ(f.kernel_s, 2e-5);
}

TEST(ComputeEfficiencyTest, BadFactorsNameTheField) {
  ClusterSpec c = H100();
  c.mutable_efficiency()->set_attention(1.5);
  auto s = ComputeEfficiencyOf(c, STACK_MEGATRON).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("cluster.efficiency.attention=1.5"));
  c = H100();
  c.mutable_efficiency()->mutable_stacks(0)->set_kernel_s(-1);
  s = ComputeEfficiencyOf(c, STACK_FSDP).status();
  EXPECT_THAT(s.message(), HasSubstr("efficiency.stacks[0].kernel_s=-1"));
  c = H100();
  *c.mutable_efficiency()->add_stacks() = c.efficiency().stacks(0);
  s = ComputeEfficiencyOf(c, STACK_FSDP).status();
  EXPECT_THAT(s.message(), HasSubstr("appears twice"));
  EXPECT_THAT(ParseStack("jax").status().message(), HasSubstr("--stack"));
  EXPECT_EQ(ParseStack("fsdp").value(), STACK_FSDP);
  EXPECT_EQ(StackName(STACK_UNSPECIFIED), "megatron");
}

// FP8 (Transformer Engine): linear GEMMs at the FP8 peak times fp8_gemm;
// attention and the output layer at the BF16 peak.
TEST(ComputeEfficiencyTest, Fp8LinearLayersAtTheFp8Peak) {
  const ClusterParams fp8 = ClusterParamsFromSpec(H100(), FP8).value();
  const ClusterParams bf16 = ClusterParamsFromSpec(H100(), BF16).value();
  EXPECT_TRUE(fp8.fp8);
  EXPECT_DOUBLE_EQ(fp8.peak_flops, 1978.9e12);
  EXPECT_DOUBLE_EQ(fp8.peak_flops_16bit, 989.4e12);
  // A 8192^3 GEMM: tile fill (8192/8256)^3 in both.
  const double fill = 8192.0 / (8192 + kGemmTileDim);
  const double flops = 2.0 * 8192 * 8192 * 8192;
  EXPECT_NEAR(
      LinearTime(fp8, 8192, 8192, 8192),
      flops / (1978.9e12 * fp8.fp8_gemm_efficiency * fill * fill * fill),
      1e-12);
  EXPECT_NEAR(LinearTime(bf16, 8192, 8192, 8192),
              flops / (989.4e12 * bf16.gemm_efficiency * fill * fill * fill),
              1e-12);
  // GemmTime (attention core, output layer) stays 16-bit under FP8.
  EXPECT_DOUBLE_EQ(GemmTime(fp8, 8192, 8192, 8192),
                   GemmTime(bf16, 8192, 8192, 8192));
  // Fused attention: 4 sq sk d per head at the attention factor; the head
  // dimension d fills d / (d + d_exp), d_exp = 16-bit peak / (4 x exponential
  // rate) = 989.4 / (4 x 3.865) = 64.0 on the H100 (FlashAttention-3 Sec. 3.1).
  const double fa = 4.0 * 4096 * 4096 * 128 * 32;
  const double f4096 = 4096.0 / (4096 + kGemmTileDim);
  const double d_exp = 989.4e12 / (4 * 3.865e12);
  EXPECT_NEAR(bf16.attention_exp_head_dim, d_exp, 1e-9);
  EXPECT_NEAR(d_exp, 64.0, 0.01);
  const double f128 = 128.0 / (128 + d_exp);
  EXPECT_NEAR(
      FlashAttentionTime(bf16, 4096, 4096, 128, 32),
      fa / (989.4e12 * bf16.attention_efficiency * f4096 * f4096 * f128),
      1e-12);
}

// The A100's tensor cores do half the H100's work per SM and clock against the
// same 16 exponentials (CUDA C++ Programming Guide): the softmax costs 32 head
// dimensions there. Without an exponential rate the head dimension fills like
// a GEMM tile.
TEST(ComputeEfficiencyTest, AttentionExponentialCostFromTheGpu) {
  ClusterSpec a100 = LoadCluster("dgx-a100-80g").value();
  EXPECT_NEAR(ClusterParamsFromSpec(a100, BF16).value().attention_exp_head_dim,
              312e12 / (4 * 2.436e12), 1e-9);
  EXPECT_NEAR(312e12 / (4 * 2.436e12), 32.0, 0.05);
  a100.mutable_gpu()->clear_exp_ops_per_s();
  EXPECT_EQ(ClusterParamsFromSpec(a100, BF16).value().attention_exp_head_dim,
            kGemmTileDim);
  a100.mutable_gpu()->set_exp_ops_per_s(-1);
  EXPECT_THAT(ClusterParamsFromSpec(a100, BF16).status().message(),
              HasSubstr("gpu.exp_ops_per_s"));
}

// The fixed cost per kernel adds kernel_s x kernels to a layer: 4 GEMMs, 1
// flash kernel and 5 element-wise forward (10); 8 + 2 + 10 backward (20).
TEST(ComputeEfficiencyTest, KernelCostCountsTheLayersKernels) {
  const TransformerShape shape =
      ShapeFromModel(PublishedRuns()[3].model, 2048).value();
  ClusterParams c = ClusterParamsFromSpec(H100(), BF16).value();
  c.kernel_s = 0;
  MicroBatchKey k;
  k.tp = 1;
  k.micro_batch = 1;
  k.flash_attention = true;
  const MicroBatchCosts none = ComputeMicroBatchCosts(shape, c, k);
  c.kernel_s = 1e-5;
  const MicroBatchCosts some = ComputeMicroBatchCosts(shape, c, k);
  EXPECT_NEAR(some.dense_forward_s - none.dense_forward_s, 10 * 1e-5, 1e-12);
  EXPECT_NEAR(some.dense_backward_s - none.dense_backward_s, 20 * 1e-5, 1e-12);
  EXPECT_NEAR(some.logits_forward_s - none.logits_forward_s, 4 * 1e-5, 1e-12);
}

}  // namespace
}  // namespace memwall
