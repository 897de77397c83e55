// Collective times against the alpha-beta formulas of Thakur et al. 2005 and
// the two-level formula (collectives reference, Sec. 2.3), computed by hand.
#include "planner/timing/collective_time.h"

#include <gtest/gtest.h>

namespace memwall {
namespace {

ClusterParams TwoLevel() {
  ClusterParams c;
  c.gpus_per_node = 8;
  c.intra_bandwidth_bytes_per_s = 200e9;
  c.intra_latency_s = 1e-5;
  c.inter_bandwidth_bytes_per_s = 20e9;
  c.inter_latency_s = 2e-5;
  c.network_efficiency = 1.0;
  return c;
}

TEST(CollectiveTimeTest, PlacementFollowsRankOrder) {
  EXPECT_EQ(PlaceGroup(8, 1, 8).per_node, 8);   // TP inside a node
  EXPECT_EQ(PlaceGroup(32, 8, 8).per_node, 1);  // DP across nodes after TP 8
  EXPECT_EQ(PlaceGroup(16, 2, 8).per_node, 4);
  EXPECT_EQ(PlaceGroup(16, 2, 8).nodes(), 4);
}

// Ring all-reduce in one node: 2(p-1)alpha + 2(p-1)/p S/B.
TEST(CollectiveTimeTest, RingAllReduceInsideNode) {
  const ClusterParams c = TwoLevel();
  const double s = 1e9;
  EXPECT_NEAR(AllReduceTime(c, PlaceGroup(8, 1, 8), s),
              14 * 1e-5 + 2 * 7.0 / 8 * s / 200e9, 1e-12);
  EXPECT_NEAR(AllGatherTime(c, PlaceGroup(8, 1, 8), s),
              7 * 1e-5 + 7.0 / 8 * s / 200e9, 1e-12);
  EXPECT_EQ(AllReduceTime(c, PlaceGroup(1, 1, 8), s), 0.0);
}

// One rank per node: flat ring over the NICs, (p-1)/p S/B_out per phase.
TEST(CollectiveTimeTest, OneRankPerNodeUsesInterNodeRing) {
  const ClusterParams c = TwoLevel();
  const double s = 4e9;
  EXPECT_NEAR(AllReduceTime(c, PlaceGroup(4, 8, 8), s),
              2 * (3 * 2e-5 + 0.75 * s / 20e9), 1e-12);
}

// 2 nodes x 8 ranks: the two-level phase 7/8 S/B_in + (1/2)(S/8)/B_out (+
// latencies) against the flat ring (15/16) S/(8 B_out) over the node's 8 NICs;
// the faster is taken.
TEST(CollectiveTimeTest, HierarchicalAcrossNodes) {
  ClusterParams c = TwoLevel();
  const double s = 8e9;
  const double flat = 15 * 2e-5 + 15.0 / 16 * s / (8 * 20e9);  // 0.04718 s
  // B_in = 200 GB/s: 0.06009 s, the flat ring wins.
  const double hier_slow =
      7 * 1e-5 + 7.0 / 8 * s / 200e9 + 1 * 2e-5 + 0.5 * (s / 8) / 20e9;
  EXPECT_NEAR(ReduceScatterTime(c, PlaceGroup(16, 1, 8), s), flat, 1e-12);
  EXPECT_GT(hier_slow, flat);
  // B_in = 1 TB/s: 0.03209 s, the two-level algorithm wins.
  c.intra_bandwidth_bytes_per_s = 1e12;
  const double hier_fast =
      7 * 1e-5 + 7.0 / 8 * s / 1e12 + 1 * 2e-5 + 0.5 * (s / 8) / 20e9;
  EXPECT_NEAR(ReduceScatterTime(c, PlaceGroup(16, 1, 8), s), hier_fast, 1e-12);
  EXPECT_LT(hier_fast, flat);
}

TEST(CollectiveTimeTest, AllToAllAndSendRecv) {
  const ClusterParams c = TwoLevel();
  // 16 ranks on 2 nodes: half of the data crosses nodes.
  EXPECT_NEAR(AllToAllTime(c, PlaceGroup(16, 1, 8), 1e9),
              15 * 2e-5 + 0.5 * 1e9 / 20e9, 1e-12);
  EXPECT_NEAR(SendRecvTime(c, true, 1e8), 2e-5 + 1e8 / 20e9, 1e-15);
  EXPECT_NEAR(SendRecvTime(c, false, 1e8), 1e-5 + 1e8 / 200e9, 1e-15);
}

}  // namespace
}  // namespace memwall
