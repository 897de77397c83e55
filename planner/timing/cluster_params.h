// A cluster as the plain numbers the step-time model reads: peak FLOP/s of the
// training dtype, HBM, the intra-node and inter-node network levels, host
// bandwidth, and the one set of achievable-efficiency factors
// (ClusterSpec.efficiency) used for every model.
#ifndef MEMWALL_PLANNER_TIMING_CLUSTER_PARAMS_H_
#define MEMWALL_PLANNER_TIMING_CLUSTER_PARAMS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "proto/cluster.pb.h"
#include "proto/training.pb.h"

namespace memwall {

struct ClusterParams {
  double peak_flops = 0;  // dense, training dtype
  double hbm_bandwidth_bytes_per_s = 0;
  int64_t hbm_bytes = 0;
  int64_t reserved_bytes = 0;
  double usable_fraction = 1.0;
  int64_t gpus_per_node = 1;
  int64_t num_nodes = 0;  // 0 = unlimited
  double host_bandwidth_bytes_per_s = 0;
  double host_bytes_per_gpu = 0;  // host memory of a node shared by its GPUs
  // Level 0 (inside a node) and level 1 (between nodes), per GPU, one
  // direction.
  double intra_bandwidth_bytes_per_s = 0;
  double intra_latency_s = 0;
  double inter_bandwidth_bytes_per_s = 0;
  double inter_latency_s = 0;
  // Achievable fractions (ClusterSpec.efficiency).
  double gemm_efficiency = 0;
  double hbm_efficiency = 0;
  double network_efficiency = 0;
  double overlap_efficiency = 0;

  // Bytes of HBM a rank's tensors may use.
  double usable_hbm_bytes() const {
    return static_cast<double>(hbm_bytes) * usable_fraction -
           static_cast<double>(reserved_bytes);
  }
};

// Validates and converts. InvalidArgument naming the field and value for zero
// or negative bandwidths, FLOP/s, memory, efficiencies outside (0, 1], or
// missing network levels.
absl::StatusOr<ClusterParams> ClusterParamsFromSpec(const ClusterSpec& cluster,
                                                    Dtype dtype);

// InvalidArgument when `gpus` is not a whole number of nodes or exceeds the
// cluster's nodes.
absl::Status CheckGpuCount(const ClusterSpec& cluster, int64_t gpus);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_TIMING_CLUSTER_PARAMS_H_
