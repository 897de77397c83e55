#include "planner/timing/cluster_params.h"

#include "absl/strings/str_cat.h"

namespace memwall {
namespace {

absl::Status PositiveField(const std::string& field, double value) {
  if (value > 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("cluster.", field, "=", value, " must be positive"));
}

absl::Status Fraction(const std::string& field, double value) {
  if (value > 0 && value <= 1) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("cluster.", field, "=", value, " must be in (0, 1]"));
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
                                                    Dtype dtype) {
  ClusterParams p;
  const GpuSpec& gpu = cluster.gpu();
  p.peak_flops = PeakFor(gpu, dtype);
  if (auto s = PositiveField(
          absl::StrCat("gpu.peak_flops_",
                       Dtype_Name(dtype == DTYPE_UNSPECIFIED ? BF16 : dtype)),
          p.peak_flops);
      !s.ok()) {
    return s;
  }
  p.hbm_bandwidth_bytes_per_s = gpu.hbm_bandwidth_bytes_per_s();
  if (auto s = PositiveField("gpu.hbm_bandwidth_bytes_per_s",
                             p.hbm_bandwidth_bytes_per_s);
      !s.ok()) {
    return s;
  }
  p.hbm_bytes = gpu.hbm_bytes();
  if (auto s = PositiveField("gpu.hbm_bytes", static_cast<double>(p.hbm_bytes));
      !s.ok()) {
    return s;
  }
  p.reserved_bytes = gpu.reserved_bytes();
  p.usable_fraction = gpu.usable_fraction() > 0 ? gpu.usable_fraction() : 1.0;
  p.gpus_per_node = cluster.gpus_per_node();
  if (auto s =
          PositiveField("gpus_per_node", static_cast<double>(p.gpus_per_node));
      !s.ok()) {
    return s;
  }
  p.num_nodes = cluster.num_nodes();
  p.host_bandwidth_bytes_per_s = cluster.host_bandwidth_bytes_per_s();
  p.host_bytes_per_gpu =
      static_cast<double>(cluster.host_memory_bytes_per_node()) /
      p.gpus_per_node;
  if (cluster.levels_size() < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("cluster.levels has ", cluster.levels_size(),
                     " entries; the step-time model needs level 0 (inside a "
                     "node) and level 1 "
                     "(between nodes)"));
  }
  for (int i = 0; i < 2; ++i) {
    const NetworkLevel& level = cluster.levels(i);
    if (auto s =
            PositiveField(absl::StrCat("levels[", i, "].bandwidth_bytes_per_s"),
                          level.bandwidth_bytes_per_s());
        !s.ok()) {
      return s;
    }
    if (level.latency_s() < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("cluster.levels[", i, "].latency_s=", level.latency_s(),
                       " must not be negative"));
    }
  }
  const double oversub = cluster.levels(1).oversubscription() > 1
                             ? cluster.levels(1).oversubscription()
                             : 1.0;
  p.intra_bandwidth_bytes_per_s = cluster.levels(0).bandwidth_bytes_per_s();
  p.intra_latency_s = cluster.levels(0).latency_s();
  p.inter_bandwidth_bytes_per_s =
      cluster.levels(1).bandwidth_bytes_per_s() / oversub;
  p.inter_latency_s = cluster.levels(1).latency_s();
  const Efficiency& e = cluster.efficiency();
  p.gemm_efficiency = e.gemm();
  p.hbm_efficiency = e.hbm();
  p.network_efficiency = e.network();
  p.overlap_efficiency = e.overlap();
  if (auto s = Fraction("efficiency.gemm", p.gemm_efficiency); !s.ok())
    return s;
  if (auto s = Fraction("efficiency.hbm", p.hbm_efficiency); !s.ok()) return s;
  if (auto s = Fraction("efficiency.network", p.network_efficiency); !s.ok())
    return s;
  if (auto s = Fraction("efficiency.overlap", p.overlap_efficiency); !s.ok())
    return s;
  return p;
}

absl::Status CheckGpuCount(const ClusterSpec& cluster, int64_t gpus) {
  const int64_t per_node = cluster.gpus_per_node();
  if (gpus <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--gpus=", gpus, " must be positive"));
  }
  if (per_node > 0 && gpus > per_node && gpus % per_node != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--gpus=", gpus, " is not a whole number of nodes of cluster.",
        "gpus_per_node=", per_node));
  }
  if (cluster.num_nodes() > 0 && per_node > 0 &&
      gpus > cluster.num_nodes() * per_node) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--gpus=", gpus, " exceeds cluster.num_nodes=", cluster.num_nodes(),
        " x ", "gpus_per_node=", per_node, " = ",
        cluster.num_nodes() * per_node, " GPUs"));
  }
  return absl::OkStatus();
}

}  // namespace memwall
