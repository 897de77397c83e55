// The communication groups of a parallel layout, as (size, stride) in the
// global rank order (planner/comm/placement.h): what the step-time model
// prices and what memwall-run's replay builds. Two rank grids share one order
// string, as in Megatron-LM core's RankGenerator:
// - dense: tp x cp x dp x pp (the order's ep is a dimension of size 1);
// - expert: etp x ep x edp x pp with edp = dp tp cp / (ep etp) (the order's tp
//   is etp, cp is 1, dp is edp).
// Data-parallel gradient reduction and the distributed optimizer span DP x CP
// (Megatron-LM shards over the data-parallel group with context parallelism);
// that group is one strided group only when cp and dp are adjacent in the
// order apart from size-1 dimensions. Where they are not (PP inside DP with
// CP > 1), GroupsOf prices it as cp x dp ranks at CP's stride: an
// approximation that places the group more compactly than it is
// (docs/layout.md).
#ifndef MEMWALL_PLANNER_LAYOUT_LAYOUT_GROUPS_H_
#define MEMWALL_PLANNER_LAYOUT_LAYOUT_GROUPS_H_

#include "absl/status/statusor.h"
#include "planner/comm/placement.h"
#include "planner/layout/parallel_layout.h"

namespace memwall {

struct LayoutGroups {
  GroupShape tp;     // tensor (and sequence) parallel all-reduce / all-gather
  GroupShape cp;     // context-parallel ring
  GroupShape dp;     // dense data parallelism (one CP rank's replicas)
  GroupShape dp_cp;  // dense gradients and optimizer shards: DP x CP
  GroupShape pp;     // pipeline send/recv between neighbouring stages
  GroupShape etp;    // expert tensor parallelism
  GroupShape ep;     // expert all-to-all
  GroupShape expert_dp;  // expert gradients and optimizer shards
};

// The rank order memwall's schedules use: Megatron-LM's tp-cp-ep-dp-pp, or
// with `pp_inside_dp` tp-cp-ep-pp-dp (pipeline neighbours nearer, data-parallel
// replicas further apart).
RankOrder ScheduleOrder(bool pp_inside_dp);

// InvalidArgument when the order separates cp from dp (DP x CP is not one
// strided group): for replaying exactly what GroupsOf approximates.
absl::Status CheckOrder(const ParallelLayout& layout, const RankOrder& order);

// The groups of a layout that passed ValidateLayout. Pure arithmetic, no
// allocation (the step-time model's hot path).
LayoutGroups GroupsOf(const ParallelLayout& layout, const RankOrder& order);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_LAYOUT_LAYOUT_GROUPS_H_
