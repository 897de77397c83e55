// The plan report of `memwall plan` for a parsed request: the search over the
// layouts the request leaves free, or, when --tp and --pp are both given, that
// one layout scored (with a note when it does not fit). `memwall plan` prints
// it; `memwall-run replay` builds it from the same flags instead of reading a
// saved plan.
#ifndef MEMWALL_PLANNER_CLI_BUILD_PLAN_H_
#define MEMWALL_PLANNER_CLI_BUILD_PLAN_H_

#include "absl/status/statusor.h"
#include "planner/cli/plan_request.h"
#include "proto/plan.pb.h"

namespace memwall {

// `request` must come from ParsePlanRequest(flags, /*need_gpus=*/true).
absl::StatusOr<PlanReport> BuildPlan(const PlanRequest& request);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_CLI_BUILD_PLAN_H_
