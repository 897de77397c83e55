// Open MPI predictions on the emulated cluster (network namespaces, tbf at 1
// Gbit/s, TCP goodput 1e9/8 x 1448/1514 = 119.55 MB/s, 25 us software latency
// per step). Golden values are hand computations of the alpha-beta formulas
// (Thakur, Rabenseifner & Gropp 2005; Chan et al. 2007) and the reference run's
// predictions:
//   flat ring busbw = B = 0.1196 GB/s; 2 nodes x 2 ranks HAN busbw = 1.5 B =
//   0.179 GB/s (measured 0.178); basic-linear reduce_scatter busbw = 0.2 B
//   (measured 0.20 of B).
#include "planner/comm/mpi_model.h"

#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/comm/network_model.h"
#include "planner/model/zoo.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::StatusIs;
using ::testing::HasSubstr;

constexpr double kMiB = 1 << 20;
constexpr double kGoodput = 119550858.65257595;  // 1e9 / 8 * 1448 / 1514

NetworkModel Emulated(int64_t nodes, int64_t ranks_per_node) {
  ClusterSpec cluster = EmulatedTcpCluster(nodes, ranks_per_node, 1e9);
  for (NetworkLevel& level : *cluster.mutable_levels()) {
    if (level.kind() == NETWORK) level.set_latency_s(25e-6);
  }
  absl::StatusOr<NetworkModel> net = BuildNetworkModel(cluster);
  EXPECT_TRUE(net.ok()) << net.status();
  return *net;
}

double BusBw(const NetworkModel& net, Collective op, double bytes,
             GroupShape group, MpiAlgorithm algorithm) {
  absl::StatusOr<MpiCost> cost =
      PredictOpenMpi(net, op, bytes, group, algorithm);
  EXPECT_TRUE(cost.ok()) << cost.status();
  return cost.ok() ? cost->cost.busbw_bytes_per_s : 0;
}

TEST(TcpGoodputTest, PayloadFactor) {
  EXPECT_DOUBLE_EQ(TcpGoodputBytesPerS(1e9), kGoodput);
  EXPECT_DOUBLE_EQ(TcpGoodputBytesPerS(200e6), kGoodput / 5);
}

struct Case {
  const char* what;
  int64_t nodes;
  int64_t ranks_per_node;
  Collective op;
  double bytes;
  MpiAlgorithm algorithm;
  double busbw;  // hand computation, bytes/s
};

TEST(PredictOpenMpiTest, EmulatedClusterHandComputations) {
  const double s = 32 * kMiB;
  const Case cases[] = {
      // t = 6 x 25us + 1.5 S / B
      {"ring all_reduce 4x1", 4, 1, Collective::kAllReduce, s,
       MpiAlgorithm::kRing, 119508279.13},
      // HAN: max(S / 2 GB/s, 2(N-1)/N S / B) + 2 x 25 us; busbw = 1.5 S / t
      {"HAN all_reduce 2x2", 2, 2, Collective::kAllReduce, s,
       MpiAlgorithm::kHierarchical, 179294347.65},
      // one ring through both nodes: each NIC carries one flow at B
      {"flat ring all_reduce 2x2", 2, 2, Collective::kAllReduce, s,
       MpiAlgorithm::kRing, 1.5 * s / (6 * 25e-6 + 1.5 * s / kGoodput)},
      // reduce S to the root over 3 links in turn, then scatter S/4 to 3 peers
      {"basic linear reduce_scatter 4x1", 4, 1, Collective::kReduceScatter, s,
       MpiAlgorithm::kLinear, 23906764.64},
      // (p - 2 + S/s)(alpha + s beta), s = 128 KiB, S = 8 MiB
      {"pipelined broadcast 4x1", 4, 1, Collective::kBroadcast, 8 * kMiB,
       MpiAlgorithm::kPipeline, 113343586.34},
      // alpha + S beta
      {"send_recv 2x1", 2, 1, Collective::kSendRecv, s, MpiAlgorithm::kRing,
       s / (25e-6 + s / kGoodput)},
  };
  for (const Case& c : cases) {
    const NetworkModel net = Emulated(c.nodes, c.ranks_per_node);
    const double got =
        BusBw(net, c.op, c.bytes, GroupShape{c.nodes * c.ranks_per_node, 1},
              c.algorithm);
    EXPECT_NEAR(got / c.busbw, 1.0, 1e-6) << c.what << ": " << got;
  }
}

