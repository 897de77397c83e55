#include "runtime/layout_groups.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "planner/comm/placement.h"
#include "planner/layout/layout_groups.h"
#include "planner/layout/parallel_layout.h"
#include "planner/layout/validate_layout.h"

namespace memwall::runtime {

absl::StatusOr<ReplayLayout> ReplayLayoutOf(const Layout& proto) {
  const ParallelLayout l = FromProto(proto);
  MEMWALL_ASSIGN_OR_RETURN(const RankOrder order,
                           ParseRankOrder(proto.order(), "layout.order"));
  // The planner's own rules; what the model would add (heads, layers) is not
  // known here and not needed to form the groups.
  LayoutLimits limits;
  // The rules read experts = 0 as a dense model, which would refuse ep > 1;
  // the plan's layout was checked against its model when it was planned, so
  // an expert count that ep divides stands in for the unknown one.
  limits.experts = l.ep;
  ScheduleOptions schedule;
  schedule.pp_inside_dp = proto.order() == "tp-cp-ep-pp-dp";
  absl::Status status = ValidateLayout(limits, l, 0, schedule);
  if (status.ok()) status = CheckOrder(l, order);
  if (!status.ok()) {
    return absl::Status(status.code(),
                        absl::StrCat("the plan's layout: ", status.message()));
  }
  const LayoutGroups g = GroupsOf(l, order);
  ReplayLayout r;
  r.gpus = l.gpus();
  r.dp = l.dp;
  r.tp = l.tp;
  r.pp = l.pp;
  r.cp = l.cp;
  r.ep = l.ep;
  const auto to = [](GroupShape s) { return LayoutGroup{s.size, s.stride}; };
  r.tp_group = to(g.tp);
  r.cp_group = to(g.cp);
  r.ep_group = to(g.ep);
  r.dp_cp_group = to(g.dp_cp);
  r.expert_dp_group = to(g.expert_dp);
  r.pp_group = to(g.pp);
  return r;
}

absl::StatusOr<LayoutGroup> GroupNamed(const ReplayLayout& l,
                                       const std::string& name,
                                       const std::string& field) {
  if (name == "tp") return l.tp_group;
  if (name == "cp") return l.cp_group;
  if (name == "ep") return l.ep_group;
  if (name == "pp") return l.pp_group;
  if (name == "dp_cp") return l.dp_cp_group;
  if (name == "expert_dp") return l.expert_dp_group;
  return absl::InvalidArgumentError(absl::StrCat(
      field, "=", name,
      " is not a layout group (tp, cp, ep, pp, dp_cp, expert_dp)"));
}

}  // namespace memwall::runtime
