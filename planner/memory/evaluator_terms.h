// Internal to the evaluator: the per-layout terms that every stage shares,
// computed once per Evaluate call so that each stage costs a few multiply-adds.
#ifndef MEMWALL_PLANNER_MEMORY_EVALUATOR_TERMS_H_
#define MEMWALL_PLANNER_MEMORY_EVALUATOR_TERMS_H_

#include <array>
#include <cstdint>

#include "planner/memory/evaluator.h"
#include "planner/memory/model_states.h"

namespace memwall {

struct MemoryEvaluator::LayoutTerms {
  // Parameters this rank holds per layer of each kind: TP-sharded and
  // replicated parts (already divided by t), and routed experts (divided by ep
  // x etp).
  std::array<double, kNumLayerKinds> dense_per_layer{};
  std::array<double, kNumLayerKinds> expert_per_layer{};
  double dense_first = 0, dense_last = 0,
         dense_every = 0;  // embeddings, heads, spread norms
  ShardedStateBytes dense_bytes, expert_bytes;  // per parameter
  // Saved activation bytes per micro-batch per layer of each kind, and the
  // embedding (first stage, per micro-batch) and output-layer (last stage,
  // once) extras.
  std::array<double, kNumLayerKinds> act_per_layer{};
  double act_first_per_micro_batch = 0, act_last = 0;
  std::array<double, kNumLayerKinds>
      recompute_transient{};  // full recompute: one whole layer
  double last_transient = 0;
  std::array<double, kNumLayerKinds> zero3_gathered{};
  int64_t micro_batches = 1;
  // The stage split (pipeline_schedule.h) with its divisions done once: stages
  // of `base` layers at the edges (`front` from the start, `back` from the
  // end), base + 1 inside; interleaved chunks of `chunk` layers.
  int64_t base = 0, front = 0, back = 0, chunk = 0;
  int64_t cuda_context_bytes = 0, comm_buffer_bytes = 0;
  bool overheads = false;
};

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MEMORY_EVALUATOR_TERMS_H_
