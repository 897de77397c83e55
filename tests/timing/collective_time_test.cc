// The step-time model's collective times are planner/comm's CollectiveTime,
// memoized: every call, hit or miss, returns exactly what planner/comm
// computes for the same cluster, op, group and size.
#include "planner/timing/collective_time.h"

#include <gtest/gtest.h>

#include "planner/comm/cost.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

ClusterParams Dgx(double inter_bytes_per_s) {
  ClusterSpec spec = LoadCluster("dgx-a100-80g").value();
  if (inter_bytes_per_s > 0)
    spec.mutable_levels(1)->set_bandwidth_bytes_per_s(inter_bytes_per_s);
  return ClusterParamsFromSpec(spec, BF16).value();
}

TEST(CollectiveTimeTest, EqualsPlannerCommOnHitsAndMisses) {
  const ClusterParams c = Dgx(0);
  ASSERT_NE(c.id, 0u);
  for (int pass = 0; pass < 3; ++pass) {  // pass 0 fills the cache
    for (Collective op : {Collective::kAllReduce, Collective::kAllGather,
                          Collective::kReduceScatter, Collective::kAllToAll,
                          Collective::kSendRecv}) {
      for (int64_t size : {2, 4, 8, 16, 64, 512}) {
        for (int64_t stride : {1, 2, 8, 64}) {
          for (double bytes : {0.0, 1e3, 3.2e6, 7e8, 3.5e11}) {
            const GroupShape g{op == Collective::kSendRecv ? 2 : size, stride};
            EXPECT_EQ(CommTime(c, op, g, bytes),
                      CollectiveTime(c.network, op, bytes, g).time_s)
                << CollectiveName(op) << " size " << g.size << " stride "
                << stride << " bytes " << bytes;
          }
        }
      }
    }
  }
}

// Two clusters that differ only in inter-node bandwidth never share entries.
TEST(CollectiveTimeTest, ClustersDoNotShareCacheEntries) {
  const ClusterParams fast = Dgx(0);
  const ClusterParams slow = Dgx(1e9);
  const GroupShape g{64, 8};
  const double f = AllReduceTime(fast, g, 1e9);
  const double s = AllReduceTime(slow, g, 1e9);
  EXPECT_GT(s, f);
  EXPECT_EQ(AllReduceTime(fast, g, 1e9), f);
  EXPECT_EQ(
      s, CollectiveTime(slow.network, Collective::kAllReduce, 1e9, g).time_s);
}

TEST(CollectiveTimeTest, GroupOfOneAndUncachedParams) {
  ClusterParams c = Dgx(0);
  EXPECT_EQ(AllReduceTime(c, GroupShape{1, 1}, 1e9), 0.0);
  c.id = 0;  // edited by hand: computed directly
  c.network.levels[1].bandwidth_bytes_per_s /= 2;
  const GroupShape g{16, 8};
  EXPECT_EQ(
      ReduceScatterTime(c, g, 1e9),
      CollectiveTime(c.network, Collective::kReduceScatter, 1e9, g).time_s);
}

// A message between ranks a node apart crosses the inter-node level and is
// slower than one inside a node.
TEST(CollectiveTimeTest, SendRecvAcrossNodesIsSlower) {
  const ClusterParams c = Dgx(0);
  EXPECT_GT(SendRecvTime(c, 8, 1e8), SendRecvTime(c, 1, 1e8));
}

}  // namespace
}  // namespace memwall
