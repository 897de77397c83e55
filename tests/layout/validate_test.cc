// The layout rules: errors name the flag and its value, the same for a
// complete layout and for the fixed part of one.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/layout/validate_layout.h"
#include "planner/model/zoo.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::IsOk;
using ::memwall::testing::StatusIs;
using ::testing::HasSubstr;

TrainingSpec Training(int64_t global_batch, int64_t seq_len) {
  TrainingSpec t;
  t.set_global_batch(global_batch);
  t.set_seq_len(seq_len);
  t.set_dtype(BF16);
  t.set_optimizer(ADAM);
  return t;
}

TEST(ValidateLayout, NamesFieldAndValue) {
  auto model = LoadModel("llama2-7b");
  ASSERT_TRUE(model.ok());
  struct Case {
    ParallelLayout layout;
    int64_t gpus;
    const char* message;
  };
  auto with = [](auto f) {
    ParallelLayout l;
    f(l);
    return l;
  };
  const Case cases[] = {
      {with([](ParallelLayout& l) { l.tp = 3; }), 0,
       "--tp=3 must divide num_heads=32"},
      {with([](ParallelLayout& l) {
         l.dp = 2;
         l.tp = 4;
       }),
       16, "--dp=2 x --tp=4 x --pp=1 x --cp=1 = 8 must equal --gpus=16"},
      {with([](ParallelLayout& l) { l.dp = 3; }), 0,
       "--global_batch=64 must be a multiple of --micro_batch=1 x --dp=3 = 3"},
      {with([](ParallelLayout& l) { l.pp = 33; }), 0,
       "--pp=33 exceeds num_layers=32"},
      {with([](ParallelLayout& l) { l.zero_stage = 5; }), 0,
       "--zero=5 must be 0, 1, 2 or 3"},
      {with([](ParallelLayout& l) { l.micro_batch = 0; }), 0,
       "--micro_batch=0 must be positive"},
      {with([](ParallelLayout& l) { l.cp = 3; }), 0,
       "--cp=3 must divide --seq_len=4096"},
      {with([](ParallelLayout& l) { l.ep = 2; }), 0,
       "--ep=2 needs a model with experts"},
      {with([](ParallelLayout& l) {
         l.pp = 4;
         l.vpp = 9;
       }),
       0, "--pp=4 x --vpp=9 = 36 exceeds num_layers=32"},
      {with([](ParallelLayout& l) {
         l.pp = 4;
         l.vpp = 2;
         l.micro_batch = 4;
         l.dp = 8;
       }),
       0, "--vpp=2 needs micro-batches per step (2) divisible by --pp=4"},
      {with([](ParallelLayout& l) {
         l.pp = 4;
         l.account_embedding = true;
       }),
       0,
       "--pp=4 x --vpp=1 = 4 must divide num_layers=32 plus the embedding and "
       "loss counted as layers = 33"},
      {with([](ParallelLayout& l) {
         l.pp = 4;
         l.first_stage_layers = 6;
       }),
       0,
       "num_layers=32 - --first_stage_layers=6 - --last_stage_layers=0 = 26 "
       "must split evenly"},
      {with([](ParallelLayout& l) { l.pp = 300; }), 0,
       "--pp=300 exceeds 256 pipeline stages"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(
        ValidateLayout(LimitsOf(*model, Training(64, 4096)), c.layout, c.gpus),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.message;
  }
}

TEST(ValidateLayout, KvHeadsAndExperts) {
  auto model = LoadModel("mixtral-8x7b");
  ASSERT_TRUE(model.ok());
  ParallelLayout l;
  l.tp = 16;
  EXPECT_THAT(ValidateLayout(LimitsOf(*model, Training(64, 4096)), l),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--tp=16 must divide num_kv_heads=8")));
  l.tp = 1;
  l.ep = 3;
  EXPECT_THAT(ValidateLayout(LimitsOf(*model, Training(64, 4096)), l),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--ep=3 must divide moe.num_experts=8")));
  l.ep = 8;
  l.dp = 8;
  EXPECT_THAT(ValidateLayout(LimitsOf(*model, Training(64, 4096)), l), IsOk());
}

// The fixed part of a layout is checked by the same rules: a mistake reads
// the same whether the rest is free (plan) or defaulted (memory).
TEST(CheckLayoutChoice, SameMessageAsTheCompleteLayout) {
  auto model = LoadModel("llama2-7b");
  ASSERT_TRUE(model.ok());
  const LayoutLimits limits = LimitsOf(*model, Training(64, 4096));
  LayoutChoice c;
  c.tp = 3;
  EXPECT_THAT(CheckLayoutChoice(limits, c, 24),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--tp=3 must divide num_heads=32")));
  c.tp = 4;
  c.pp = 3;
  EXPECT_THAT(
      CheckLayoutChoice(limits, c, 16),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("--tp=4 x --pp=3 = 12 must divide --gpus=16")));
  c.pp = 2;
  EXPECT_THAT(CheckLayoutChoice(limits, c, 16), IsOk());
  // Free fields are not checked: dp and micro_batch unknown.
  c.vpp = 2;
  EXPECT_THAT(CheckLayoutChoice(limits, c, 16), IsOk());
}

// --kernels=eager describes modules on one device without recompute or flash
// attention; the same layouts pass under the fused kernels.
TEST(ValidateLayout, EagerKernelsNeedOneDevice) {
  auto model = LoadModel("llama2-7b");
  ASSERT_TRUE(model.ok());
  TrainingSpec eager = Training(64, 4096);
  eager.set_kernels(KERNELS_EAGER);
  const LayoutLimits fused_limits = LimitsOf(*model, Training(64, 4096));
  const LayoutLimits eager_limits = LimitsOf(*model, eager);
  ParallelLayout tp2;
  tp2.tp = 2;
  EXPECT_THAT(ValidateLayout(fused_limits, tp2), IsOk());
  EXPECT_THAT(ValidateLayout(eager_limits, tp2),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--tp=2 needs --kernels=fused")));
  ParallelLayout recompute;
  recompute.recompute = RECOMPUTE_SELECTIVE;
  EXPECT_THAT(ValidateLayout(eager_limits, recompute),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--recompute=selective needs")));
  ParallelLayout dp2_pp2;
  dp2_pp2.dp = 2;
  dp2_pp2.pp = 2;
  EXPECT_THAT(ValidateLayout(eager_limits, dp2_pp2), IsOk());
}

}  // namespace
}  // namespace memwall
