#include "planner/comm/layout_groups.h"

#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::StatusIs;
using ::testing::HasSubstr;

// Megatron-LM order tp-cp-ep-dp-pp; a 4096-GPU layout tp 8, cp 2, dp 32 (ep 4),
// pp 8: strides 1, 8, 16 (ep), 64 (dp/ep), 512 (pp), worked out by hand.
TEST(GroupsOfTest, MegatronOrder) {
  ParallelLayout layout;
  layout.tp = 8;
  layout.cp = 2;
  layout.dp = 32;
  layout.ep = 4;
  layout.pp = 8;
  MEMWALL_ASSERT_OK_AND_ASSIGN(const RankOrder order, ParseRankOrder(""));
  MEMWALL_ASSERT_OK_AND_ASSIGN(const LayoutGroups g, GroupsOf(layout, order));
  struct Case {
    const char* name;
    GroupShape got;
    int64_t size;
    int64_t stride;
  };
  for (const Case& c :
       {Case{"tp", g.tp, 8, 1}, Case{"cp", g.cp, 2, 8}, Case{"ep", g.ep, 4, 16},
        Case{"expert_dp", g.expert_dp, 8, 64}, Case{"dp", g.dp, 32, 16},
        Case{"pp", g.pp, 8, 512}}) {
    EXPECT_EQ(c.got.size, c.size) << c.name;
    EXPECT_EQ(c.got.stride, c.stride) << c.name;
  }
}

TEST(GroupsOfTest, Errors) {
  ParallelLayout layout;
  layout.dp = 6;
  layout.ep = 4;
  MEMWALL_ASSERT_OK_AND_ASSIGN(const RankOrder order, ParseRankOrder(""));
  EXPECT_THAT(GroupsOf(layout, order),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("layout.ep=4 must divide layout.dp=6")));
  layout.dp = 8;
  layout.ep = 2;
  MEMWALL_ASSERT_OK_AND_ASSIGN(const RankOrder split,
                               ParseRankOrder("ep-tp-cp-dp-pp"));
  EXPECT_THAT(
      GroupsOf(layout, split),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("adjacent")));
}

}  // namespace
}  // namespace memwall
