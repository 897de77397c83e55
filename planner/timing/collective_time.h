// Time of the collectives a training step issues, on a cluster's two network
// levels, with alpha-beta costs (Thakur, Rabenseifner & Gropp 2005; Patarasuk &
// Yuan 2009) and the two-level hierarchical all-reduce (intra-node
// reduce-scatter, inter-node all-reduce of the shards, intra-node all-gather)
// taken when it is faster than a flat ring, as NCCL's tuner does. Sizes follow
// nccl-tests: S is the full buffer. Formulas in docs/timing.md.
#ifndef MEMWALL_PLANNER_TIMING_COLLECTIVE_TIME_H_
#define MEMWALL_PLANNER_TIMING_COLLECTIVE_TIME_H_

#include <algorithm>
#include <cstdint>

#include "planner/timing/cluster_params.h"

namespace memwall {

// A communication group: `size` ranks, `per_node` of them in each node.
struct GroupPlacement {
  int64_t size = 1;
  int64_t per_node = 1;
  int64_t nodes() const { return (size + per_node - 1) / per_node; }
};

// Ranks are numbered with TP innermost, then CP, EP, DP, PP, so a group of
// `size` ranks with `stride` between neighbours has min(size, gpus_per_node /
// stride) ranks per node.
inline GroupPlacement PlaceGroup(int64_t size, int64_t stride,
                                 int64_t gpus_per_node) {
  GroupPlacement g;
  g.size = size;
  g.per_node = std::max<int64_t>(
      1, std::min(size, gpus_per_node / std::max<int64_t>(1, stride)));
  return g;
}

double AllReduceTime(const ClusterParams& c, const GroupPlacement& g,
                     double bytes);
// All-gather and reduce-scatter of a `bytes` output (input) buffer.
double AllGatherTime(const ClusterParams& c, const GroupPlacement& g,
                     double bytes);
double ReduceScatterTime(const ClusterParams& c, const GroupPlacement& g,
                         double bytes);
// All-to-all of `bytes` per rank (each rank keeps 1/size and sends the rest).
double AllToAllTime(const ClusterParams& c, const GroupPlacement& g,
                    double bytes);
// One point-to-point message inside a node or between nodes.
double SendRecvTime(const ClusterParams& c, bool across_nodes, double bytes);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_TIMING_COLLECTIVE_TIME_H_
