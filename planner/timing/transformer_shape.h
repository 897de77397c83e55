// Per-model quantities the step-time model and the layout search read in their
// inner loop: a transformer's shape as plain numbers, its parameter counts by
// part, and its model FLOPs, computed once per model. The counts are
// planner/model's (CountParams, CountFlops: Narayanan et al. 2021 Eq. 2 and
// App. A, Megatron-LM `num_floating_point_operations`) on the model with its
// vocabulary padded to a multiple of 128 (docs/timing.md).
#ifndef MEMWALL_PLANNER_TIMING_TRANSFORMER_SHAPE_H_
#define MEMWALL_PLANNER_TIMING_TRANSFORMER_SHAPE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "planner/model/stage_params.h"
#include "proto/model.pb.h"

namespace memwall {

struct TransformerShape {
  int64_t layers = 0;
  int64_t hidden = 0;
  int64_t heads = 0;
  int64_t kv_heads = 0;
  int64_t head_dim = 0;  // of the Q, K, V and output projections
  // Per-head widths of the attention core: Q.K^T and A.V (planner/model's
  // SelfAttentionShape; MLA: nope + rope and v_head_dim, otherwise head_dim).
  int64_t qk_head_dim = 0;
  int64_t v_head_dim = 0;
  int64_t ffn = 0;
  int64_t vocab = 0;  // padded to a multiple of 128 (Megatron's default)
  int64_t seq = 0;
  bool gated = false;  // SwiGLU/GeGLU: three h x f matrices
  bool causal = false;
  bool dropout = false;
  bool tied = true;
  // MoE: experts per MoE layer, top-k, expert FFN size, MoE layers among
  // `layers`.
  int64_t experts = 0;
  int64_t top_k = 0;
  int64_t expert_ffn = 0;
  int64_t moe_layers = 0;

  // Parameters: one dense layer, one MoE layer without its routed experts, the
  // routed experts of one MoE layer, the input embedding (+ positions), the
  // output layer (0 when tied), and the whole model.
  double dense_layer_params = 0;
  double moe_layer_shared_params = 0;
  double moe_layer_expert_params = 0;
  double embedding_params = 0;
  double output_params = 0;
  double total_params = 0;
  // Where parameters sit per pipeline stage: the model's own counts (the
  // unpadded vocabulary), the same view planner/memory uses.
  StageParamModel stage_params;
  // Model FLOPs (forward + backward, no recomputation) of one sequence.
  double model_flops_per_sequence = 0;

  // The mean of the two core widths: 4 x it FLOPs per (query, key) pair.
  double core_head_dim() const { return (qk_head_dim + v_head_dim) / 2.0; }
  int64_t q_dim() const { return heads * head_dim; }
  int64_t kv_dim() const { return kv_heads * head_dim; }
  int64_t dense_layers() const { return layers - moe_layers; }
};

// Reads the transformer of `model` at sequence length `seq_len` (0 = the
// model's max_seq_len). InvalidArgument naming the field for a layer graph or
// bad sizes.
absl::StatusOr<TransformerShape> ShapeFromModel(const ModelSpec& model,
                                                int64_t seq_len);

// Model FLOPs of one training step on `sequences` sequences: forward + backward
// (3 passes), no recomputation, attention scores counted without the causal
// mask (CountFlops; Korthikanti 2022 App. A).
inline double ModelFlopsPerStep(const TransformerShape& shape,
                                double sequences) {
  return shape.model_flops_per_sequence * sequences;
}

}  // namespace memwall

#endif  // MEMWALL_PLANNER_TIMING_TRANSFORMER_SHAPE_H_
