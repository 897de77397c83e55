// Group placement as Megatron-LM's initialize_model_parallel builds TP
// (contiguous) and DP (strided) groups; cases worked by hand.
#include "runtime/groups.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace memwall::runtime {
namespace {

using ::testing::ElementsAre;

TEST(GroupsTest, ContiguousGroupsForTensorParallel) {
  const GroupPlacement p = *PlaceInGroup(8, 5, 2, 1);
  EXPECT_EQ(p.group, 2);
  EXPECT_EQ(p.position, 1);
  EXPECT_EQ(p.num_groups, 4);
  EXPECT_THAT(GroupMembers(8, 3, 2, 1), ElementsAre(6, 7));
}

TEST(GroupsTest, StridedGroupsForDataParallel) {
  // 8 ranks, TP 2: the DP groups are {0,2,4,6} and {1,3,5,7}.
  EXPECT_THAT(GroupMembers(8, 0, 4, 2), ElementsAre(0, 2, 4, 6));
  EXPECT_THAT(GroupMembers(8, 1, 4, 2), ElementsAre(1, 3, 5, 7));
  EXPECT_EQ(PlaceInGroup(8, 6, 4, 2)->position, 3);
  // 16 ranks, TP 4, DP groups of 2 within blocks of 8: rank 8 is with 12.
  EXPECT_THAT(GroupMembers(16, 4, 2, 4), ElementsAre(8, 12));
}

TEST(GroupsTest, RejectsShapesThatDoNotTile) {
  const auto bad = PlaceInGroup(4, 0, 3, 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("--group_size=3"),
            absl::string_view::npos);
  EXPECT_FALSE(PlaceInGroup(8, 0, 4, 4).ok());  // 16 > 8
  EXPECT_FALSE(PlaceInGroup(8, 0, 0, 1).ok());
}

}  // namespace
}  // namespace memwall::runtime
