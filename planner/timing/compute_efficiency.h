// The compute efficiencies of one training stack on a cluster: the cluster's
// factors (ClusterSpec.efficiency) with the stack's overrides
// (efficiency.stacks) on top, and the documented defaults for what neither
// sets. docs/timing.md ("Compute efficiencies", "Training stacks") gives each
// zoo cluster's numbers and whether they come from hardware figures or a fit.
#ifndef MEMWALL_PLANNER_TIMING_COMPUTE_EFFICIENCY_H_
#define MEMWALL_PLANNER_TIMING_COMPUTE_EFFICIENCY_H_

#include <string>

#include "absl/status/statusor.h"
#include "proto/cluster.pb.h"

namespace memwall {

// The stack's flag name (common/enum_names: "megatron", "fsdp",
// "deepspeed"; unset is "megatron", the default) and its inverse for
// --stack=NAME.
std::string StackName(Stack stack);
absl::StatusOr<Stack> ParseStack(const std::string& name);

struct ComputeEfficiency {
  double gemm = 0;       // 16-bit GEMMs, fraction of the 16-bit peak
  double hbm = 0;        // memory-bound kernels, fraction of HBM bandwidth
  double attention = 0;  // fused attention, fraction of the 16-bit peak
  double fp8_gemm = 0;   // FP8 GEMMs, fraction of the FP8 peak
  double kernel_s = 0;   // fixed seconds per kernel
  double overlap = 0;    // 0 = the cluster's (planner/comm's) value
};

// InvalidArgument naming the field when a factor is outside (0, 1], kernel_s
// is negative or above 1 ms, or a stack appears twice.
absl::StatusOr<ComputeEfficiency> ComputeEfficiencyOf(
    const ClusterSpec& cluster, Stack stack);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_TIMING_COMPUTE_EFFICIENCY_H_
