// `memwall plan` and `memwall fit`: the shared request (request.h) plus what
// the search needs: a cluster, a transformer, the global batch (the model's
// training batch by default), --top and --threads, and the memory evaluator
// that decides fit. The user's fixed layout flags are the search's
// constraints.
#ifndef MEMWALL_PLANNER_CLI_PLAN_REQUEST_H_
#define MEMWALL_PLANNER_CLI_PLAN_REQUEST_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/flags.h"
#include "planner/cli/request.h"
#include "planner/search/search.h"
#include "proto/cluster.pb.h"
#include "proto/model.pb.h"
#include "proto/training.pb.h"

namespace memwall {

struct PlanRequest {
  ModelSpec model;
  ClusterSpec cluster;
  TrainingSpec training;
  std::optional<int64_t> gpus;  // unset for `fit` without --gpus / --nodes
  LayoutChoice constraints;     // the layout flags the user fixed
  SearchOptions options;
  Format format = Format::kTable;
};

// Reads the flags; InvalidArgument naming the flag for bad values, and the
// layout rules (CheckLayoutChoice) on the fixed flags. `need_gpus` makes
// --gpus (or --nodes) required.
absl::StatusOr<PlanRequest> ParsePlanRequest(const Flags& flags,
                                             bool need_gpus);

// The step-time context of a request (model shape, cluster numbers, training).
absl::StatusOr<StepContext> MakeContext(const PlanRequest& request);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_CLI_PLAN_REQUEST_H_
