// Model states (weights, gradients, optimizer) of one rank in closed form: the
// search's lower bound. Before any activation is computed, a layout whose
// model states alone exceed the GPU's memory is pruned; the per-parameter rules
// are planner/memory's (memwall profile: 2 + 4 + 12 bytes for bf16 Adam,
// sharded by the ZeRO stage), so the bound never exceeds what MemoryEvaluator
// puts on the peak stage (tests/search/state_bound_test.cc).
#ifndef MEMWALL_PLANNER_SEARCH_STATE_BOUND_H_
#define MEMWALL_PLANNER_SEARCH_STATE_BOUND_H_

#include "planner/layout/parallel_layout.h"
#include "planner/memory/model_states.h"
#include "planner/timing/step_time.h"

namespace memwall {

// Bytes per parameter of the weights, gradients and optimizer states on the GPU
// and the host for a ZeRO stage over `shards` ranks and an offload mode:
// planner/memory's ShardedBytesPerParam under the memwall profile.
ShardedStateBytes StateBytesPerParam(const StepContext& ctx, int zero_stage,
                                     Offload offload, double shards);

// Weights, gradients and optimizer states of the most loaded stage's rank.
double ModelStatesBytes(const StepContext& ctx, const ParallelLayout& layout);

// Host bytes per rank of the offloaded states (0 without offload).
double HostStateBytes(const StepContext& ctx, const ParallelLayout& layout);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_SEARCH_STATE_BOUND_H_
