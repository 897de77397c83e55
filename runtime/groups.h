// Splitting the job into concurrent groups the way a parallel layout does: with
// stride 1, groups of K consecutive ranks (tensor-parallel groups); with stride
// s, ranks s apart (data-parallel groups across s-wide TP groups). Rank r
// belongs to group (r / (s*K)) * s + r % s at position (r / s) % K, as in
// Megatron-LM's initialize_model_parallel.
#ifndef MEMWALL_RUNTIME_GROUPS_H_
#define MEMWALL_RUNTIME_GROUPS_H_

#include <vector>

#include "absl/status/statusor.h"

namespace memwall::runtime {

struct GroupPlacement {
  int group = 0;     // which group this rank is in
  int position = 0;  // rank within the group
  int num_groups = 1;
};

// InvalidArgument when size*stride does not divide the world size.
absl::StatusOr<GroupPlacement> PlaceInGroup(int world_size, int world_rank,
                                            int group_size, int group_stride);

// World ranks of group `group`, in position order.
std::vector<int> GroupMembers(int world_size, int group, int group_size,
                              int group_stride);

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_GROUPS_H_
