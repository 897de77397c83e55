#include "planner/comm/placement.h"

#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/comm/network_model.h"
#include "tests/comm/test_clusters.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::StatusIs;
using ::testing::HasSubstr;

struct SpanCase {
  int64_t size;
  int64_t stride;
  int64_t members_in_node;
  int top_level;
};

TEST(SpanOfTest, GroupsOnEightGpuNodes) {
  MEMWALL_ASSERT_OK_AND_ASSIGN(
      const NetworkModel net,
      BuildNetworkModel(
          ::memwall::testing::TwoLevelCluster(8, 2e11, 1e-6, 2e10, 5e-6)));
  const SpanCase cases[] = {
      {1, 1, 1, -1},  // a group of one: no traffic
      {8, 1, 8, 0},   // TP inside the node
      {4, 2, 4, 0},   // stride 2: ranks 0,2,4,6
      {16, 8, 1, 1},  // DP across 16 nodes, one GPU each
      {16, 2, 4, 1},  // 4 per node over 4 nodes
      {16, 1, 8, 1},  // two whole nodes
      {4, 16, 1, 1},  // PP stages two nodes apart
  };
  for (const SpanCase& c : cases) {
    const GroupSpan span = SpanOf(net, GroupShape{c.size, c.stride});
    EXPECT_EQ(span.members_per_domain[0], c.members_in_node)
        << c.size << "/" << c.stride;
    EXPECT_EQ(span.top_level, c.top_level) << c.size << "/" << c.stride;
    if (c.size > 1) {
      EXPECT_EQ(span.members_per_domain[1], c.size);
    }
  }
}

TEST(RankOrderTest, DefaultIsMegatronOrder) {
  MEMWALL_ASSERT_OK_AND_ASSIGN(const RankOrder order, ParseRankOrder(""));
  GridSizes sizes;
  sizes[ParallelDim::kTp] = 8;
  sizes[ParallelDim::kCp] = 2;
  sizes[ParallelDim::kEp] = 2;
  sizes[ParallelDim::kDp] = 4;
  sizes[ParallelDim::kPp] = 4;
  struct Case {
    ParallelDim dim;
    int64_t size;
    int64_t stride;
  };
  const Case cases[] = {{ParallelDim::kTp, 8, 1},
                        {ParallelDim::kCp, 2, 8},
                        {ParallelDim::kEp, 2, 16},
                        {ParallelDim::kDp, 4, 32},
                        {ParallelDim::kPp, 4, 128}};
  for (const Case& c : cases) {
    const GroupShape g = GroupOf(order, sizes, c.dim);
    EXPECT_EQ(g.size, c.size);
    EXPECT_EQ(g.stride, c.stride);
  }
}

TEST(RankOrderTest, CustomOrderAndErrors) {
  MEMWALL_ASSERT_OK_AND_ASSIGN(const RankOrder order,
                               ParseRankOrder("tp-dp-cp-ep-pp"));
  GridSizes sizes;
  sizes[ParallelDim::kTp] = 4;
  sizes[ParallelDim::kDp] = 16;
  EXPECT_EQ(GroupOf(order, sizes, ParallelDim::kDp).stride, 4);
  EXPECT_EQ(GroupOf(order, sizes, ParallelDim::kPp).stride, 64);
  EXPECT_THAT(ParseRankOrder("tp-dp"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("layout.order=tp-dp")));
  EXPECT_THAT(ParseRankOrder("tp-tp-cp-ep-pp"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'tp'")));
}

}  // namespace
}  // namespace memwall
