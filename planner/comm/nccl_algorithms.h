// NCCL's algorithms as alpha-beta costs on a placed group, structured the way
// nccl src/graph/tuning.cc structures them: for each algorithm, a latency per
// protocol and one bandwidth term. Internal to planner/comm: the public entry
// point is planner/comm/cost.h; the formulas are in docs/communication.md.
#ifndef MEMWALL_PLANNER_COMM_NCCL_ALGORITHMS_H_
#define MEMWALL_PLANNER_COMM_NCCL_ALGORITHMS_H_

#include <cstdint>
#include <limits>

#include "planner/comm/collective.h"
#include "planner/comm/cost.h"
#include "planner/comm/network_model.h"
#include "planner/comm/placement.h"

namespace memwall::nccl_model {

inline constexpr int kNumProtocols = 3;  // LL, LL128, Simple
inline constexpr double kInf = std::numeric_limits<double>::infinity();

// What the algorithms need about the call, computed once.
struct Context {
  const NetworkModel* net;
  Collective op;
  double bytes;
  int64_t n;
  GroupSpan span;
  int64_t m0;     // members inside one node
  int64_t nodes;  // level-0 domains the group spans
  double log_nodes;
  // Ring (and tree) bandwidth: min over used levels l of m[l-1] x B_l (m[-1] =
  // 1).
  double ring_bw;
  int ring_bottleneck;
  int used_levels;
  // Per-step latency of each protocol inside a node (level 0) and across the
  // top level.
  double alpha_intra[kNumProtocols];
  double alpha_top[kNumProtocols];
  bool ll128_ok;  // LL128 only where every used level is NVLink or a network
                  // (tuning.cc)
};

// The context of a call on a group of two or more ranks.
Context MakeContext(const NetworkModel& net, Collective op, double bytes,
                    GroupShape group);

// An algorithm's cost, split so that the protocols are cheap to compare:
// time[p] = latency_s[p] + bandwidth_s / factor[p]; factor 0 = protocol not
// used.
struct Shape {
  double latency_s[kNumProtocols] = {0, 0, 0};
  double bandwidth_s = kInf;  // the bandwidth term at the Simple protocol
  double factor[kNumProtocols] = {0, 0, 0};
  int bottleneck = -1;
};

// False when the algorithm does not apply to the call.
bool ShapeOf(const Context& c, Algorithm algorithm, Shape* s);

}  // namespace memwall::nccl_model

#endif  // MEMWALL_PLANNER_COMM_NCCL_ALGORITHMS_H_
