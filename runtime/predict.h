// The planner's prediction for one sweep row, from planner/comm: for the nccl
// backend the time NCCL's tuner model gives (CollectiveTime, fastest algorithm
// and protocol); for the mpi backend the Open MPI model of the algorithm the
// job runs (PredictOpenMpi: tuned's default choice unless --mpi_algorithm names
// the one pinned with --mca). The group is the job's group shape (size,
// stride), placed on the cluster with consecutive ranks filling a node. busbw
// is the predicted time turned into nccl-tests busbw with the same S and factor
// as the measured row, so the ratio compares like with like.
#ifndef MEMWALL_RUNTIME_PREDICT_H_
#define MEMWALL_RUNTIME_PREDICT_H_

#include <string>

#include "absl/status/statusor.h"
#include "planner/comm/mpi_model.h"
#include "planner/comm/network_model.h"
#include "proto/cluster.pb.h"
#include "runtime/collective.h"
#include "runtime/sweep.h"

namespace memwall::runtime {

// The runtime's collective for the planner's.
const Collective& RuntimeCollective(memwall::Collective op);

class Predictor {
 public:
  // `cluster` is a zoo name or a path; `mpi_algorithm` a name ParseMpiAlgorithm
  // accepts and `mpi_options` its segment size (both ignored for nccl).
  // NotFound / InvalidArgument naming the flag.
  static absl::StatusOr<Predictor> Make(
      const std::string& cluster, const std::string& backend,
      const std::string& mpi_algorithm, const MpiOptions& mpi_options,
      int64_t group_size, int64_t group_stride, int64_t world_size);

  const ClusterSpec& cluster() const { return cluster_; }
  // Sets row.predicted_time_s and row.predicted_busbw_bytes_per_s.
  absl::Status Fill(const Collective& collective, SweepRow& row) const;
  // Seconds of one call moving `size_bytes` (nccl-tests S) on `group` rather
  // than the job's group; 0 when the model has no figure (a group of one).
  absl::StatusOr<double> Time(const Collective& collective, double size_bytes,
                              GroupShape group) const;

 private:
  ClusterSpec cluster_;
  NetworkModel net_;
  bool nccl_ = false;
  MpiAlgorithm mpi_algorithm_ = MpiAlgorithm::kTunedDefault;
  MpiOptions mpi_options_;
  GroupShape group_;
};

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_PREDICT_H_
