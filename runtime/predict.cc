#include "runtime/predict.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/zoo.h"
#include "planner/comm/cost.h"

namespace memwall::runtime {
const Collective& RuntimeCollective(memwall::Collective op) {
  for (const Collective* c : AllCollectives()) {
    if (c->op == op) return *c;
  }
  return AllReduceCollective();  // unreachable: every op has a runtime file
}

absl::StatusOr<Predictor> Predictor::Make(
    const std::string& cluster, const std::string& backend,
    const std::string& mpi_algorithm, const MpiOptions& mpi_options,
    int64_t group_size, int64_t group_stride, int64_t world_size) {
  Predictor p;
  absl::Status loaded = LoadTextSpec(ClusterTextZoo(), cluster, &p.cluster_);
  if (absl::IsNotFound(loaded) && loaded.message().empty()) {
    return absl::NotFoundError(
        absl::StrCat("--cluster=", cluster,
                     " is neither a zoo cluster nor a readable file"));
  }
  MEMWALL_RETURN_IF_ERROR(loaded);
  auto net = BuildNetworkModel(p.cluster_);
  if (!net.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--cluster=", cluster, ": ", net.status().message()));
  }
  p.net_ = *net;
  const int64_t nodes = p.cluster_.num_nodes();
  if (nodes > 0 && world_size > nodes * p.cluster_.gpus_per_node()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the job's ", world_size, " ranks exceed --cluster=", cluster, " (",
        nodes, " nodes x ", p.cluster_.gpus_per_node(), " GPUs)"));
  }
  p.nccl_ = backend == "nccl";
  MEMWALL_ASSIGN_OR_RETURN(p.mpi_algorithm_,
                           ParseMpiAlgorithm(mpi_algorithm, "--mpi_algorithm"));
  p.mpi_options_ = mpi_options;
  p.group_ = GroupShape{group_size, group_stride};
  return p;
}

absl::StatusOr<double> Predictor::Time(const Collective& collective,
                                       double bytes, GroupShape group) const {
  const memwall::Collective op = collective.op;
  CollectiveCost cost;
  if (nccl_) {
    cost = CollectiveTime(net_, op, bytes, group);
  } else {
    MEMWALL_ASSIGN_OR_RETURN(
        MpiCost mpi,
        PredictOpenMpi(net_, op, bytes, group, mpi_algorithm_, mpi_options_));
    cost = mpi.cost;
  }
  if (!std::isfinite(cost.time_s) || cost.time_s < 0) {
    return absl::InternalError(absl::StrCat(
        "no prediction for ", collective.name, " of ", bytes,
        " bytes on --cluster=", cluster_.name(), " (time ", cost.time_s, ")"));
  }
  return cost.time_s;  // 0 for a group of one
}

absl::Status Predictor::Fill(const Collective& collective,
                             SweepRow& row) const {
  const double bytes = static_cast<double>(row.size_bytes);
  MEMWALL_ASSIGN_OR_RETURN(const double time, Time(collective, bytes, group_));
  if (time == 0) return absl::OkStatus();  // a group of one
  row.predicted_time_s = time;
  row.predicted_busbw_bytes_per_s =
      bytes / time * collective.bus_factor(row.group_size);
  return absl::OkStatus();
}

}  // namespace memwall::runtime
