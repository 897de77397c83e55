// Cost of one collective-time evaluation, as the layout search calls it
// (target: well under 100 ns, no allocation).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>

#include "planner/comm/cost.h"
#include "planner/comm/network_model.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

NetworkModel Net(const char* name) {
  absl::StatusOr<ClusterSpec> cluster = LoadCluster(name);
  absl::StatusOr<NetworkModel> net =
      cluster.ok() ? BuildNetworkModel(*cluster)
                   : absl::StatusOr<NetworkModel>(cluster.status());
  if (!net.ok()) {
    std::cerr << net.status() << "\n";
    std::abort();
  }
  return *net;
}

// A mix of what a layout evaluation asks: TP all-reduce in a node, DP
// all-reduce across nodes, all-gather, all-to-all, p2p.
void BM_CollectiveTimeAuto(benchmark::State& state) {
  const NetworkModel net = Net("dgx-h100");
  struct Query {
    Collective op;
    double bytes;
    GroupShape group;
  };
  const Query queries[] = {
      {Collective::kAllReduce, 64e6, {8, 1}},
      {Collective::kAllReduce, 3e9, {64, 8}},
      {Collective::kAllGather, 1e9, {16, 8}},
      {Collective::kReduceScatter, 1e9, {128, 1}},
      {Collective::kAllToAll, 2e8, {64, 1}},
      {Collective::kSendRecv, 5e7, {2, 64}},
      {Collective::kAllReduce, 1e5, {1024, 1}},
      {Collective::kBroadcast, 1e8, {8, 1}},
  };
  size_t i = 0;
  for (auto _ : state) {
    const Query& q = queries[i++ & 7];
    benchmark::DoNotOptimize(CollectiveTime(net, q.op, q.bytes, q.group));
  }
}
BENCHMARK(BM_CollectiveTimeAuto);

void BM_CollectiveTimeRing(benchmark::State& state) {
  const NetworkModel net = Net("dgx-a100-80g");
  double bytes = 1e6;
  for (auto _ : state) {
    benchmark::DoNotOptimize(CollectiveTime(net, Collective::kAllReduce, bytes,
                                            GroupShape{64, 8},
                                            Algorithm::kRing));
    bytes = bytes < 1e10 ? bytes * 1.5 : 1e6;
  }
}
BENCHMARK(BM_CollectiveTimeRing);

}  // namespace
}  // namespace memwall

BENCHMARK_MAIN();
