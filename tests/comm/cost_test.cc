// The alpha-beta formulas on small clusters whose results are worked out by
// hand. Sources: Hockney model and per-algorithm costs (Thakur, Rabenseifner &
// Gropp, IJHPCA 2005; Chan et al., CCPE 2007); busbw conventions (nccl-tests
// doc/PERFORMANCE.md); protocol latencies and bandwidth factors (nccl
// src/graph/tuning.cc).
#include "planner/comm/cost.h"

#include <cmath>

#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/comm/network_model.h"
#include "tests/comm/test_clusters.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::StatusIs;
using ::memwall::testing::TwoLevelCluster;
using ::testing::HasSubstr;

NetworkModel Build(const ClusterSpec& cluster) {
  absl::StatusOr<NetworkModel> net = BuildNetworkModel(cluster);
  EXPECT_TRUE(net.ok()) << net.status();
  return *net;
}

// One node of 4 GPUs at 100 GB/s, 3.4 us per step (Simple). Ring all-reduce of
// S over n = 4:
//   LL:     6.6 + 6 x 0.6 us + 1.5 S / 50 GB/s
//   LL128:  14 + 6 x 1.9 us + 1.5 S / 92 GB/s
//   Simple: 8.4 + 6 x 3.4 us + 1.5 S / 100 GB/s
// S = 1e6: LL 40.2 us, LL128 41.704 us, Simple 43.8 us -> LL (hand
// computation). S = 1e8: Simple 1528.8 us.
TEST(CollectiveTimeTest, RingPicksTheFastestProtocol) {
  ClusterSpec cluster = TwoLevelCluster(4, 100e9, 3.4e-6, 10e9, 14e-6);
  const NetworkModel net = Build(cluster);
  const CollectiveCost small = CollectiveTime(
      net, Collective::kAllReduce, 1e6, GroupShape{4, 1}, Algorithm::kRing);
  EXPECT_EQ(small.protocol, Protocol::kLL);
  EXPECT_NEAR(small.time_s, 40.2e-6, 1e-10);
  const CollectiveCost large = CollectiveTime(
      net, Collective::kAllReduce, 1e8, GroupShape{4, 1}, Algorithm::kRing);
  EXPECT_EQ(large.protocol, Protocol::kSimple);
  EXPECT_NEAR(large.time_s, 1528.8e-6, 1e-9);
  EXPECT_NEAR(large.algbw_bytes_per_s, 1e8 / 1528.8e-6, 1);
  EXPECT_NEAR(large.busbw_bytes_per_s, 1.5 * 1e8 / 1528.8e-6, 1);
  EXPECT_EQ(large.bottleneck_level, 0);
  // Auto agrees: tree is slower on one node (half the bandwidth), NVLS is
  // absent.
  const CollectiveCost best =
      CollectiveTime(net, Collective::kAllReduce, 1e8, GroupShape{4, 1});
  EXPECT_EQ(best.algorithm, Algorithm::kRing);
  EXPECT_DOUBLE_EQ(best.time_s, large.time_s);
}

// Ring busbw does not depend on n (nccl-tests doc/PERFORMANCE.md): one GPU per
// node, every rank on its own 10 GB/s link, no latency, so busbw = 10 GB/s for
// any n (up to the 8.4 us base latency of the Simple protocol, < 1e-4 of 1 s).
TEST(CollectiveTimeTest, RingBusBwIndependentOfGroupSize) {
  const NetworkModel net = Build(TwoLevelCluster(1, 100e9, 0, 10e9, 0));
  for (Collective op : {Collective::kAllReduce, Collective::kAllGather,
                        Collective::kReduceScatter, Collective::kBroadcast}) {
    for (int64_t n : {2, 3, 4, 8, 64, 1000}) {
      const CollectiveCost cost =
          CollectiveTime(net, op, 1e10, GroupShape{n, 1}, Algorithm::kRing);
      EXPECT_NEAR(cost.busbw_bytes_per_s / 10e9, 1.0, 1e-4)
          << CollectiveName(op) << " n=" << n;
      EXPECT_EQ(cost.bottleneck_level, 1);
    }
  }
}

// Flat ring vs hierarchical all-reduce with B_in >> B_out: the inter-node terms
// are 2(p-1)/p S/(q B_out) and 2(N-1)/N (S/q)/B_out, whose ratio is
// (p-1)/(q(N-1)) (Thakur et al. 2005 for the ring; the two-level decomposition
// as in NCCL's NVLS-Tree and Open MPI's HAN): 15/8 for q = 8, N = 2; 31/24 for
// N = 4; 127/120 for N = 16 (tends to 1).
TEST(CollectiveTimeTest, HierarchicalVersusFlatRatio) {
  const NetworkModel net = Build(TwoLevelCluster(8, 1e18, 0, 10e9, 0));
  struct Case {
    int64_t nodes;
    double ratio;
  };
  for (const Case& c :
       {Case{2, 15.0 / 8}, Case{4, 31.0 / 24}, Case{16, 127.0 / 120}}) {
    const GroupShape group{8 * c.nodes, 1};
    const double flat = CollectiveTime(net, Collective::kAllReduce, 1e11, group,
                                       Algorithm::kRing)
                            .time_s;
    const double hier = CollectiveTime(net, Collective::kAllReduce, 1e11, group,
                                       Algorithm::kHierarchical)
                            .time_s;
    EXPECT_NEAR(flat / hier, c.ratio, 1e-4) << c.nodes << " nodes";
  }
}

