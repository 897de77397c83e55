// The shape of one self-attention block of a TransformerSpec: standard
// multi-head attention with grouped KV heads (GQA/MQA), or DeepSeek's
// multi-head latent attention (MLA). Parameter, FLOP and activation counts all
// read attention through this one definition (docs/memory.md, "Attention
// shapes").
#ifndef MEMWALL_PLANNER_MODEL_ATTENTION_SHAPE_H_
#define MEMWALL_PLANNER_MODEL_ATTENTION_SHAPE_H_

#include <cstdint>

#include "proto/model.pb.h"

namespace memwall {

struct AttentionShape {
  int64_t heads = 0;
  int64_t kv_heads = 0;     // heads of K and V (MLA: every head has its own)
  int64_t qk_head_dim = 0;  // per-head width of Q and K (MLA: nope + rope)
  int64_t v_head_dim = 0;   // per-head width of V and of the AV product
  // Weights of the linear projections (Q, K, V, O; MLA: the down and up
  // projections of the query and key/value latents and O).
  int64_t weights = 0;
  // One bias per output unit of the biased projections.
  int64_t biases = 0;
  // Units of the RMSNorms inside the block (MLA latents; Qwen3 QK norm).
  int64_t norm_units = 0;
  // Per-head learned sink logits (gpt-oss).
  int64_t sinks = 0;
  // MLA: latent widths saved per token (query and key/value latents before and
  // after their norms, plus the shared RoPE key); 0 for standard attention.
  int64_t latent_saved_width = 0;

  // Widths per token of Q, K, V and the AV product (all heads).
  int64_t q_width() const { return heads * qk_head_dim; }
  int64_t k_width() const { return kv_heads * qk_head_dim; }
  int64_t v_width() const { return kv_heads * v_head_dim; }
  int64_t av_width() const { return heads * v_head_dim; }
};

// `count_biases` is the counting convention's switch (false: Megatron's
// estimator ignores linear biases); the spec says which biases exist.
AttentionShape SelfAttentionShape(const TransformerSpec& spec,
                                  bool count_biases);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_ATTENTION_SHAPE_H_
