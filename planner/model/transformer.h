// Parameter, FLOP and saved-activation counts of a parametric transformer
// (TransformerSpec).
//
// Parameters are counted component by component as the real model holds them
// (biases, learned positions, norms, routers, experts, ALBERT sharing,
// encoder-decoder cross attention, BERT token types / pooler / MLM head).
// Megatron-LM's convention (no linear biases, no learned positions, padded
// vocabulary; `theoretical_memory_usage.py`) is a ParamConvention. FLOPs follow
// Narayanan et al. 2021 App. A, Korthikanti et al. 2022 App. A and Megatron's
// `num_floating_point_operations`. Saved activations generalize Korthikanti et
// al. 2022 §4 (Table 2) tensor by tensor; see docs/memory.md.
#ifndef MEMWALL_PLANNER_MODEL_TRANSFORMER_H_
#define MEMWALL_PLANNER_MODEL_TRANSFORMER_H_

#include <array>
#include <cstdint>
#include <vector>

#include "proto/model.pb.h"
#include "proto/training.pb.h"

namespace memwall {

// The four kinds of transformer layer; a stage's cost is a count of each.
enum class LayerKind : int {
  kDense = 0,
  kMoe = 1,
  kDecoderDense = 2,
  kDecoderMoe = 3
};
inline constexpr int kNumLayerKinds = 4;

// Parameters of one layer by component.
struct LayerParams {
  int64_t attention = 0;  // Q, K, V, O (+ biases); sharded by TP
  int64_t cross_attention =
      0;                // decoder layers of an encoder-decoder model; TP
  int64_t mlp = 0;      // dense MLP, or the shared experts of an MoE layer; TP
  int64_t experts = 0;  // all routed experts of an MoE layer; EP x ETP
  int64_t router = 0;   // replicated
  int64_t norms = 0;    // replicated
  int64_t total() const {
    return attention + cross_attention + mlp + experts + router + norms;
  }
};

// How parameters are counted.
struct ParamConvention {
  bool linear_bias = true;  // false: Megatron's estimator ignores linear biases
  bool learned_positions =
      true;  // false: Megatron's estimator ignores position tables
  // Norm parameters per hidden unit; 0 = by norm kind (LayerNorm 2, RMSNorm 1).
  int norm_params_per_unit = 0;
  // Vocabulary to count (Megatron's padded vocabulary); 0 = the model's own.
  int64_t vocab_size = 0;
};

struct TransformerParams {
  int64_t word_embedding = 0;  // V x E
  int64_t embedding_projection =
      0;  // ALBERT factorized embedding: E x h (+ bias)
  int64_t position_embedding = 0;    // learned positions: max_seq_len x E
  int64_t token_type_embedding = 0;  // BERT segments: types x E
  int64_t embedding_norm = 0;  // BERT/ALBERT LayerNorm after the embeddings
  int64_t output_layer = 0;    // untied LM head (V x h); 0 when tied
  int64_t final_norms = 0;     // final norm of each stack
  int64_t pooler = 0;          // BERT pooler
  int64_t mlm_head = 0;  // BERT MLM transform (dense + norm) and output bias
  int64_t relative_bias = 0;  // T5 relative position tables
  // Multi-token-prediction modules (DeepSeek-V3): all but their routed experts,
  // and their routed experts.
  int64_t mtp = 0;
  int64_t mtp_experts = 0;
  std::array<LayerParams, kNumLayerKinds> layer;     // one layer of each kind
  std::array<int64_t, kNumLayerKinds> num_layers{};  // layers of each kind
  // Distinct layer parameter sets held (ALBERT shares one set across all
  // layers).
  int64_t layer_param_sets = 0;
  int64_t layers_total =
      0;  // parameters of all layers (shared sets counted once)
  int64_t embeddings_total =
      0;  // word + projection + positions + types + embedding norm
  int64_t total = 0;
  // The largest single module's own parameters (DeepSpeed's "largest layer").
  int64_t largest_module = 0;
};

TransformerParams CountParams(const TransformerSpec& spec,
                              const ParamConvention& convention = {});

// Layer kinds in execution order (encoder, then decoder); MoE layers per
// MoeSpec.first_dense_layers and layer_freq.
std::vector<LayerKind> LayerSequence(const TransformerSpec& spec);

// The kind of layer i of the main stack (kDense or kMoe), as LayerSequence
// places it; multi-token-prediction modules repeat the last one's kind.
LayerKind MainLayerKind(const TransformerSpec& spec, int64_t i);

// Megatron's padded vocabulary: ceil(V / (128 t)) x 128 t
// (`vocab_size_with_padding`).
int64_t PaddedVocab(int64_t vocab_size, int64_t tp, int64_t divisible_by = 128);

// FLOPs (2 per multiply-add, GEMMs only) of one sequence of seq_len tokens.
struct TransformerFlops {
  double forward_flops =
      0;  // one forward pass (attention s^2 terms, logits included)
  double attention_score_forward_flops =
      0;                            // the QK^T and AV part of forward_flops
  double logits_forward_flops = 0;  // the output-layer part of forward_flops
  double model_flops = 0;  // forward + backward (3 x forward): what MFU counts
  double hardware_flops =
      0;  // model_flops plus recomputation (what HFU counts)
  // Forward FLOPs of all layers of each kind, and of the MTP modules (logits
  // included); both are parts of forward_flops.
  std::array<double, kNumLayerKinds> layer_forward_flops{};
  double mtp_forward_flops = 0;
};

struct FlopsOptions {
  int64_t seq_len = 0;  // 0 = spec.max_seq_len
  // Count only half of the s^2 attention terms under a causal mask (Megatron >=
  // 2025-03).
  bool causal_halving = false;
  Recompute recompute = RECOMPUTE_NONE;
};

TransformerFlops CountFlops(const TransformerSpec& spec,
                            const FlopsOptions& options);

// Forward FLOPs of each layer of LayerSequence(spec), in order, for one
// sequence (sliding-window layers attend to at most sliding_window keys).
std::vector<double> LayerForwardFlops(const TransformerSpec& spec,
                                      const FlopsOptions& options);

// True when layer i of the main stack uses sliding-window attention.
bool IsSlidingLayer(const TransformerSpec& spec, int64_t i);

// Closed forms, per step of B sequences, for checks against the papers (GPT, f
// = 4h). Narayanan 2021 App. A (includes the full-recompute forward): 96 B s l
// h^2 (1 + s/(6h) + V/(16 l h)).
double NarayananFlops(double B, double s, double l, double h, double V);
// Korthikanti 2022 App. A model FLOPs: 72 B s L h^2 (1 + s/(6h) + V/(12 h L)).
double KorthikantiModelFlops(double B, double s, double L, double h, double V);
// Korthikanti 2022 App. A hardware FLOPs with selective recompute: s/(3h) in
// place of s/(6h).
double KorthikantiSelectiveHardwareFlops(double B, double s, double L, double h,
                                         double V);

// What one rank saves for backward in one layer for one micro-batch.
struct ActivationOptions {
  int64_t seq_len = 0;
  int64_t micro_batch = 1;
  int64_t tp = 1;
  int64_t cp = 1;
  int64_t etp = 1;
  int64_t ep = 1;
  bool sequence_parallel = false;
  bool flash_attention = false;
  Recompute recompute = RECOMPUTE_NONE;
  int activation_bytes =
      2;  // bytes per activation element (2: fp16/bf16, 4: fp32)
};

// Saved bytes of one layer of `kind`, derived tensor by tensor
// (docs/memory.md): matches Korthikanti Table 2 for a GPT layer and extends it
// to GQA, SwiGLU, no dropout, FlashAttention, CP and MoE.
double LayerActivationBytes(const TransformerSpec& spec, LayerKind kind,
                            const ActivationOptions& options);

// Coefficients so that LayerActivationBytes = b (s/c) [replicated (1 if SP:
// 1/t) + sharded/t] + b (s/c) s a score / t, for fast evaluation of many
// layouts.
struct ActivationCoefficients {
  double replicated_bytes_per_token =
      0;                               // held whole by every TP rank unless SP
  double sharded_bytes_per_token = 0;  // divided by TP
  double score_bytes_per_token_pair =
      0;  // per head and (query, key) pair; divided by TP
  double expert_bytes_per_token = 0;       // routed experts, divided by ETP
  double layer_input_bytes_per_token = 0;  // the full-recompute checkpoint
  // Bytes per layer and micro-batch whatever the tokens (eager autocast's
  // 16-bit weight copies); 0 for the fused convention.
  double fixed_bytes = 0;
};
// `linear_input_bytes`: bytes per element of the inputs the linear layers
// save for their weight gradient; 0 means activation_bytes, 1 Transformer
// Engine's FP8 linear layers (docs/memory.md).
ActivationCoefficients LayerActivationCoefficients(
    const TransformerSpec& spec, LayerKind kind, bool flash_attention,
    Recompute recompute, int activation_bytes, int linear_input_bytes = 0);

// Korthikanti et al. 2022 Table 2, bytes per layer (GPT layer, f = 4h, 2-byte
// activations).
enum class KorthikantiTechnique {
  kNone,                     // sbh (34 + 5as/h)
  kTensor,                   // sbh (10 + 24/t + 5as/(ht))
  kTensorSequence,           // sbh (34/t + 5as/(ht))
  kTensorSelective,          // sbh (10 + 24/t)
  kTensorSequenceSelective,  // sbh 34/t
  kFull,                     // 2 sbh
};
double KorthikantiLayerBytes(KorthikantiTechnique technique, double s, double b,
                             double h, double a, double t);

// Bytes per activation element for a training dtype (fp32 4, bf16/fp16/fp8 2).
int ActivationBytes(Dtype dtype);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_TRANSFORMER_H_
