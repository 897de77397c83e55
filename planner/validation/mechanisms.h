// The mechanisms a layout's predicted step time relies on (tensor, pipeline,
// context, expert parallelism, ZeRO stages, recomputation, FP8, the training
// stack, the cluster...), and which of them no published run of validation/
// exercises: `plan` and `fit` list those beside each candidate, so a
// prediction resting on unmeasured mechanisms says so.
#ifndef MEMWALL_PLANNER_VALIDATION_MECHANISMS_H_
#define MEMWALL_PLANNER_VALIDATION_MECHANISMS_H_

#include <string>
#include <vector>

#include "planner/layout/parallel_layout.h"
#include "planner/timing/step_time.h"

namespace memwall {

// Names of the mechanisms of one layout, each with the stack and cluster it
// runs on, e.g. "ZeRO-3 (fsdp on dgx-h100)", "flash attention (megatron on
// dgx-a100-80g)", and "stack megatron on dgx-b200".
std::vector<std::string> MechanismsOf(const StepContext& ctx,
                                      const ParallelLayout& layout,
                                      const ScheduleOptions& options,
                                      const std::string& cluster_name);

// The mechanisms of `layout` that no embedded validation row exercises.
std::vector<std::string> UnvalidatedMechanisms(const StepContext& ctx,
                                               const ParallelLayout& layout,
                                               const ScheduleOptions& options,
                                               const std::string& cluster_name);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_VALIDATION_MECHANISMS_H_
