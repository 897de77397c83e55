// Flags of `memwall plan` and `memwall fit`: the model, cluster, GPU count,
// training setup, and any layout dimension the user fixes (each a search
// constraint).
#ifndef MEMWALL_PLANNER_CLI_PLAN_REQUEST_H_
#define MEMWALL_PLANNER_CLI_PLAN_REQUEST_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/flags.h"
#include "planner/search/search.h"
#include "proto/cluster.pb.h"
#include "proto/model.pb.h"
#include "proto/training.pb.h"

namespace memwall {

struct PlanRequest {
  ModelSpec model;
  ClusterSpec cluster;
  TrainingSpec training;
  std::optional<int64_t>
      gpus;  // from --gpus or --nodes; unset for `fit` without it
  SearchConstraints constraints;
  SearchOptions options;
  bool any_layout_flag = false;  // some layout dimension was fixed
};

// Reads the flags; InvalidArgument naming the flag for bad values. `need_gpus`
// makes
// --gpus (or --nodes) required. Checks the GPU count against the cluster's
// nodes.
absl::StatusOr<PlanRequest> ParsePlanRequest(const Flags& flags,
                                             bool need_gpus);

// The step-time context of a request (model shape, cluster numbers, training).
absl::StatusOr<StepContext> MakeContext(const PlanRequest& request);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_CLI_PLAN_REQUEST_H_
