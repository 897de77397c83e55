// `fit`: fewest GPUs and single-change fixes.
#include "planner/search/fit.h"

#include <gtest/gtest.h>

#include "tests/search/gpt3_setup.h"

namespace memwall {
namespace {

// Without offload, 175B x 18 bytes = 3.1 TB of model states need at least 40
// GPUs of 80 GiB even fully sharded, so 5 nodes is a lower bound; the answer
// fits and one node less does not.
TEST(FitTest, MinimumGpusWithoutOffload) {
  const Gpt3Setup g = MakeGpt3Setup(1536);
  SearchConstraints c;
  c.offload = OFFLOAD_NONE;
  auto r = MinimumGpus(g.ctx, 8, 64, c, g.Options(1, 2));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_GT(r->gpus, 0);
  EXPECT_GE(r->gpus, 40);
  ASSERT_FALSE(r->search.best.empty());
  auto below = SearchLayouts(g.ctx, r->gpus - 8, c, g.Options(1, 2));
  ASSERT_TRUE(below.ok());
  EXPECT_TRUE(below->best.empty());
}

TEST(FitTest, SingleChangesFit) {
  const Gpt3Setup g = MakeGpt3Setup(1536);
  SearchConstraints c;
  c.tp = 8;
  c.pp = 8;
  auto given = GivenLayout(g.ctx, 256, c);
  ASSERT_TRUE(given.ok()) << given.status();
  EXPECT_EQ(given->dp, 4);
  EXPECT_FALSE(g.memory->EvaluatePeak(*given).fits);
  const std::vector<LayoutFix> fixes =
      SingleChangeFixes(g.ctx, *g.memory, *given);
  ASSERT_FALSE(fixes.empty());
  for (const LayoutFix& f : fixes) {
    EXPECT_TRUE(f.memory.fits) << f.change;
    EXPECT_EQ(f.memory.peak_bytes, g.memory->Evaluate(f.layout).peak_bytes)
        << f.change;
  }
}

}  // namespace
}  // namespace memwall
