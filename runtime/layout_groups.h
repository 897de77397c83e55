// The runtime's one door to the planner's layout geometry (planner/layout):
// a Layout proto checked by the planner's layout rules (ValidateLayout,
// CheckOrder) and its communication groups as GroupsOf derives them for the
// step-time model (size and stride per dimension in the layout's rank order).
// Replay builds its communicators from these and nothing else.
#ifndef MEMWALL_RUNTIME_LAYOUT_GROUPS_H_
#define MEMWALL_RUNTIME_LAYOUT_GROUPS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "proto/training.pb.h"

namespace memwall::runtime {

struct LayoutGroup {
  int64_t size = 1;
  int64_t stride = 1;
};

struct ReplayLayout {
  int64_t gpus = 1;  // dp x tp x pp x cp
  int64_t dp = 1, tp = 1, pp = 1, cp = 1, ep = 1;
  LayoutGroup tp_group, cp_group, ep_group, dp_cp_group, expert_dp_group,
      pp_group;
};

// InvalidArgument naming the field when the layout breaks a rule, its order is
// unknown, or the order separates cp from dp (planner/layout's messages).
absl::StatusOr<ReplayLayout> ReplayLayoutOf(const Layout& layout);

// The group named tp, cp, ep, pp, dp_cp or expert_dp; InvalidArgument naming
// `field` otherwise.
absl::StatusOr<LayoutGroup> GroupNamed(const ReplayLayout& layout,
                                       const std::string& name,
                                       const std::string& field);

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_LAYOUT_GROUPS_H_
