// `fit`: fewest GPUs and single-change fixes.
#include "planner/search/fit.h"

#include <gtest/gtest.h>

#include "planner/model/zoo.h"

namespace memwall {
namespace {

StepContext Gpt3() {
  TrainingSpec training;
  training.set_global_batch(1536);
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

// Without offload, 175B x 18 bytes = 3.1 TB of model states need at least 40
// GPUs of 80 GiB even fully sharded, so 5 nodes is a lower bound; the answer
// fits and one node less does not.
TEST(FitTest, MinimumGpusWithoutOffload) {
  const StepContext ctx = Gpt3();
  SearchConstraints c;
  c.offload = OFFLOAD_NONE;
  auto r = MinimumGpus(ctx, 8, 64, c, SearchOptions{1, 2, nullptr});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_GT(r->gpus, 0);
  EXPECT_GE(r->gpus, 40);
  ASSERT_FALSE(r->search.best.empty());
  auto below = SearchLayouts(ctx, r->gpus - 8, c, SearchOptions{1, 2, nullptr});
  ASSERT_TRUE(below.ok());
  EXPECT_TRUE(below->best.empty());
}

TEST(FitTest, SingleChangesFit) {
  const StepContext ctx = Gpt3();
  SearchConstraints c;
  c.tp = 8;
  c.pp = 8;
  auto given = GivenLayout(ctx, 256, c);
  ASSERT_TRUE(given.ok()) << given.status();
  EXPECT_EQ(given->dp, 4);
  EXPECT_GT(EstimateRankMemory(ctx, *given).total_bytes,
            ctx.cluster.usable_hbm_bytes());
  const std::vector<LayoutFix> fixes = SingleChangeFixes(ctx, *given);
  ASSERT_FALSE(fixes.empty());
  for (const LayoutFix& f : fixes) {
    EXPECT_LE(f.memory.total_bytes, ctx.cluster.usable_hbm_bytes()) << f.change;
  }
}

}  // namespace
}  // namespace memwall
