#include "planner/layout/layout_groups.h"

#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::StatusIs;
using ::testing::HasSubstr;

// Megatron-LM order tp-cp-ep-dp-pp; a 4096-GPU layout tp 8, cp 2, dp 32,
// pp 8 with ep 4 (etp = tp = 8). Worked out by hand from Megatron-LM core's
// RankGenerator: the dense grid tp x cp x dp x pp has strides 1, 8, 16, 512
// and DP x CP is 64 ranks 8 apart; the expert grid etp x ep x edp x pp
// (edp = 32 x 8 x 2 / (4 x 8) = 16) has strides 1, 8, 32, 512.
TEST(GroupsOfTest, MegatronOrder) {
  ParallelLayout layout;
  layout.tp = 8;
  layout.cp = 2;
  layout.dp = 32;
  layout.ep = 4;
  layout.pp = 8;
  MEMWALL_ASSERT_OK_AND_ASSIGN(const RankOrder order, ParseRankOrder(""));
  ASSERT_TRUE(CheckOrder(layout, order).ok());
  const LayoutGroups g = GroupsOf(layout, order);
  struct Case {
    const char* name;
    GroupShape got;
    int64_t size;
    int64_t stride;
  };
  for (const Case& c :
       {Case{"tp", g.tp, 8, 1}, Case{"cp", g.cp, 2, 8},
        Case{"dp", g.dp, 32, 16}, Case{"dp_cp", g.dp_cp, 64, 8},
        Case{"pp", g.pp, 8, 512}, Case{"etp", g.etp, 8, 1},
        Case{"ep", g.ep, 4, 8}, Case{"expert_dp", g.expert_dp, 16, 32}}) {
    EXPECT_EQ(c.got.size, c.size) << c.name;
    EXPECT_EQ(c.got.stride, c.stride) << c.name;
  }
}

// PP inside DP (tp-cp-ep-pp-dp): pipeline neighbours tp x cp apart, DP
// replicas tp x cp x pp apart.
TEST(GroupsOfTest, PipelineInsideDataParallel) {
  ParallelLayout layout;
  layout.tp = 4;
  layout.dp = 8;
  layout.pp = 2;
  const LayoutGroups g = GroupsOf(layout, ScheduleOrder(true));
  EXPECT_EQ(g.pp.stride, 4);
  EXPECT_EQ(g.dp.stride, 8);
  EXPECT_EQ(g.dp_cp.size, 8);
  EXPECT_EQ(g.dp_cp.stride, 8);
}

TEST(GroupsOfTest, ContextAndDataParallelMustBeAdjacent) {
  ParallelLayout layout;
  layout.dp = 4;
  layout.cp = 2;
  layout.pp = 2;
  EXPECT_THAT(CheckOrder(layout, ScheduleOrder(true)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--pp_inside_dp needs --cp=1")));
  EXPECT_TRUE(CheckOrder(layout, ScheduleOrder(false)).ok());
  // A size-1 dimension between them does not separate them.
  MEMWALL_ASSERT_OK_AND_ASSIGN(const RankOrder order,
                               ParseRankOrder("tp-cp-pp-dp-ep"));
  layout.pp = 1;
  EXPECT_TRUE(CheckOrder(layout, order).ok());
}

}  // namespace
}  // namespace memwall
