// Bytes one rank holds at its peak, in closed form, fast enough for the layout
// search's inner loop: model states by planner/memory's per-parameter rules
// (memwall profile: 2 + 4 + 12 bytes for bf16 Adam, sharded by ZeRO stage),
// activations per Korthikanti 2022 Table 2 generalised to GQA and gated MLPs,
// with the 1F1B / interleaved in-flight micro-batches of the first stage
// (Korthikanti Sec. 4.2.3) and the logits of the last.
#ifndef MEMWALL_PLANNER_SEARCH_RANK_MEMORY_H_
#define MEMWALL_PLANNER_SEARCH_RANK_MEMORY_H_

#include "planner/memory/model_states.h"
#include "planner/model/layout.h"
#include "planner/timing/step_time.h"
#include "proto/memory.pb.h"

namespace memwall {

struct RankMemory {
  double weights_bytes = 0;
  double gradients_bytes = 0;
  double optimizer_bytes = 0;
  double activations_bytes = 0;
  double other_bytes = 0;  // ZeRO-3 gathered layers, gradient buckets
  double host_bytes = 0;
  double total_bytes = 0;
  double in_flight_micro_batches = 0;
  int stage = 0;  // the peak stage: 0 (first) or pp - 1 (last)
};

// Bytes per parameter of the weights, gradients and optimizer states on the GPU
// and the host for a ZeRO stage over `shards` ranks and an offload mode:
// planner/memory's ShardedBytesPerParam under the memwall profile (the rules
// MemoryEvaluator applies).
ShardedStateBytes StateBytesPerParam(const StepContext& ctx, int zero_stage,
                                     Offload offload, double shards);

// Weights, gradients and optimizer states alone: a lower bound of the peak that
// needs no activation terms (the search prunes with it).
double ModelStatesBytes(const StepContext& ctx, const ParallelLayout& layout);

RankMemory EstimateRankMemory(const StepContext& ctx,
                              const ParallelLayout& layout);

// The report message for the peak stage, with capacity and fits.
MemoryReport ToMemoryReport(const StepContext& ctx, const RankMemory& memory,
                            const ParallelLayout& layout);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_SEARCH_RANK_MEMORY_H_
