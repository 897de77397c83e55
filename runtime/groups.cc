#include "runtime/groups.h"

#include "absl/strings/str_cat.h"

namespace memwall::runtime {

absl::StatusOr<GroupPlacement> PlaceInGroup(int world_size, int world_rank,
                                            int group_size, int group_stride) {
  if (group_size < 1 || group_size > world_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("--group_size=", group_size, " must be between 1 and the ",
                     world_size, " ranks of the job"));
  }
  if (group_stride < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("--group_stride=", group_stride, " must be at least 1"));
  }
  const long long span = static_cast<long long>(group_size) * group_stride;
  if (world_size % span != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--group_size=", group_size, " x --group_stride=", group_stride, " = ",
        span, " must divide the ", world_size, " ranks of the job"));
  }
  GroupPlacement p;
  p.group = static_cast<int>((world_rank / span) * group_stride +
                             world_rank % group_stride);
  p.position = (world_rank / group_stride) % group_size;
  p.num_groups = world_size / group_size;
  return p;
}

std::vector<int> GroupMembers(int world_size, int group, int group_size,
                              int group_stride) {
  std::vector<int> members;
  for (int r = 0; r < world_size; ++r) {
    auto p = PlaceInGroup(world_size, r, group_size, group_stride);
    if (p.ok() && p->group == group) members.push_back(r);
  }
  return members;
}

}  // namespace memwall::runtime
