// Published interconnect figures reproduced on the zoo clusters, large
// messages, one golden case per number:
//   DGX A100, 8 GPUs, all_reduce busbw ~230 GB/s (232.54 reported; nccl-tests
//   #175) DGX H100, 8 GPUs, ring ~370 GB/s (nccl-tests #212, sjeaugey) DGX
//   H100, 8 GPUs, NVLS all_reduce ~476-480 GB/s busbw, algbw ~275 (nccl-tests
//   #212, #290) HDR inter-node ~24 GB/s per NIC (nccl #412); NDR 46-49 GB/s per
//   NIC (nccl-tests #290, #267) multi-node ring on 8-NIC nodes: about 8 x the
//   per-NIC figure (nccl-tests #290, derived) all_to_all across many nodes:
//   about one NIC per rank (nccl-tests #267)
#include <string>

#include "gtest/gtest.h"
#include "planner/comm/cost.h"
#include "planner/comm/network_model.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

constexpr double kGB = 1e9;

struct Golden {
  const char* what;
  const char* cluster;
  Collective op;
  double bytes;
  GroupShape group;
  Algorithm algorithm;
  double low_gb;  // the published range (or value +-2%)
  double high_gb;
  bool algbw;  // compare algbw instead of busbw
  Algorithm expected = Algorithm::kAuto;
};

TEST(ReferenceTest, PublishedBandwidths) {
  const double kG = 1 << 30;
  const Golden cases[] = {
      {"A100 8-GPU all_reduce (nccl-tests #175)",
       "dgx-a100-80g",
       Collective::kAllReduce,
       4 * kG,
       {8, 1},
       Algorithm::kAuto,
       225.4,
       234.6,
       false,
       Algorithm::kRing},
      {"A100 40GB 8-GPU all_reduce (nccl-tests #175)",
       "dgx-a100-40g",
       Collective::kAllReduce,
       4 * kG,
       {8, 1},
       Algorithm::kAuto,
       225.4,
       234.6,
       false,
       Algorithm::kRing},
      {"H100 8-GPU ring (nccl-tests #212)",
       "dgx-h100",
       Collective::kAllReduce,
       4 * kG,
       {8, 1},
       Algorithm::kRing,
       362.6,
       377.4,
       false},
      {"H100 8-GPU all_gather ring (nccl-tests #212)",
       "dgx-h100",
       Collective::kAllGather,
       4 * kG,
       {8, 1},
       Algorithm::kAuto,
       362.6,
       377.4,
       false,
       Algorithm::kRing},
      {"H100 8-GPU NVLS busbw (nccl-tests #212, #290)",
       "dgx-h100",
       Collective::kAllReduce,
       1 * kG,
       {8, 1},
       Algorithm::kAuto,
       470.0,
       489.6,
       false,
       Algorithm::kNvls},
      {"H100 8-GPU NVLS algbw ~275 (nccl-tests #290)",
       "dgx-h100",
       Collective::kAllReduce,
       1 * kG,
       {8, 1},
       Algorithm::kAuto,
       269.5,
       280.5,
       true,
       Algorithm::kNvls},
      {"HDR per NIC, 16 nodes x 1 GPU (nccl #412)",
       "dgx-a100-80g",
       Collective::kAllReduce,
       4 * kG,
       {16, 8},
       Algorithm::kAuto,
       23.5,
       24.5,
       false},
      {"NDR per NIC, 16 nodes x 1 GPU (nccl-tests #290)",
       "dgx-h100",
       Collective::kAllReduce,
       4 * kG,
       {16, 8},
       Algorithm::kAuto,
       46.0,
       48.0,
       false},
      {"NDR send_recv between nodes (nccl-tests #290)",
       "dgx-h100",
       Collective::kSendRecv,
       4 * kG,
       {2, 8},
       Algorithm::kAuto,
       46.0,
       48.0,
       false},
      {"2 x DGX A100 ring: 8 NICs x 24 (derived)",
       "dgx-a100-80g",
       Collective::kAllReduce,
       4 * kG,
       {16, 1},
       Algorithm::kRing,
       188.2,
       192.0,
       false},
      {"2 x DGX H100 ring: min(NVLink 370, 8 x 47) (derived)",
       "dgx-h100",
       Collective::kAllReduce,
       4 * kG,
       {16, 1},
       Algorithm::kRing,
       362.6,
       370.0,
       false},
      {"16 x DGX H100 all_to_all: ~one NIC per rank (nccl-tests #267)",
       "dgx-h100",
       Collective::kAllToAll,
       4 * kG,
       {128, 1},
       Algorithm::kAuto,
       46.0,
       50.0,
       false},
  };
  for (const Golden& g : cases) {
    absl::StatusOr<ClusterSpec> cluster = LoadCluster(g.cluster);
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    absl::StatusOr<NetworkModel> net = BuildNetworkModel(*cluster);
    ASSERT_TRUE(net.ok()) << net.status();
    const CollectiveCost cost =
        CollectiveTime(*net, g.op, g.bytes, g.group, g.algorithm);
    const double got =
        (g.algbw ? cost.algbw_bytes_per_s : cost.busbw_bytes_per_s) / kGB;
    EXPECT_GE(got, g.low_gb) << g.what;
    EXPECT_LE(got, g.high_gb) << g.what;
    if (g.expected != Algorithm::kAuto) {
      EXPECT_EQ(cost.algorithm, g.expected)
          << g.what << ": " << AlgorithmName(cost.algorithm);
    }
  }
}

}  // namespace
}  // namespace memwall

namespace memwall {
namespace {

// NCCL's choices as its tuner model makes them (nccl src/graph/tuning.cc,
// src/enqueue.cc): LL for small messages, LL128 for medium, Simple for large;
// Tree for multi-node small and medium all-reduce, Ring for large; NVLS on one
// H100 node with NVSwitch.
TEST(ReferenceTest, NcclStyleChoices) {
  struct Case {
    const char* cluster;
    double bytes;
    GroupShape group;
    Algorithm algorithm;
    Protocol protocol;
  };
  const Case cases[] = {
      {"dgx-a100-80g", 4096, {8, 1}, Algorithm::kRing, Protocol::kLL},
      {"dgx-a100-80g", 8 << 20, {8, 1}, Algorithm::kRing, Protocol::kLL128},
      {"dgx-a100-80g", 1 << 30, {8, 1}, Algorithm::kRing, Protocol::kSimple},
      {"dgx-a100-80g", 65536, {16, 1}, Algorithm::kTree, Protocol::kLL},
      {"dgx-a100-80g", 16 << 20, {16, 1}, Algorithm::kTree, Protocol::kLL128},
      {"dgx-a100-80g", 1 << 30, {16, 1}, Algorithm::kRing, Protocol::kSimple},
      {"dgx-h100", 1 << 30, {8, 1}, Algorithm::kNvls, Protocol::kSimple},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ClusterSpec> cluster = LoadCluster(c.cluster);
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    absl::StatusOr<NetworkModel> net = BuildNetworkModel(*cluster);
    ASSERT_TRUE(net.ok()) << net.status();
    const CollectiveCost cost =
        CollectiveTime(*net, Collective::kAllReduce, c.bytes, c.group);
    EXPECT_EQ(AlgorithmName(cost.algorithm),
              std::string(AlgorithmName(c.algorithm)))
        << c.cluster << " " << c.bytes << " n=" << c.group.size;
    EXPECT_EQ(ProtocolName(cost.protocol),
              std::string(ProtocolName(c.protocol)))
        << c.cluster << " " << c.bytes << " n=" << c.group.size;
  }
}

}  // namespace
}  // namespace memwall
