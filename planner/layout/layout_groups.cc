#include "planner/layout/layout_groups.h"

#include "absl/strings/str_cat.h"

namespace memwall {
namespace {

// cp and dp adjacent in the order once size-1 dimensions are skipped: then
// DP x CP is one group with the inner one's stride.
bool Adjacent(const RankOrder& order, const GridSizes& sizes, ParallelDim a,
              ParallelDim b) {
  int last = -1;
  for (ParallelDim d : order.inner_to_outer) {
    if (sizes[d] == 1 && d != a && d != b) continue;
    const int here = d == a || d == b ? 1 : 0;
    if (last == 1 && here == 1) return true;
    last = here;
  }
  return false;
}

GridSizes DenseGrid(const ParallelLayout& l) {
  GridSizes dense;
  dense[ParallelDim::kTp] = l.tp;
  dense[ParallelDim::kCp] = l.cp;
  dense[ParallelDim::kDp] = l.dp;
  dense[ParallelDim::kPp] = l.pp;
  return dense;
}

}  // namespace

RankOrder ScheduleOrder(bool pp_inside_dp) {
  RankOrder order;
  if (pp_inside_dp) {
    order.inner_to_outer = {ParallelDim::kTp, ParallelDim::kCp,
                            ParallelDim::kEp, ParallelDim::kPp,
                            ParallelDim::kDp};
  }
  return order;
}

absl::Status CheckOrder(const ParallelLayout& l, const RankOrder& order) {
  if (l.cp == 1 || l.dp == 1 ||
      Adjacent(order, DenseGrid(l), ParallelDim::kCp, ParallelDim::kDp)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--cp=", l.cp, " and --dp=", l.dp,
      " must be adjacent in the rank order (DP x CP reduces gradients as one "
      "group); --pp_inside_dp needs --cp=1"));
}

LayoutGroups GroupsOf(const ParallelLayout& l, const RankOrder& order) {
  LayoutGroups g;
  const GridSizes dense = DenseGrid(l);
  g.tp = GroupOf(order, dense, ParallelDim::kTp);
  g.cp = GroupOf(order, dense, ParallelDim::kCp);
  g.dp = GroupOf(order, dense, ParallelDim::kDp);
  g.pp = GroupOf(order, dense, ParallelDim::kPp);
  // One group with the inner dimension's stride (exact when CheckOrder
  // passes; see the header otherwise).
  g.dp_cp = GroupShape{
      l.cp * l.dp,
      l.cp == 1 ? g.dp.stride
                : (l.dp == 1 || g.cp.stride < g.dp.stride ? g.cp.stride
                                                          : g.dp.stride)};
  GridSizes expert;
  expert[ParallelDim::kTp] = l.expert_tp();
  expert[ParallelDim::kEp] = l.ep;
  expert[ParallelDim::kDp] = l.expert_dp();
  expert[ParallelDim::kPp] = l.pp;
  g.etp = GroupOf(order, expert, ParallelDim::kTp);
  g.ep = GroupOf(order, expert, ParallelDim::kEp);
  g.expert_dp = GroupOf(order, expert, ParallelDim::kDp);
  return g;
}

}  // namespace memwall
