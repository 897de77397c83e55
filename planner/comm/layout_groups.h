// The communication groups of a parallel layout, as (size, stride) in the
// global rank order (planner/comm/placement.h): what the step-time model passes
// to CollectiveTime. Experts are carved out of data parallelism as in
// Megatron-LM: the grid is tp x cp x ep x (dp/ep) x pp, the dense data-parallel
// group spans ep and dp/ep, the expert data-parallel group dp/ep.
#ifndef MEMWALL_PLANNER_COMM_LAYOUT_GROUPS_H_
#define MEMWALL_PLANNER_COMM_LAYOUT_GROUPS_H_

#include "absl/status/statusor.h"
#include "planner/comm/placement.h"
#include "planner/model/layout.h"

namespace memwall {

struct LayoutGroups {
  GroupShape tp;  // tensor (and sequence) parallel all-reduce / all-gather
  GroupShape cp;  // context-parallel ring
  GroupShape dp;  // dense gradients: all ranks holding the same dense shard
  GroupShape ep;  // expert all-to-all
  GroupShape expert_dp;  // expert gradients
  GroupShape pp;         // pipeline send/recv between neighbouring stages
};

// InvalidArgument when ep does not divide dp, or when the order separates ep
// from dp (the dense data-parallel group would not be one strided group).
absl::StatusOr<LayoutGroups> GroupsOf(const ParallelLayout& layout,
                                      const RankOrder& order);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_COMM_LAYOUT_GROUPS_H_