TEST(PredictOpenMpiTest, HanBeatsTheNicRateOnTwoByTwo) {
  const NetworkModel net = Emulated(2, 2);
  const double han = BusBw(net, Collective::kAllReduce, 32 * kMiB, {4, 1},
                           MpiAlgorithm::kHierarchical);
  const double flat = BusBw(net, Collective::kAllReduce, 32 * kMiB, {4, 1},
                            MpiAlgorithm::kRing);
  EXPECT_NEAR(han / kGoodput, 1.5, 0.01);
  EXPECT_NEAR(han / flat, 1.5, 0.01);
}

struct ChoiceCase {
  Collective op;
  double bytes;
  int64_t n;
  MpiAlgorithm expected;
};

// coll_tuned_decision_fixed.c (Open MPI 4.1), commutative operations.
TEST(OpenMpiTunedChoiceTest, FixedDecisionRules) {
  const ChoiceCase cases[] = {
      {Collective::kAllReduce, 32 * kMiB, 4,
       MpiAlgorithm::kRecursiveHalving},  // rabenseifner
      {Collective::kAllReduce, 4096, 4, MpiAlgorithm::kRecursiveDoubling},
      {Collective::kAllReduce, 8, 2, MpiAlgorithm::kRecursiveDoubling},
      {Collective::kAllReduce, 4, 2, MpiAlgorithm::kRing},
      {Collective::kAllGather, 32 * kMiB, 4, MpiAlgorithm::kRecursiveDoubling},
      {Collective::kAllGather, 32 * kMiB, 2,
       MpiAlgorithm::kPairwise},  // two_proc
      {Collective::kReduceScatter, 32 * kMiB, 4, MpiAlgorithm::kLinear},
      {Collective::kReduceScatter, 64 * 1024, 4,
       MpiAlgorithm::kRecursiveHalving},
      {Collective::kAllToAll, 32 * kMiB, 4, MpiAlgorithm::kLinear},
      {Collective::kAllToAll, 3 * 786432.0, 3,
       MpiAlgorithm::kPairwise},  // 768 KiB per peer
      {Collective::kAllReduce, 32 * kMiB, 8,
       MpiAlgorithm::kTunedDefault},  // not modelled
  };
  for (const ChoiceCase& c : cases) {
    EXPECT_EQ(OpenMpiTunedChoice(c.op, c.bytes, c.n), c.expected)
        << CollectiveName(c.op) << " " << c.bytes << " n=" << c.n;
  }
}

TEST(PredictOpenMpiTest, Errors) {
  const NetworkModel net = Emulated(4, 1);
  EXPECT_THAT(
      PredictOpenMpi(net, Collective::kAllToAll, 1e6, {4, 1},
                     MpiAlgorithm::kRing),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("algorithm=ring does not implement all_to_all")));
  EXPECT_THAT(
      PredictOpenMpi(net, Collective::kAllReduce, 1e6, {16, 1},
                     MpiAlgorithm::kTunedDefault),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("group_size=16")));
  EXPECT_THAT(
      PredictOpenMpi(net, Collective::kAllReduce, -1, {4, 1},
                     MpiAlgorithm::kRing),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bytes=-1")));
}

TEST(EmulatedTcpClusterTest, ZooEntriesMatchTheFunction) {
  struct Case {
    const char* name;
    int64_t nodes;
    int64_t ranks_per_node;
  };
  for (const Case& c :
       {Case{"netns-tcp-1g", 4, 1}, Case{"netns-tcp-1g-2x2", 2, 2}}) {
    absl::StatusOr<ClusterSpec> zoo = LoadCluster(c.name);
    ASSERT_TRUE(zoo.ok()) << zoo.status();
    const ClusterSpec made = EmulatedTcpCluster(c.nodes, c.ranks_per_node, 1e9);
    EXPECT_NEAR(zoo->levels(1).bandwidth_bytes_per_s(),
                made.levels(1).bandwidth_bytes_per_s(), 0.01)
        << c.name;
    EXPECT_EQ(zoo->num_nodes(), made.num_nodes()) << c.name;
    EXPECT_EQ(zoo->gpus_per_node(), made.gpus_per_node()) << c.name;
  }
}

}  // namespace
}  // namespace memwall
