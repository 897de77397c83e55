#include "planner/comm/cluster_validate.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "common/checked.h"
#include "common/status.h"
#include "planner/comm/network_model.h"

namespace memwall {
namespace {

absl::Status Bad(const std::string& field, double value,
                 const std::string& why) {
  return absl::InvalidArgumentError(
      absl::StrCat("cluster.", field, "=", value, " ", why));
}

absl::Status ValidateFraction(const std::string& field, double value) {
  if (!(value >= 0 && value <= 1))
    return Bad(field, value, "must be in [0, 1]");
  return absl::OkStatus();
}

// A finite value in [low, high], or exactly 0 where `zero_means_unset` (the
// proto3 default, which the model replaces with its own default). The bounds
// are far outside any real hardware: their job is to stop denormals, NaN and
// infinities from reaching the step-time arithmetic as 1/x.
absl::Status ValidateRange(const std::string& field, double value, double low,
                           double high, bool zero_means_unset) {
  if (zero_means_unset && value == 0) return absl::OkStatus();
  if (!(value >= low && value <= high)) {
    return Bad(field, value,
               absl::StrCat("must be in [", low, ", ", high, "]",
                            zero_means_unset ? " (0 = default)" : ""));
  }
  return absl::OkStatus();
}

// Sane ranges (units in the field names). Bandwidths: 1 kB/s to 1 EB/s per
// link or GPU (the upper end stands for "free" in tests); peak FLOP/s: 1
// MFLOP/s to 1000 EFLOP/s; latency: up to 60 s.
constexpr double kMinBandwidth = 1e3, kMaxBandwidth = 1e18;
constexpr double kMinFlops = 1e6, kMaxFlops = 1e21;
constexpr double kMaxLatencyS = 60;
// HBM per GPU and host memory per node: at most 2^50 B (1 PiB).
constexpr int64_t kMaxMemoryBytes = int64_t{1} << 50;
// Below a tenth of HBM usable, the allocator headroom (1/f - 1 of the rest)
// would dwarf the model; efficiencies below 1% are typing errors.
constexpr double kMinUsableFraction = 0.1, kMinEfficiency = 0.01;
// More GPUs in a node than any machine has (and small enough that node counts
// times it stay far from int64 overflow).
constexpr int64_t kMaxGpusPerNode = 1 << 20;

absl::Status ValidateLevel(const ClusterSpec& cluster, int i) {
  const NetworkLevel& level = cluster.levels(i);
  const std::string path = absl::StrCat("levels[", i, "].");
  if (!(level.bandwidth_bytes_per_s() > 0)) {
    return Bad(path + "bandwidth_bytes_per_s", level.bandwidth_bytes_per_s(),
               "must be > 0");
  }
  for (const auto& [field, value] :
       {std::pair<const char*, double>{"bandwidth_bytes_per_s",
                                       level.bandwidth_bytes_per_s()},
        {"line_rate_bytes_per_s", level.line_rate_bytes_per_s()},
        {"in_network_busbw_bytes_per_s",
         level.in_network_busbw_bytes_per_s()}}) {
    if (value < 0) return Bad(path + field, value, "must be >= 0");
    // The link's bandwidth is required; the other two are optional.
    const bool optional = field[0] != 'b';
    MEMWALL_RETURN_IF_ERROR(ValidateRange(path + field, value, kMinBandwidth,
                                          kMaxBandwidth, optional));
  }
  if (level.line_rate_bytes_per_s() > 0 &&
      level.bandwidth_bytes_per_s() > level.line_rate_bytes_per_s()) {
    return Bad(path + "bandwidth_bytes_per_s", level.bandwidth_bytes_per_s(),
               absl::StrCat("exceeds line_rate_bytes_per_s=",
                            level.line_rate_bytes_per_s()));
  }
  if (!(level.latency_s() >= 0 && level.latency_s() <= kMaxLatencyS)) {
    return Bad(path + "latency_s", level.latency_s(),
               absl::StrCat("must be in [0, ", kMaxLatencyS, "]"));
  }
  if (level.oversubscription() != 0 &&
      !(level.oversubscription() >= 1 && level.oversubscription() <= 1e6)) {
    return Bad(path + "oversubscription", level.oversubscription(),
               "must be in [1, 1e+06] (0 = 1)");
  }
  if (level.kind() == LINK_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cluster.", path,
        "kind=LINK_KIND_UNSPECIFIED must be NVLINK, PCIE, NETWORK or "
        "SHARED_MEMORY"));
  }
  const int64_t domain = level.domain_size();
  if (domain < 0)
    return Bad(path + "domain_size", domain,
               "must be >= 0 (0 = whole cluster)");
  if (i == 0) {
    if (domain != 0 && domain != cluster.gpus_per_node()) {
      return Bad(path + "domain_size", domain,
                 absl::StrCat("must equal cluster.gpus_per_node=",
                              cluster.gpus_per_node()));
    }
    return absl::OkStatus();
  }
  const int64_t below =
      i == 1 ? cluster.gpus_per_node() : cluster.levels(i - 1).domain_size();
  if (i > 1 && below == 0) {
    return Bad(absl::StrCat("levels[", i - 1, "].domain_size"), 0,
               "spans the whole cluster, so no level can be above it");
  }
  if (domain != 0 && (domain <= below || domain % below != 0)) {
    return Bad(path + "domain_size", domain,
               absl::StrCat("must be a multiple of the level below (", below,
                            ") and larger"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateCluster(const ClusterSpec& cluster) {
  if (cluster.gpus_per_node() <= 0) {
    return Bad("gpus_per_node", cluster.gpus_per_node(), "must be > 0");
  }
  if (cluster.gpus_per_node() > kMaxGpusPerNode) {
    return Bad("gpus_per_node", cluster.gpus_per_node(),
               absl::StrCat("must be at most ", kMaxGpusPerNode));
  }
  if (cluster.num_nodes() > INT64_MAX / cluster.gpus_per_node()) {
    return Bad("num_nodes", static_cast<double>(cluster.num_nodes()),
               "x gpus_per_node overflows a GPU count");
  }
  if (cluster.num_nodes() < 0) {
    return Bad("num_nodes", cluster.num_nodes(),
               "must be >= 0 (0 = as many as asked for)");
  }
  const GpuSpec& gpu = cluster.gpu();
  if (gpu.hbm_bytes() <= 0) {
    return Bad("gpu.hbm_bytes", gpu.hbm_bytes(), "must be > 0");
  }
  if (gpu.hbm_bytes() > kMaxMemoryBytes) {
    return Bad("gpu.hbm_bytes", gpu.hbm_bytes(),
               absl::StrCat("must be at most ", kMaxMemoryBytes, " (1 PiB)"));
  }
  const std::pair<const char*, double> nonnegative[] = {
      {"gpu.hbm_bandwidth_bytes_per_s", gpu.hbm_bandwidth_bytes_per_s()},
      {"gpu.peak_flops_fp32", gpu.peak_flops_fp32()},
      {"gpu.peak_flops_tf32", gpu.peak_flops_tf32()},
      {"gpu.peak_flops_bf16", gpu.peak_flops_bf16()},
      {"gpu.peak_flops_fp16", gpu.peak_flops_fp16()},
      {"gpu.peak_flops_fp8", gpu.peak_flops_fp8()},
      {"gpu.reserved_bytes", static_cast<double>(gpu.reserved_bytes())},
      {"gpu.exp_ops_per_s", gpu.exp_ops_per_s()},
      {"host_memory_bytes_per_node",
       static_cast<double>(cluster.host_memory_bytes_per_node())},
      {"host_bandwidth_bytes_per_s", cluster.host_bandwidth_bytes_per_s()},
      {"host_memory_bandwidth_bytes_per_s",
       cluster.host_memory_bandwidth_bytes_per_s()},
      {"nics_per_node", static_cast<double>(cluster.nics_per_node())},
      {"nic_line_rate_bytes_per_s", cluster.nic_line_rate_bytes_per_s()},
  };
  for (const auto& [field, value] : nonnegative) {
    if (!(value >= 0)) return Bad(field, value, "must be >= 0");
  }
  if (gpu.reserved_bytes() >= gpu.hbm_bytes()) {
    return Bad("gpu.reserved_bytes", gpu.reserved_bytes(),
               absl::StrCat("must be below gpu.hbm_bytes=", gpu.hbm_bytes()));
  }
  if (cluster.host_memory_bytes_per_node() > kMaxMemoryBytes) {
    return Bad("host_memory_bytes_per_node",
               cluster.host_memory_bytes_per_node(),
               absl::StrCat("must be at most ", kMaxMemoryBytes, " (1 PiB)"));
  }
  const std::pair<const char*, double> rates[] = {
      {"gpu.hbm_bandwidth_bytes_per_s", gpu.hbm_bandwidth_bytes_per_s()},
      {"host_bandwidth_bytes_per_s", cluster.host_bandwidth_bytes_per_s()},
      {"host_memory_bandwidth_bytes_per_s",
       cluster.host_memory_bandwidth_bytes_per_s()},
      {"nic_line_rate_bytes_per_s", cluster.nic_line_rate_bytes_per_s()},
  };
  for (const auto& [field, value] : rates) {
    MEMWALL_RETURN_IF_ERROR(
        ValidateRange(field, value, kMinBandwidth, kMaxBandwidth, true));
  }
  const std::pair<const char*, double> flops[] = {
      {"gpu.peak_flops_fp32", gpu.peak_flops_fp32()},
      {"gpu.peak_flops_tf32", gpu.peak_flops_tf32()},
      {"gpu.peak_flops_bf16", gpu.peak_flops_bf16()},
      {"gpu.peak_flops_fp16", gpu.peak_flops_fp16()},
      {"gpu.peak_flops_fp8", gpu.peak_flops_fp8()},
  };
  for (const auto& [field, value] : flops) {
    MEMWALL_RETURN_IF_ERROR(
        ValidateRange(field, value, kMinFlops, kMaxFlops, true));
  }
  MEMWALL_RETURN_IF_ERROR(ValidateRange("gpu.usable_fraction",
                                        gpu.usable_fraction(),
                                        kMinUsableFraction, 1, true));
  if (cluster.levels_size() == 0) {
    return absl::InvalidArgumentError(
        "cluster.levels is empty: a cluster needs levels[0] (inside the node)");
  }
  if (cluster.num_nodes() != 1 && cluster.levels_size() < 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cluster.levels has 1 level but cluster.num_nodes=",
        cluster.num_nodes(),
        " allows more than one node: add levels[1] (between nodes)"));
  }
  if (cluster.levels_size() > kMaxNetworkLevels) {
    return Bad("levels_size", cluster.levels_size(),
               absl::StrCat("exceeds the ", kMaxNetworkLevels,
                            " levels memwall models"));
  }
  for (int i = 0; i < cluster.levels_size(); ++i) {
    if (absl::Status s = ValidateLevel(cluster, i); !s.ok()) return s;
  }
  const Efficiency& e = cluster.efficiency();
  for (const auto& [field, value] :
       {std::pair<const char*, double>{"efficiency.gemm", e.gemm()},
        {"efficiency.hbm", e.hbm()},
        {"efficiency.network", e.network()}}) {
    MEMWALL_RETURN_IF_ERROR(
        ValidateRange(field, value, kMinEfficiency, 1, true));
  }
  for (const auto& [field, value] :
       {std::pair<const char*, double>{"efficiency.overlap", e.overlap()},
        {"efficiency.overlap_slowdown", e.overlap_slowdown()}}) {
    if (absl::Status s = ValidateFraction(field, value); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ResolveGpuCount(const ClusterSpec& cluster,
                                        std::optional<int64_t> gpus,
                                        std::optional<int64_t> nodes) {
  const int64_t per_node = cluster.gpus_per_node();
  if (per_node <= 0) return Bad("gpus_per_node", per_node, "must be > 0");
  if (gpus.has_value() && *gpus <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("gpus=", *gpus, " must be > 0"));
  }
  if (nodes.has_value() && *nodes <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("nodes=", *nodes, " must be > 0"));
  }
  if (gpus.has_value() && *gpus > per_node && *gpus % per_node != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("gpus=", *gpus,
                     " is neither part of one node nor whole nodes of cluster.",
                     "gpus_per_node=", per_node));
  }
  if (nodes.has_value() && *nodes > INT64_MAX / per_node) {
    return absl::InvalidArgumentError(
        absl::StrCat("nodes=", *nodes, " is too large"));
  }
  int64_t count = gpus.value_or(nodes.value_or(1) * per_node);
  if (gpus.has_value() && nodes.has_value() && *gpus != *nodes * per_node) {
    return absl::InvalidArgumentError(absl::StrCat(
        "gpus=", *gpus, " disagrees with nodes=", *nodes,
        " x cluster.gpus_per_node=", per_node, " = ", *nodes * per_node));
  }
  const int64_t max_nodes = cluster.num_nodes();
  const std::optional<int64_t> max_gpus = CheckedMul(max_nodes, per_node);
  if (max_nodes > 0 && max_gpus && count > *max_gpus) {
    return absl::InvalidArgumentError(absl::StrCat(
        gpus.has_value() ? "gpus=" : "nodes=",
        gpus.has_value() ? *gpus : *nodes,
        " exceeds cluster.num_nodes=", max_nodes,
        " x cluster.gpus_per_node=", per_node, " = ", *max_gpus, " GPUs"));
  }
  return count;
}

}  // namespace memwall