// busbw of a hierarchical all-reduce exceeds the per-GPU link rate: with q = 8,
// N = 2 and a free intra-node level it is 2(p-1)/p S / ((S/q)/B_out) = 15/16 x
// 2 x 8 x B_out... per rank it is (p-1)/(q(N-1)) = 15/8 of the flat ring, whose
// busbw is q B_out.
TEST(CollectiveTimeTest, FlatRingAcrossNodesUsesEveryNic) {
  const NetworkModel net = Build(TwoLevelCluster(8, 1e18, 0, 10e9, 0));
  const CollectiveCost ring = CollectiveTime(
      net, Collective::kAllReduce, 1e11, GroupShape{16, 1}, Algorithm::kRing);
  EXPECT_NEAR(ring.busbw_bytes_per_s / 80e9, 1.0,
              1e-4);  // q x B_out = 8 x 10 GB/s
  EXPECT_EQ(ring.bottleneck_level, 1);
}

// All-to-all: each rank sends (n - m0)/n of S across nodes on its own link;
// with 16 ranks, 8 per node, at 10 GB/s the time is 0.5 S / 10 GB/s and busbw =
// 15/16 x 20 GB/s.
TEST(CollectiveTimeTest, AllToAllCrossNodeShare) {
  const NetworkModel net = Build(TwoLevelCluster(8, 1e18, 0, 10e9, 0));
  const CollectiveCost cost =
      CollectiveTime(net, Collective::kAllToAll, 1e11, GroupShape{16, 1});
  EXPECT_EQ(cost.algorithm, Algorithm::kDirect);
  EXPECT_NEAR(cost.busbw_bytes_per_s / (15.0 / 16 * 20e9), 1.0, 1e-4);
}

TEST(CollectiveTimeTest, SendRecvAcrossNodesRunsAtTheLink) {
  const NetworkModel net = Build(TwoLevelCluster(8, 1e18, 0, 10e9, 0));
  const CollectiveCost cost =
      CollectiveTime(net, Collective::kSendRecv, 1e11, GroupShape{2, 8});
  EXPECT_NEAR(cost.busbw_bytes_per_s / 10e9, 1.0, 1e-4);
  EXPECT_EQ(cost.bottleneck_level, 1);
}

TEST(CollectiveTimeTest, OversubscriptionDividesBandwidth) {
  ClusterSpec cluster = TwoLevelCluster(1, 100e9, 0, 10e9, 0);
  cluster.mutable_levels(1)->set_oversubscription(2);
  const CollectiveCost cost =
      CollectiveTime(Build(cluster), Collective::kAllGather, 1e10,
                     GroupShape{8, 1}, Algorithm::kRing);
  EXPECT_NEAR(cost.busbw_bytes_per_s / 5e9, 1.0, 1e-4);
}

TEST(CollectiveTimeTest, GroupOfOneCostsNothing) {
  const NetworkModel net = Build(TwoLevelCluster(8, 1e11, 1e-6, 1e10, 1e-5));
  const CollectiveCost cost =
      CollectiveTime(net, Collective::kAllReduce, 1e9, GroupShape{1, 1});
  EXPECT_EQ(cost.time_s, 0);
  EXPECT_EQ(cost.bottleneck_level, -1);
}

TEST(CollectiveTimeTest, NoOverflowOnHugeGroupsAndBuffers) {
  const NetworkModel net = Build(TwoLevelCluster(8, 1e11, 1e-6, 1e10, 1e-5));
  const CollectiveCost cost =
      CollectiveTime(net, Collective::kAllReduce, 4e12, GroupShape{1 << 20, 1});
  EXPECT_TRUE(std::isfinite(cost.time_s));
  EXPECT_GT(cost.time_s, 4e12 / 80e9);
}

TEST(CheckedCollectiveTimeTest, RejectsBadInput) {
  const NetworkModel net = Build(TwoLevelCluster(8, 1e11, 1e-6, 1e10, 1e-5));
  EXPECT_THAT(
      CheckedCollectiveTime(net, Collective::kAllReduce, -1, GroupShape{8, 1}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bytes=-1")));
  EXPECT_THAT(
      CheckedCollectiveTime(net, Collective::kAllReduce, 1, GroupShape{0, 1}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("group_size=0")));
  EXPECT_THAT(
      CheckedCollectiveTime(net, Collective::kAllReduce, 1, GroupShape{8, 0}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("group_stride=0")));
  EXPECT_THAT(CheckedCollectiveTime(net, Collective::kAllReduce, 1,
                                    GroupShape{8, 1}, Algorithm::kNvls),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("algorithm=nvls does not apply")));
  EXPECT_THAT(CheckedCollectiveTime(net, Collective::kAllGather, 1,
                                    GroupShape{8, 1}, Algorithm::kTree),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("algorithm=tree")));
}

}  // namespace
}  // namespace memwall
