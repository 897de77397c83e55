#include "planner/comm/layout_groups.h"

#include "absl/strings/str_cat.h"

namespace memwall {

absl::StatusOr<LayoutGroups> GroupsOf(const ParallelLayout& layout,
                                      const RankOrder& order) {
  if (layout.ep < 1 || layout.dp < 1 || layout.dp % layout.ep != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "layout.ep=", layout.ep, " must divide layout.dp=", layout.dp));
  }
  GridSizes sizes;
  sizes[ParallelDim::kTp] = layout.tp;
  sizes[ParallelDim::kCp] = layout.cp;
  sizes[ParallelDim::kEp] = layout.ep;
  sizes[ParallelDim::kDp] = layout.dp / layout.ep;
  sizes[ParallelDim::kPp] = layout.pp;
  LayoutGroups groups;
  groups.tp = GroupOf(order, sizes, ParallelDim::kTp);
  groups.cp = GroupOf(order, sizes, ParallelDim::kCp);
  groups.ep = GroupOf(order, sizes, ParallelDim::kEp);
  groups.expert_dp = GroupOf(order, sizes, ParallelDim::kDp);
  groups.pp = GroupOf(order, sizes, ParallelDim::kPp);
  if (layout.ep == 1) {
    groups.dp = groups.expert_dp;
  } else if (layout.dp == layout.ep) {
    groups.dp = groups.ep;
  } else {
    absl::StatusOr<GroupShape> dense =
        MergedGroup(order, sizes, ParallelDim::kEp, ParallelDim::kDp);
    if (!dense.ok()) return dense.status();
    groups.dp = *dense;
  }
  return groups;
}

}  // namespace memwall
