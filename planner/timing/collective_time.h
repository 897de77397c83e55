// Time of the collectives a training step issues, as planner/comm models them
// (CollectiveTime with NCCL's algorithm/protocol choice, hierarchical levels,
// NVLS, and the group's placement on nodes by size and stride;
// docs/communication.md). The step-time model calls these in the layout
// search's inner loop, so results are memoized per thread in a small
// direct-mapped cache keyed by (cluster, op, group size, stride, bytes): a hit
// costs a few nanoseconds, a miss one planner/comm evaluation. Sizes follow
// nccl-tests (planner/comm/collective.h).
#ifndef MEMWALL_PLANNER_TIMING_COLLECTIVE_TIME_H_
#define MEMWALL_PLANNER_TIMING_COLLECTIVE_TIME_H_

#include <cstdint>

#include "planner/comm/collective.h"
#include "planner/comm/placement.h"
#include "planner/timing/cluster_params.h"

namespace memwall {

// Seconds of `op` on `group` moving `bytes` (nccl-tests S), planner/comm's
// fastest algorithm; 0 for a group of one. Memoized (thread-local).
double CommTime(const ClusterParams& c, Collective op, GroupShape group,
                double bytes);

inline double AllReduceTime(const ClusterParams& c, GroupShape g,
                            double bytes) {
  return CommTime(c, Collective::kAllReduce, g, bytes);
}
// All-gather and reduce-scatter of a `bytes` output (input) buffer.
inline double AllGatherTime(const ClusterParams& c, GroupShape g,
                            double bytes) {
  return CommTime(c, Collective::kAllGather, g, bytes);
}
inline double ReduceScatterTime(const ClusterParams& c, GroupShape g,
                                double bytes) {
  return CommTime(c, Collective::kReduceScatter, g, bytes);
}
// All-to-all of `bytes` per rank.
inline double AllToAllTime(const ClusterParams& c, GroupShape g, double bytes) {
  return CommTime(c, Collective::kAllToAll, g, bytes);
}
// One point-to-point message between ranks `stride` apart in rank order.
inline double SendRecvTime(const ClusterParams& c, int64_t stride,
                           double bytes) {
  return CommTime(c, Collective::kSendRecv, GroupShape{2, stride}, bytes);
}

}  // namespace memwall

#endif  // MEMWALL_PLANNER_TIMING_COLLECTIVE_TIME_H_
