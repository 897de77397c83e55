// Internal to the evaluator: the per-layout terms that every stage shares,
// computed once per Evaluate call so that each stage costs a few multiply-adds.
#ifndef MEMWALL_PLANNER_MEMORY_EVALUATOR_TERMS_H_
#define MEMWALL_PLANNER_MEMORY_EVALUATOR_TERMS_H_

#include <array>
#include <cstdint>

#include "planner/layout/stage_split.h"
#include "planner/memory/evaluator.h"
#include "planner/memory/model_states.h"

namespace memwall {

struct MemoryEvaluator::LayoutTerms {
  explicit LayoutTerms(PipelineSplit s) : split(s) {}
  // Megatron profile: its embedding/output-layer and spread final-norm terms
  // in place of StageParamModel's ends.
  bool megatron_ends = false;
  double dense_first = 0, dense_every = 0;
  ShardedStateBytes dense_bytes, expert_bytes;  // per parameter
  // Extra gradient bytes of the word and position embeddings (first stage)
  // and the output layer (last stage): apex DistributedFusedAdam as NeMo runs
  // it keeps their gradients in fp32 whatever grad_sync_dtype
  // (`_with_fp32_optimizer`).
  double end_grad_extra_first = 0, end_grad_extra_last = 0;
  // Saved activation bytes per micro-batch per layer of each kind, and the
  // embedding (first stage, per micro-batch) and output-layer (last stage,
  // once) extras.
  std::array<double, kNumLayerKinds> act_per_layer{};
  double act_first_per_micro_batch = 0, act_last = 0;
  std::array<double, kNumLayerKinds>
      recompute_transient{};  // full recompute: one whole layer
  double last_transient = 0;
  std::array<double, kNumLayerKinds> zero3_gathered{};
  // FP8 (Transformer Engine): the FP8 weight and its transpose each layer keeps
  // across the step's micro-batches.
  std::array<double, kNumLayerKinds> fp8_weights_per_layer{};
  int64_t micro_batches = 1;
  PipelineSplit split;      // planner/layout/stage_split.h
  LayoutParamTerms params;  // planner/model/stage_params.h
  int64_t cuda_context_bytes = 0, comm_buffer_bytes = 0;
  bool overheads = false;
};

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MEMORY_EVALUATOR_TERMS_H_
