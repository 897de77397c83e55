// The layout search: space size, determinism, constraints, pruning and "no
// layout".
#include "planner/search/search.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "planner/model/zoo.h"

namespace memwall {
namespace {

using ::testing::HasSubstr;

StepContext Gpt3(int64_t global_batch) {
  TrainingSpec training;
  training.set_global_batch(global_batch);
  training.set_seq_len(2048);
  training.set_dtype(BF16);
  training.set_optimizer(ADAM);
  return MakeStepContext(
             ShapeFromModel(LoadModel("gpt3-175b").value(), 2048).value(),
             ClusterParamsFromSpec(LoadCluster("dgx-a100-80g").value(), BF16)
                 .value(),
             training)
      .value();
}

// Calculon's `loe -d` enumerates 7,474,752 configurations for GPT-3 175B on
// 4096 A100s at batch 1536 (peers reference Sec. 2.6); our space must be at
// least as large.
TEST(SearchTest, Gpt3On4096SpaceAtLeastCalculons) {
  const StepContext ctx = Gpt3(1536);
  SearchOptions options;
  options.threads = 2;
  auto r = SearchLayouts(ctx, 4096, {}, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GE(r->space_size, 7474752);
  ASSERT_FALSE(r->best.empty());
  int64_t rejected = 0;
  for (int64_t n : r->rejected) rejected += n;
  // Every layout of the space is either timed (fits) or rejected for a reason.
  EXPECT_EQ(r->feasible + rejected, r->space_size);
  EXPECT_GT(r->rejected[kRejectModelStates], 0);
  for (size_t i = 1; i < r->best.size(); ++i) {
    EXPECT_LE(r->best[i - 1].time.step_time_s, r->best[i].time.step_time_s);
  }
  for (const ScoredLayout& s : r->best) {
    EXPECT_EQ(s.layout.gpus(), 4096);
    EXPECT_LE(s.memory.total_bytes, ctx.cluster.usable_hbm_bytes());
  }
}

TEST(SearchTest, DeterministicAcrossThreadCounts) {
  const StepContext ctx = Gpt3(512);
  SearchOptions one{10, 1, nullptr};
  SearchOptions three{10, 3, nullptr};
  auto a = SearchLayouts(ctx, 256, {}, one);
  auto b = SearchLayouts(ctx, 256, {}, three);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->space_size, b->space_size);
  EXPECT_EQ(a->feasible, b->feasible);
  EXPECT_EQ(a->rejected, b->rejected);
  ASSERT_EQ(a->best.size(), b->best.size());
  for (size_t i = 0; i < a->best.size(); ++i) {
    EXPECT_EQ(a->best[i].index, b->best[i].index);
    EXPECT_EQ(a->best[i].time.step_time_s, b->best[i].time.step_time_s);
  }
}

TEST(SearchTest, FixedFlagsAreConstraints) {
  const StepContext ctx = Gpt3(64);
  SearchConstraints c;
  c.tp = 8;
  c.pp = 8;
  auto r = SearchLayouts(ctx, 64, c, SearchOptions{3, 1, nullptr});
  ASSERT_TRUE(r.ok());
  for (const ScoredLayout& s : r->best) {
    EXPECT_EQ(s.layout.tp, 8);
    EXPECT_EQ(s.layout.pp, 8);
    EXPECT_EQ(s.layout.dp, 1);
  }
  // Everything fixed: one layout.
  c.dp = 1;
  c.cp = 1;
  c.vpp = 1;
  c.micro_batch = 1;
  c.zero_stage = 0;
  c.recompute = RECOMPUTE_SELECTIVE;
  c.offload = OFFLOAD_NONE;
  c.sequence_parallel = true;
  c.flash_attention = false;
  c.tp_overlap = false;
  c.dp_overlap = true;
  c.pp_inside_dp = false;
  r = SearchLayouts(ctx, 64, c, SearchOptions{3, 1, nullptr});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->space_size, 1);
  ASSERT_EQ(r->best.size(), 1u);
}

TEST(SearchTest, ContradictoryFlagsAreInvalidArgument) {
  const StepContext ctx = Gpt3(64);
  struct Case {
    SearchConstraints c;
    const char* message;
  };
  std::vector<Case> cases(5);
  cases[0].c.tp = 5;
  cases[0].message = "--tp=5 must divide model.num_heads=96";
  cases[1].c.pp = 7;
  cases[1].message = "--pp=7 must divide model.num_layers=96";
  cases[2].c.tp = 8;
  cases[2].c.pp = 16;
  cases[2].message = "must divide --gpus=64";
  cases[3].c.zero_stage = 5;
  cases[3].message = "--zero=5 must be 0, 1, 2 or 3";
  cases[4].c.dp = 3;
  cases[4].message = "must divide --gpus=64";
  for (const Case& c : cases) {
    const absl::Status s =
        SearchLayouts(ctx, 64, c.c, SearchOptions{}).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.message));
  }
}

