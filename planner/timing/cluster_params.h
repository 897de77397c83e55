// A cluster as the plain numbers the step-time model reads: peak FLOP/s of the
// training dtype, HBM, host bandwidth, the one set of achievable-efficiency
// factors (ClusterSpec.efficiency) used for every model, and planner/comm's
// NetworkModel for every collective. Cluster validation is planner/comm's
// (ValidateCluster, ResolveGpuCount).
#ifndef MEMWALL_PLANNER_TIMING_CLUSTER_PARAMS_H_
#define MEMWALL_PLANNER_TIMING_CLUSTER_PARAMS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "planner/comm/network_model.h"
#include "proto/cluster.pb.h"
#include "proto/training.pb.h"

namespace memwall {

// GEMM tile-fill constant: a dimension x fills x / (x + kGemmTileDim) of the
// tiles (planner/timing/micro_batch_costs.h).
inline constexpr double kGemmTileDim = 64.0;

struct ClusterParams {
  double peak_flops = 0;  // dense, training dtype (MFU's denominator)
  // Dense 16-bit peak: attention, the output layer and everything Transformer
  // Engine keeps in BF16 run against it when the dtype is FP8.
  double peak_flops_16bit = 0;
  bool fp8 = false;  // FP8 linear layers (Transformer Engine)
  double hbm_bandwidth_bytes_per_s = 0;
  int64_t gpus_per_node = 1;
  int64_t num_nodes = 0;  // 0 = unlimited
  double host_bandwidth_bytes_per_s = 0;
  double host_memory_bandwidth_bytes_per_s = 0;  // the node's CPU DRAM
  double host_bytes_per_gpu = 0;  // host memory of a node shared by its GPUs
  // Achievable fractions (ClusterSpec.efficiency); the network's is already
  // in `network`.
  double gemm_efficiency = 0;      // 16-bit (or FP32) GEMMs
  double fp8_gemm_efficiency = 0;  // FP8 GEMMs, of the FP8 peak
  double attention_efficiency =
      0;                // fused (flash) attention, of the 16-bit peak
  double kernel_s = 0;  // fixed cost of every kernel
  // Fused attention: the softmax's exponential of each score costs as long as
  // this many head dimensions of its 4 d matmul FLOPs (16-bit peak / (4 x
  // exponential rate)); planner/timing/micro_batch_costs.h.
  double attention_exp_head_dim = 0;
  double hbm_efficiency = 0;
  double overlap_efficiency = 0;
  double overlap_slowdown = 0;  // compute slowdown while communication overlaps
  // planner/comm's network levels.
  NetworkModel network;
  // Identifies `network` for the collective-time cache
  // (planner/timing/collective_time.h); unique per ClusterParamsFromSpec call,
  // 0 = do not cache (set it to 0 after editing `network` by hand).
  uint64_t id = 0;
};

// Validates (planner/comm's ValidateCluster, plus a positive peak FLOP/s for
// the training dtype and HBM bandwidth, efficiencies in (0, 1]) and converts,
// taking the `stack`'s efficiency overrides (ClusterSpec.efficiency.stacks).
// InvalidArgument naming the field and value.
absl::StatusOr<ClusterParams> ClusterParamsFromSpec(
    const ClusterSpec& cluster, Dtype dtype, Stack stack = STACK_MEGATRON);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_TIMING_CLUSTER_PARAMS_H_
