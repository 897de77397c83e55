// memwall comm: predicted collective time, algbw and busbw on a cluster
// (nccl-tests sizes).
#include <cstdint>
#include <optional>

#include "absl/strings/str_format.h"
#include "common/status.h"
#include "common/units.h"
#include "planner/cli/commands.h"
#include "planner/cli/output.h"
#include "planner/comm/cluster_validate.h"
#include "planner/comm/cost.h"
#include "planner/comm/mpi_model.h"
#include "planner/comm/network_model.h"
#include "planner/comm/placement.h"
#include "planner/model/zoo.h"
#include "planner/report/html/pages.h"
#include "proto/comm.pb.h"

namespace memwall {
namespace {

struct Sizes {
  int64_t min_bytes;
  int64_t max_bytes;
};

absl::StatusOr<Sizes> GetSizes(const Flags& flags) {
  MEMWALL_ASSIGN_OR_RETURN(const int64_t bytes, flags.GetBytes("bytes", -1));
  MEMWALL_ASSIGN_OR_RETURN(int64_t min_bytes, flags.GetBytes("min_bytes", -1));
  MEMWALL_ASSIGN_OR_RETURN(int64_t max_bytes, flags.GetBytes("max_bytes", -1));
  if (bytes >= 0) {
    if (min_bytes >= 0 || max_bytes >= 0) {
      return absl::InvalidArgumentError(
          "--bytes excludes --min_bytes/--max_bytes");
    }
    return Sizes{bytes, bytes};
  }
  if (min_bytes < 0 && max_bytes < 0) return Sizes{kGiB, kGiB};
  if (min_bytes < 0) min_bytes = max_bytes;
  if (max_bytes < 0) max_bytes = min_bytes;
  if (min_bytes > max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--min_bytes=", min_bytes, " exceeds --max_bytes=", max_bytes));
  }
  return Sizes{min_bytes, max_bytes};
}

// Largest run the command sizes (2^40 GPUs), so spans stay far from overflow.
constexpr int64_t kMaxGpus = int64_t{1} << 40;

}  // namespace

absl::Status RunComm(const Flags& flags) {
  MEMWALL_ASSIGN_OR_RETURN(const Format format, GetFormat(flags, false, true));
  MEMWALL_ASSIGN_OR_RETURN(const std::string cluster_name,
                           flags.GetString("cluster", ""));
  MEMWALL_ASSIGN_OR_RETURN(const std::string op_name,
                           flags.GetString("op", "all_reduce"));
  MEMWALL_ASSIGN_OR_RETURN(const Sizes sizes, GetSizes(flags));
  MEMWALL_ASSIGN_OR_RETURN(const std::optional<int64_t> gpus_flag,
                           flags.GetOptionalInt("gpus"));
  MEMWALL_ASSIGN_OR_RETURN(const std::optional<int64_t> nodes_flag,
                           flags.GetOptionalInt("nodes"));
  MEMWALL_ASSIGN_OR_RETURN(const std::optional<int64_t> size_flag,
                           flags.GetOptionalInt("group_size"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t stride,
                           flags.GetInt("group_stride", 1));
  MEMWALL_ASSIGN_OR_RETURN(const std::string algorithm_name,
                           flags.GetString("algorithm", "auto"));
  MEMWALL_ASSIGN_OR_RETURN(const std::string mpi_name,
                           flags.GetString("mpi_algorithm", ""));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t segment,
                           flags.GetBytes("segment_bytes", 131072));
  const std::vector<std::string> sets = flags.GetAll("set");
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("comm"));

