// Shared flag parsing: derived degrees, defaults, and errors naming flag and
// value.
#include "planner/cli/request.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/cli/plan_request.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::StatusIs;
using ::testing::HasSubstr;

absl::StatusOr<Request> Parse(std::vector<const char*> args) {
  args.insert(args.begin(), {"memwall", "memory"});
  auto flags = Flags::Parse(static_cast<int>(args.size()), args.data(), 2);
  if (!flags.ok()) return flags.status();
  return ParseRequest(*flags);
}

TEST(Request, DerivesDpAndGlobalBatch) {
  auto r = Parse({"--model=llama2-7b", "--gpus=64", "--tp=2", "--pp=4",
                  "--micro_batch=2"});
  ASSERT_TRUE(r.ok()) << r.status();
  auto l = ResolveLayout(*r);
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(l->dp, 8);
  EXPECT_EQ(l->expert_tp(), 2);  // etp defaults to tp
  EXPECT_EQ(*r->gpus, 64);
  // Default global batch fills the 1F1B pipeline: micro_batch x dp x pp.
  EXPECT_EQ(r->training.global_batch(), 2 * 8 * 4);
  EXPECT_EQ(r->training.seq_len(), 4096);  // the model's max_seq_len
  EXPECT_EQ(r->training.dtype(), BF16);
  EXPECT_EQ(r->training.optimizer(), ADAM);
}

// `plan` and `fit` price the step with the --stack's efficiency entry
// (clusters/dgx-a100-80g.textproto: fsdp gemm 0.761, deepspeed gemm 0.583;
// megatron the cluster-wide 0.8).
TEST(Request, PlanContextUsesTheStacksEfficiencies) {
  auto gemm = [](const char* stack) {
    std::vector<const char*> args = {"memwall",
                                     "plan",
                                     "--model=gpt2-xl",
                                     "--cluster=dgx-a100-80g",
                                     "--gpus=8",
                                     "--global_batch=64",
                                     stack};
    auto flags = Flags::Parse(static_cast<int>(args.size()), args.data(), 2);
    auto r = flags.ok() ? ParsePlanRequest(*flags, true)
                        : absl::StatusOr<PlanRequest>(flags.status());
    auto ctx =
        r.ok() ? MakeContext(*r) : absl::StatusOr<StepContext>(r.status());
    EXPECT_TRUE(ctx.ok()) << ctx.status();
    return ctx.ok() ? ctx->cluster.gemm_efficiency : -1.0;
  };
  EXPECT_DOUBLE_EQ(gemm("--stack=megatron"), 0.8);
  EXPECT_DOUBLE_EQ(gemm("--stack=fsdp"), 0.761);
  EXPECT_DOUBLE_EQ(gemm("--stack=deepspeed"), 0.583);
}

TEST(Request, NodesUseTheClustersGpusPerNode) {
  auto r = Parse(
      {"--model=llama2-7b", "--cluster=dgx-a100-80g", "--nodes=2", "--tp=8"});
  ASSERT_TRUE(r.ok()) << r.status();
  auto l = ResolveLayout(*r);
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(l->dp, 2);
  EXPECT_THAT(Parse({"--model=llama2-7b", "--nodes=2"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--nodes=2 needs --cluster")));
}

TEST(Request, SeedProfileDefaults) {
  auto r = Parse({"--model=gpt2-xl", "--profile=seed"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->profile, PROFILE_SEED);
  EXPECT_EQ(r->training.dtype(), FP32);
  EXPECT_EQ(r->training.optimizer(), ADAM);
}

TEST(Request, FixedFlagsAreRecorded) {
  auto r =
      Parse({"--model=llama2-7b", "--tp=4", "--recompute=full",
             "--sequence_parallel", "--set=transformer { num_layers: 8 }"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r->layout.tp, 4);
  EXPECT_FALSE(r->layout.pp.has_value());
  EXPECT_EQ(*r->layout.recompute, RECOMPUTE_FULL);
  EXPECT_TRUE(*r->layout.sequence_parallel);
  EXPECT_EQ(r->model.transformer().num_layers(), 8);
}

TEST(Request, BadChoicesNameFlagAndValue) {
  EXPECT_THAT(
      Parse({"--model=llama2-7b", "--dtype=int4"}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("--dtype=int4 is not one of fp32, bf16, fp16, fp8")));
  EXPECT_THAT(Parse({"--model=llama2-7b", "--offload=disk"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--offload=disk")));
  EXPECT_THAT(Parse({"--model=llama2-7b", "--cluster_set=gpus_per_node: 4"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--cluster_set needs --cluster")));
}

}  // namespace
}  // namespace memwall