// GPT-3 175B on one 8-GPU node without offload: nothing fits, a result, not an
// error.
TEST(SearchTest, NothingFitsIsAResult) {
  const StepContext ctx = Gpt3(64);
  SearchConstraints c;
  c.offload = OFFLOAD_NONE;
  auto r = SearchLayouts(ctx, 8, c, SearchOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->best.empty());
  EXPECT_EQ(r->feasible, 0);
  EXPECT_GT(r->space_size, 0);
  EXPECT_GT(r->rejected[kRejectModelStates], 0);
}

// The lower bound never prunes a layout that fits: pruned layouts exceed memory
// anyway.
TEST(SearchTest, PruningBoundIsSound) {
  const StepContext ctx = Gpt3(1536);
  for (int zero : {0, 1, 2, 3}) {
    for (int64_t tp : {1, 8}) {
      ParallelLayout l;
      l.tp = tp;
      l.pp = 4;
      l.dp = 64 / tp;
      l.zero_stage = zero;
      EXPECT_LE(ModelStatesBytes(ctx, l),
                EstimateRankMemory(ctx, l).total_bytes);
    }
  }
}

}  // namespace
}  // namespace memwall

namespace memwall {
namespace {

// With planner/memory's evaluator set, it decides fit: every layout the search
// keeps fits by the evaluator, and the layouts it rejects for activations are
// exactly those the evaluator says do not fit (counted over a small space).
TEST(SearchTest, MemoryEvaluatorDecidesFit) {
  TrainingSpec training;
  training.set_global_batch(64);
  training.set_seq_len(2048);
  training.set_dtype(BF16);
  training.set_optimizer(ADAM);
  const ClusterSpec cluster = LoadCluster("dgx-a100-80g").value();
  const ModelSpec model = LoadModel("gpt3-175b").value();
  const StepContext ctx =
      MakeStepContext(ShapeFromModel(model, 2048).value(),
                      ClusterParamsFromSpec(cluster, BF16).value(), training)
          .value();
  auto evaluator = std::make_shared<const MemoryEvaluator>(
      MemoryEvaluator::Create(model, training, PROFILE_MEMWALL, &cluster)
          .value());
  SearchConstraints c;
  c.tp = 8;
  c.pp = 8;
  SearchOptions options{1000, 1, evaluator};
  auto r = SearchLayouts(ctx, 64, c, options);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_FALSE(r->best.empty());
  for (const ScoredLayout& s : r->best) {
    EXPECT_TRUE(evaluator->EvaluatePeak(s.layout).fits);
  }
  auto closed_form = SearchLayouts(ctx, 64, c, SearchOptions{1000, 1, nullptr});
  ASSERT_TRUE(closed_form.ok());
  EXPECT_EQ(r->evaluated, closed_form->evaluated);
  EXPECT_EQ(r->feasible + r->rejected[kRejectActivations],
            closed_form->feasible + closed_form->rejected[kRejectActivations]);
}

}  // namespace
}  // namespace memwall
