// The pipeline's layer split: StageLayers and its closed-form summary.
#include "planner/model/stage_split.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace memwall {
namespace {

// planner/model's split puts the short stages at the ends: 126 layers over 16
// stages are 7, 8 x 14, 7; over 32 stages 3, 4 x 30, 3.
TEST(StageSplitTest, PacingStagesFollowTheSplit) {
  const PipelineStages a = PacingStages(126, 16);
  EXPECT_EQ(a.first, 7);
  EXPECT_EQ(a.last, 7);
  EXPECT_EQ(a.longest, 8);
  const PipelineStages b = PacingStages(126, 32);
  EXPECT_EQ(b.first, 3);
  EXPECT_EQ(b.last, 3);
  EXPECT_EQ(b.longest, 4);
  const PipelineStages c = PacingStages(96, 8);
  EXPECT_EQ(c.first, 12);
  EXPECT_EQ(c.last, 12);
  EXPECT_EQ(c.longest, 12);
  // The closed form agrees with StageLayers everywhere.
  for (int64_t layers = 1; layers <= 130; ++layers) {
    for (int64_t pp = 1; pp <= layers && pp <= 64; ++pp) {
      const PipelineStages s = PacingStages(layers, pp);
      int64_t longest = 0;
      for (int64_t i = 0; i < pp; ++i) {
        longest = std::max(longest, StageLayers(layers, pp, i).count);
      }
      ASSERT_EQ(s.first, StageLayers(layers, pp, 0).count)
          << layers << "/" << pp;
      ASSERT_EQ(s.last, StageLayers(layers, pp, pp - 1).count)
          << layers << "/" << pp;
      ASSERT_EQ(s.longest, longest) << layers << "/" << pp;
    }
  }
}

}  // namespace
}  // namespace memwall