  if (cluster_name.empty())
    return absl::InvalidArgumentError("--cluster is required");
  MEMWALL_ASSIGN_OR_RETURN(const ClusterSpec cluster,
                           LoadCluster(cluster_name, sets));
  MEMWALL_ASSIGN_OR_RETURN(const NetworkModel net, BuildNetworkModel(cluster));
  MEMWALL_ASSIGN_OR_RETURN(const Collective op,
                           ParseCollective(op_name, "--op"));
  // Without --gpus/--nodes the run is as large as the group asks for (whole
  // nodes), or the whole cluster when it has a node count, or one node.
  std::optional<int64_t> gpus = gpus_flag;
  std::optional<int64_t> nodes = nodes_flag;
  if (!gpus.has_value() && !nodes.has_value() && !size_flag.has_value() &&
      cluster.num_nodes() > 0) {
    nodes = cluster.num_nodes();
  }
  if (size_flag.has_value() && *size_flag > 0 && stride > 0 &&
      *size_flag - 1 > kMaxGpus / stride) {
    return absl::InvalidArgumentError(
        absl::StrCat("--group_size=", *size_flag, " x --group_stride=", stride,
                     " spans more than ", kMaxGpus, " GPUs"));
  }
  if (!gpus.has_value() && !nodes.has_value() && size_flag.has_value() &&
      *size_flag > 0 && stride > 0) {
    const int64_t span = (*size_flag - 1) * stride + 1;
    const int64_t per_node = cluster.gpus_per_node();
    gpus =
        span <= per_node ? span : (span + per_node - 1) / per_node * per_node;
  }
  MEMWALL_ASSIGN_OR_RETURN(const int64_t total,
                           ResolveGpuCount(cluster, gpus, nodes));
  const GroupShape group{size_flag.value_or(total), stride};
  if (group.size < 1 || group.stride < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("--group_size=", group.size,
                     " and --group_stride=", group.stride, " must be >= 1"));
  }
  if ((group.size - 1) > (total - 1) / group.stride) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--group_size=", group.size, " x --group_stride=", group.stride,
        " needs more than the run's ", total, " GPUs"));
  }

  CommReport report;
  report.set_cluster(cluster.name());
  report.set_op(CollectiveName(op));
  report.set_gpus(total);
  report.set_group_size(group.size);
  report.set_group_stride(group.stride);
  const GroupSpan span = SpanOf(net, group);
  for (int l = 0; l < net.num_levels; ++l) {
    report.add_members_per_domain(span.members_per_domain[l]);
  }
  const bool mpi = !mpi_name.empty();
  report.set_model(mpi ? "openmpi" : "nccl");
  std::optional<Algorithm> algorithm;
  std::optional<MpiAlgorithm> mpi_algorithm;
  if (mpi) {
    MEMWALL_ASSIGN_OR_RETURN(mpi_algorithm,
                             ParseMpiAlgorithm(mpi_name, "--mpi_algorithm"));
    report.set_requested_algorithm(mpi_name);
  } else {
    MEMWALL_ASSIGN_OR_RETURN(algorithm,
                             ParseAlgorithm(algorithm_name, "--algorithm"));
    report.set_requested_algorithm(algorithm_name);
  }

  std::string table = absl::StrFormat(
      "# %s on %s: group of %d (stride %d) out of %d GPUs; members per level "
      "domain:",
      CollectiveName(op), cluster.name(), group.size, group.stride, total);
  for (int l = 0; l < net.num_levels; ++l) {
    absl::StrAppendFormat(&table, " %s=%d", cluster.levels(l).name(),
                          span.members_per_domain[l]);
  }
  absl::StrAppendFormat(&table, "\n# %12s %12s %10s %10s  %-18s %-7s %s\n",
                        "size(B)", "time(us)", "algbw", "busbw", "algorithm",
                        "proto", "bottleneck");
  absl::StrAppendFormat(&table, "# %12s %12s %10s %10s\n", "", "", "(GB/s)",
                        "(GB/s)");
  for (int64_t bytes = sizes.min_bytes;; bytes *= 2) {
    CommRow* row = report.add_rows();
    row->set_bytes(bytes);
    CollectiveCost cost;
    if (mpi) {
      MpiOptions options;
      options.segment_bytes = static_cast<double>(segment);
      MEMWALL_ASSIGN_OR_RETURN(
          const MpiCost m, PredictOpenMpi(net, op, static_cast<double>(bytes),
                                          group, *mpi_algorithm, options));
      cost = m.cost;
      row->set_algorithm(MpiAlgorithmName(m.mpi_algorithm));
    } else {
      MEMWALL_ASSIGN_OR_RETURN(
          cost, CheckedCollectiveTime(net, op, static_cast<double>(bytes),
                                      group, *algorithm));
      row->set_algorithm(AlgorithmName(cost.algorithm));
      row->set_protocol(ProtocolName(cost.protocol));
    }
    row->set_time_s(cost.time_s);
    row->set_algbw_bytes_per_s(cost.algbw_bytes_per_s);
    row->set_busbw_bytes_per_s(cost.busbw_bytes_per_s);
    row->set_bottleneck_level(cost.bottleneck_level);
    if (cost.bottleneck_level >= 0) {
      row->set_bottleneck(cluster.levels(cost.bottleneck_level).name());
    }
    absl::StrAppendFormat(&table, "  %12d %12.2f %10s %10s  %-18s %-7s %s\n",
                          bytes, cost.time_s * 1e6,
                          FormatGBPerS(cost.algbw_bytes_per_s),
                          FormatGBPerS(cost.busbw_bytes_per_s),
                          row->algorithm(), row->protocol(), row->bottleneck());
    if (bytes >= sizes.max_bytes || bytes == 0 || bytes > INT64_MAX / 2) break;
  }
  MEMWALL_RETURN_IF_ERROR(PrintReport(format, report, table,
                                      [&] { return html::CommPage(report); }));
  return absl::OkStatus();
}

}  // namespace memwall
