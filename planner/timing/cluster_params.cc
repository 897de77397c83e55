#include "planner/timing/cluster_params.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "planner/comm/efficiency.h"
#include "planner/timing/compute_efficiency.h"

namespace memwall {
namespace {

absl::Status PositiveField(const std::string& field, double value) {
  if (value > 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("cluster.", field, "=", value, " must be positive"));
}

double PeakFor(const GpuSpec& gpu, Dtype dtype) {
  switch (dtype) {
    case FP32:
      return gpu.peak_flops_tf32() > 0 ? gpu.peak_flops_tf32()
                                       : gpu.peak_flops_fp32();
    case FP16:
      return gpu.peak_flops_fp16();
    case FP8:
      return gpu.peak_flops_fp8();
    default:
      return gpu.peak_flops_bf16();
  }
}

}  // namespace

absl::StatusOr<ClusterParams> ClusterParamsFromSpec(const ClusterSpec& cluster,
                                                    Dtype dtype, Stack stack) {
  ClusterParams p;
  // Validates the cluster (planner/comm/cluster_validate.h).
  MEMWALL_ASSIGN_OR_RETURN(p.network, BuildNetworkModel(cluster));
  static std::atomic<uint64_t> next_id{1};
  p.id = next_id.fetch_add(1, std::memory_order_relaxed);
  const GpuSpec& gpu = cluster.gpu();
  p.peak_flops = PeakFor(gpu, dtype);
  if (p.peak_flops <= 0 && (dtype == BF16 || dtype == DTYPE_UNSPECIFIED) &&
      gpu.peak_flops_fp16() > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cluster.gpu.peak_flops_bf16=0: ", gpu.name(),
                     " has no bf16 tensor cores; use --dtype=fp16"));
  }
  MEMWALL_RETURN_IF_ERROR(PositiveField(
      absl::StrCat("gpu.peak_flops_",
                   Dtype_Name(dtype == DTYPE_UNSPECIFIED ? BF16 : dtype)),
      p.peak_flops));
  p.hbm_bandwidth_bytes_per_s = gpu.hbm_bandwidth_bytes_per_s();
  MEMWALL_RETURN_IF_ERROR(PositiveField("gpu.hbm_bandwidth_bytes_per_s",
                                        p.hbm_bandwidth_bytes_per_s));
  p.gpus_per_node = cluster.gpus_per_node();
  p.num_nodes = cluster.num_nodes();
  p.host_bandwidth_bytes_per_s = cluster.host_bandwidth_bytes_per_s();
  p.host_memory_bandwidth_bytes_per_s =
      cluster.host_memory_bandwidth_bytes_per_s();
  p.host_bytes_per_gpu =
      static_cast<double>(cluster.host_memory_bytes_per_node()) /
      p.gpus_per_node;
  // Unset (zero) factors take planner/comm's documented defaults.
  const EfficiencyFactors e = EfficiencyOf(cluster);
  p.gemm_efficiency = e.gemm;
  p.hbm_efficiency = e.hbm;
  p.overlap_efficiency = e.overlap;
  p.overlap_slowdown = e.overlap_slowdown;
  MEMWALL_ASSIGN_OR_RETURN(const ComputeEfficiency ce,
                           ComputeEfficiencyOf(cluster, stack));
  p.gemm_efficiency = ce.gemm;
  p.hbm_efficiency = ce.hbm;
  p.attention_efficiency = ce.attention;
  p.fp8_gemm_efficiency = ce.fp8_gemm;
  p.kernel_s = ce.kernel_s;
  if (ce.overlap > 0) p.overlap_efficiency = ce.overlap;
  p.fp8 = dtype == FP8;
  p.peak_flops_16bit = p.fp8 ? PeakFor(gpu, BF16) : p.peak_flops;
  // Without the GPU's exponential rate, the head dimension fills like a GEMM
  // tile (kGemmTileDim).
  const double bf16_peak = PeakFor(gpu, BF16);
  p.attention_exp_head_dim = gpu.exp_ops_per_s() > 0 && bf16_peak > 0
                                 ? bf16_peak / (4 * gpu.exp_ops_per_s())
                                 : kGemmTileDim;
  if (p.fp8) {
    MEMWALL_RETURN_IF_ERROR(
        PositiveField("gpu.peak_flops_bf16", p.peak_flops_16bit));
  }
  return p;
}

}  // namespace memwall
