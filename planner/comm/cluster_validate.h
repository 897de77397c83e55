// Cluster validation and sizing. A ClusterSpec describes one node type and the
// network above it; a run takes whole nodes of it (--nodes) or a GPU count
// (--gpus) that is a single partial node or whole nodes. Errors are
// InvalidArgument naming the field path and value.
#ifndef MEMWALL_PLANNER_COMM_CLUSTER_VALIDATE_H_
#define MEMWALL_PLANNER_COMM_CLUSTER_VALIDATE_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/cluster.pb.h"

namespace memwall {

// Checks gpus_per_node > 0, num_nodes >= 0, GPU memory and peak figures >= 0
// (hbm_bytes > 0), at least two network levels when num_nodes != 1 (one when
// the cluster is a single node), level 0 domain_size == gpus_per_node, growing
// domain sizes, bandwidth > 0, latency >= 0, oversubscription >= 1 or unset,
// kind set, efficiencies in [0, 1].
absl::Status ValidateCluster(const ClusterSpec& cluster);

// The GPU count of a run: --gpus, --nodes (whole nodes), or both (they must
// agree). Neither: one node. More GPUs than num_nodes x gpus_per_node (when
// num_nodes > 0) is InvalidArgument naming both.
absl::StatusOr<int64_t> ResolveGpuCount(const ClusterSpec& cluster,
                                        std::optional<int64_t> gpus,
                                        std::optional<int64_t> nodes);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_COMM_CLUSTER_VALIDATE_H_
