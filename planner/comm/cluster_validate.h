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

// The one cluster validator, run by LoadCluster (planner/model/zoo.h), so by
// every command that reads a cluster, before anything is evaluated. Checks
// gpus_per_node in [1, 2^20], num_nodes >= 0 (and num_nodes x gpus_per_node
// within int64), 0 < hbm_bytes <= 2^50, 0 <= reserved_bytes < hbm_bytes, every
// figure finite and, when set, in a sane range (bandwidths 1e3..1e18 B/s, peak
// FLOP/s 1e6..1e21, latency 0..60 s, usable_fraction 0.1..1, gemm/hbm/network
// efficiency 0.01..1, overlap fractions 0..1), at least two network levels when
// num_nodes != 1 (one when the cluster is a single node), level 0 domain_size
// == gpus_per_node, growing domain sizes, bandwidth > 0, oversubscription >= 1
// or unset, kind set. Errors name the field path and value.
absl::Status ValidateCluster(const ClusterSpec& cluster);

// The GPU count of a run: --gpus, --nodes (whole nodes), or both (they must
// agree). Neither: one node. More GPUs than num_nodes x gpus_per_node (when
// num_nodes > 0) is InvalidArgument naming both.
absl::StatusOr<int64_t> ResolveGpuCount(const ClusterSpec& cluster,
                                        std::optional<int64_t> gpus,
                                        std::optional<int64_t> nodes);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_COMM_CLUSTER_VALIDATE_H_
