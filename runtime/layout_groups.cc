#include "runtime/layout_groups.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "planner/comm/layout_groups.h"
#include "planner/comm/placement.h"
#include "planner/model/layout.h"

namespace memwall::runtime {

absl::StatusOr<ReplayLayout> ReplayLayoutOf(const Layout& proto) {
  const ParallelLayout l = FromProto(proto);
  for (auto [name, value] :
       {std::pair{"dp", l.dp}, std::pair{"tp", l.tp}, std::pair{"pp", l.pp},
        std::pair{"cp", l.cp}, std::pair{"ep", l.ep}}) {
    if (value < 1 || value > (int64_t{1} << 24)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "layout.", name, "=", value, " must be between 1 and 2^24"));
    }
  }
  MEMWALL_ASSIGN_OR_RETURN(const RankOrder order,
                           ParseRankOrder(proto.order(), "layout.order"));
  MEMWALL_ASSIGN_OR_RETURN(const LayoutGroups g, GroupsOf(l, order));
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
  r.dp_group = to(g.dp);
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
  if (name == "dp") return l.dp_group;
  if (name == "expert_dp") return l.expert_dp_group;
  return absl::InvalidArgumentError(
      absl::StrCat(field, "=", name,
                   " is not a layout group (tp, cp, ep, pp, dp, expert_dp)"));
}

}  // namespace memwall::runtime
