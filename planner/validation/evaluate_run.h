// One measured run against memwall's prediction: the step-time model
// (planner/timing) on the row's model, cluster, layout and stack, the memory
// model (planner/memory, profile memwall) on the same layout for "does it
// fit", and the error predicted / measured - 1. The report adds the mean and
// maximum |error| over all rows and per source.
#ifndef MEMWALL_PLANNER_VALIDATION_EVALUATE_RUN_H_
#define MEMWALL_PLANNER_VALIDATION_EVALUATE_RUN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "planner/timing/step_time.h"
#include "planner/validation/runs.h"
#include "proto/cluster.pb.h"
#include "proto/plan.pb.h"

namespace memwall {

// The row's scheduling: Megatron's --tp-comm-overlap (the stack is in its
// training).
ScheduleOptions ScheduleOf(const ValidationRun& run);

// "t8p8d1b1S": the degrees, "c" context, "v" chunks, "b" micro-batch, "z" ZeRO
// stage, then F (full) or S (selective) recomputation; as validate prints it.
std::string ValidationLayoutText(const Layout& layout);

// The row's cluster from the zoo or a file; errors carry the row's label.
absl::StatusOr<ClusterSpec> ClusterOfRun(const LoadedRun& run);

// Predicts the row on `cluster` (its own cluster, or one being calibrated).
absl::StatusOr<ValidationCase> EvaluateRun(const LoadedRun& run,
                                           const ClusterSpec& cluster);

// Every row on its own cluster, or on `cluster` when not null.
absl::StatusOr<ValidationReport> BuildValidationReport(
    const std::vector<LoadedRun>& runs, const ClusterSpec* cluster = nullptr);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_VALIDATION_EVALUATE_RUN_H_
