#include "planner/comm/cluster_validate.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
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

absl::Status ValidateLevel(const ClusterSpec& cluster, int i) {
  const NetworkLevel& level = cluster.levels(i);
  const std::string path = absl::StrCat("levels[", i, "].");
  if (!(level.bandwidth_bytes_per_s() > 0)) {
    return Bad(path + "bandwidth_bytes_per_s", level.bandwidth_bytes_per_s(),
               "must be > 0");
  }
  if (level.line_rate_bytes_per_s() < 0) {
    return Bad(path + "line_rate_bytes_per_s", level.line_rate_bytes_per_s(),
               "must be >= 0");
  }
  if (level.line_rate_bytes_per_s() > 0 &&
      level.bandwidth_bytes_per_s() > level.line_rate_bytes_per_s()) {
    return Bad(path + "bandwidth_bytes_per_s", level.bandwidth_bytes_per_s(),
               absl::StrCat("exceeds line_rate_bytes_per_s=",
                            level.line_rate_bytes_per_s()));
  }
  if (level.in_network_busbw_bytes_per_s() < 0) {
    return Bad(path + "in_network_busbw_bytes_per_s",
               level.in_network_busbw_bytes_per_s(), "must be >= 0");
  }
  if (level.latency_s() < 0)
    return Bad(path + "latency_s", level.latency_s(), "must be >= 0");
  if (level.oversubscription() != 0 && level.oversubscription() < 1) {
    return Bad(path + "oversubscription", level.oversubscription(),
               "must be >= 1 (0 = 1)");
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
  if (cluster.num_nodes() > INT64_MAX / cluster.gpus_per_node()) {
    return Bad("num_nodes", static_cast<double>(cluster.num_nodes()),
               "x gpus_per_node overflows a GPU count");
  }
  if (cluster.num_nodes() < 0) {
    return Bad("num_nodes", cluster.num_nodes(),
               "must be >= 0 (0 = as many as asked for)");
  }
  if (cluster.gpu().hbm_bytes() <= 0) {
    return Bad("gpu.hbm_bytes", cluster.gpu().hbm_bytes(), "must be > 0");
  }
  const GpuSpec& gpu = cluster.gpu();
  const std::pair<const char*, double> nonnegative[] = {
      {"gpu.hbm_bandwidth_bytes_per_s", gpu.hbm_bandwidth_bytes_per_s()},
      {"gpu.peak_flops_fp32", gpu.peak_flops_fp32()},
      {"gpu.peak_flops_tf32", gpu.peak_flops_tf32()},
      {"gpu.peak_flops_bf16", gpu.peak_flops_bf16()},
      {"gpu.peak_flops_fp16", gpu.peak_flops_fp16()},
      {"gpu.peak_flops_fp8", gpu.peak_flops_fp8()},
      {"gpu.reserved_bytes", static_cast<double>(gpu.reserved_bytes())},
      {"host_memory_bytes_per_node",
       static_cast<double>(cluster.host_memory_bytes_per_node())},
      {"host_bandwidth_bytes_per_s", cluster.host_bandwidth_bytes_per_s()},
      {"host_memory_bandwidth_bytes_per_s",
       cluster.host_memory_bandwidth_bytes_per_s()},
      {"nics_per_node", static_cast<double>(cluster.nics_per_node())},
      {"nic_line_rate_bytes_per_s", cluster.nic_line_rate_bytes_per_s()},
  };
  for (const auto& [field, value] : nonnegative) {
    if (value < 0) return Bad(field, value, "must be >= 0");
  }
  if (gpu.usable_fraction() < 0 || gpu.usable_fraction() > 1) {
    return Bad("gpu.usable_fraction", gpu.usable_fraction(),
               "must be in [0, 1] (0 = default)");
  }
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
        {"efficiency.network", e.network()},
        {"efficiency.overlap", e.overlap()},
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
  if (max_nodes > 0 && count > max_nodes * per_node) {
    return absl::InvalidArgumentError(absl::StrCat(
        gpus.has_value() ? "gpus=" : "nodes=",
        gpus.has_value() ? *gpus : *nodes, " exceeds cluster.num_nodes=",
        max_nodes, " x cluster.gpus_per_node=", per_node, " = ",
        max_nodes * per_node, " GPUs"));
  }
  return count;
}

}  // namespace memwall
