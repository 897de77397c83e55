// The planner's prediction for one sweep row: the collective time that
// planner/comm predicts for this group's ranks on the cluster's network levels
// (rank r sits on node r / gpus_per_node), and the busbw that time implies with
// the nccl-tests factors.
#ifndef MEMWALL_RUNTIME_PREDICT_H_
#define MEMWALL_RUNTIME_PREDICT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/cluster.pb.h"
#include "runtime/collective.h"
#include "runtime/sweep.h"

namespace memwall::runtime {

class Predictor {
 public:
  // Loads the cluster (zoo name or path). `members` are the world ranks of the
  // group whose rows are predicted (group 0: every group of a layout has the
  // same shape).
  static absl::StatusOr<Predictor> Make(const std::string& cluster,
                                        std::vector<int> members);

  const ClusterSpec& cluster() const { return cluster_; }
  // Sets row.predicted_time_s and row.predicted_busbw_bytes_per_s.
  absl::Status Fill(const Collective& collective, SweepRow& row) const;

 private:
  ClusterSpec cluster_;
  std::vector<int> members_;
};

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_PREDICT_H_
