// NetworkModel: a ClusterSpec's network levels as plain values, built (and
// validated) once and then read by the collective cost functions on the hot
// path. Level 0 is inside the node, level 1 between nodes, level 2 and up the
// fabric above (a leaf group, a spine). Bandwidths are achievable per GPU, one
// direction; a level's oversubscription divides its bandwidth, because in a
// training step every GPU of the level talks at once.
#ifndef MEMWALL_PLANNER_COMM_NETWORK_MODEL_H_
#define MEMWALL_PLANNER_COMM_NETWORK_MODEL_H_

#include <array>
#include <cstdint>

#include "absl/status/statusor.h"
#include "proto/cluster.pb.h"

namespace memwall {

inline constexpr int kMaxNetworkLevels = 4;

struct LevelModel {
  // GPUs in one domain of this level (level 0: gpus_per_node; unbounded:
  // INT64_MAX).
  int64_t domain_size = 1;
  // Achievable bandwidth per GPU, one direction, already divided by
  // oversubscription.
  double bandwidth_bytes_per_s = 0;
  double latency_s = 0;
  // NVLS / SHARP: all-reduce inside one domain of this level reduces in the
  // switch.
  bool in_network_reduction = false;
  // nccl-tests busbw of an all-reduce with in-network reduction (0 when there
  // is none).
  double in_network_busbw_bytes_per_s = 0;
  LinkKind kind = LINK_KIND_UNSPECIFIED;
};

struct NetworkModel {
  int num_levels = 0;
  int64_t gpus_per_node = 1;
  // GPUs sharing one NIC (gpus_per_node / nics_per_node, at least 1): a single
  // flow leaving a node can use this many GPUs' worth of level >= 1 bandwidth.
  int64_t gpus_per_nic = 1;
  std::array<LevelModel, kMaxNetworkLevels> levels;
};

// Validates the cluster (planner/comm/cluster_validate.h) and converts it.
absl::StatusOr<NetworkModel> BuildNetworkModel(const ClusterSpec& cluster);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_COMM_NETWORK_MODEL_H_
