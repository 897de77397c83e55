#include "planner/timing/transformer_shape.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "planner/model/attention_shape.h"
#include "planner/model/transformer.h"
#include "planner/model/validate_transformer.h"

namespace memwall {

absl::StatusOr<TransformerShape> ShapeFromModel(const ModelSpec& model,
                                                int64_t seq_len) {
  if (!model.has_transformer()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "model ", model.name(),
        " is a layer graph; step time and layout search need a transformer"));
  }
  const TransformerSpec& t = model.transformer();
  // planner/model's validation; its counters assume validated input.
  MEMWALL_RETURN_IF_ERROR(ValidateTransformer(t));
  TransformerShape s;
  s.layers = t.num_layers() + t.num_decoder_layers();
  s.hidden = t.hidden_size();
  s.heads = t.num_heads();
  s.kv_heads = t.has_num_kv_heads() ? t.num_kv_heads() : s.heads;
  s.head_dim = t.has_head_dim() ? t.head_dim() : s.hidden / s.heads;
  const AttentionShape attention = SelfAttentionShape(t, /*count_biases=*/true);
  s.qk_head_dim = attention.qk_head_dim;
  s.v_head_dim = attention.v_head_dim;
  s.ffn = t.ffn_hidden_size() > 0 ? t.ffn_hidden_size() : 4 * s.hidden;
  // Megatron's padded vocabulary with t = 1 (the padding per TP degree changes
  // it by under 0.1%).
  s.vocab = PaddedVocab(t.vocab_size(), 1);
  s.seq = seq_len > 0 ? seq_len : t.max_seq_len();
  if (s.seq <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("training.seq_len=", seq_len,
                     " must be positive (the model has no max_seq_len)"));
  }
  s.gated = t.activation() == SWIGLU || t.activation() == GEGLU;
  s.causal = t.causal();
  s.dropout = t.dropout();
  s.tied = t.tied_embeddings();
  if (t.has_moe() && t.moe().num_experts() > 0) {
    s.experts = t.moe().num_experts();
    s.top_k = t.moe().top_k() > 0 ? t.moe().top_k() : 1;
    s.expert_ffn = t.moe().expert_ffn_hidden_size() > 0
                       ? t.moe().expert_ffn_hidden_size()
                       : s.ffn;
  }
  // Counts from planner/model on the padded vocabulary and the training
  // sequence length. CountParams' default convention counts linear biases and
  // learned positions as the model holds them (Narayanan 2021 Eq. 2 does too;
  // Megatron's estimator does not).
  TransformerSpec counted = t;
  counted.set_vocab_size(s.vocab);
  counted.set_ffn_hidden_size(s.ffn);
  const TransformerParams params = CountParams(counted);
  double dense_sum = 0, moe_sum = 0, expert_sum = 0;
  int64_t dense_count = 0, moe_count = 0;
  for (int k = 0; k < kNumLayerKinds; ++k) {
    const LayerParams& layer = params.layer[k];
    const double n = static_cast<double>(params.num_layers[k]);
    const bool moe = k == static_cast<int>(LayerKind::kMoe) ||
                     k == static_cast<int>(LayerKind::kDecoderMoe);
    if (moe) {
      moe_sum += n * static_cast<double>(layer.total() - layer.experts);
      expert_sum += n * static_cast<double>(layer.experts);
      moe_count += params.num_layers[k];
    } else {
      dense_sum += n * static_cast<double>(layer.total());
      dense_count += params.num_layers[k];
    }
  }
  s.moe_layers = moe_count;  // LayerSequence's placement (MoeSpec.layer_freq)
  // Per-layer averages over the layers of each kind (decoder layers add cross
  // attention).
  if (dense_count > 0) s.dense_layer_params = dense_sum / dense_count;
  if (moe_count > 0) {
    s.moe_layer_shared_params = moe_sum / moe_count;
    s.moe_layer_expert_params = expert_sum / moe_count;
  }
  s.stage_params = StageParamModel(t, CountParams(t));
  s.embedding_params = static_cast<double>(params.embeddings_total);
  s.output_params = static_cast<double>(params.output_layer);
  s.total_params = static_cast<double>(params.total);
  FlopsOptions flops;
  flops.seq_len = s.seq;
  s.model_flops_per_sequence = CountFlops(counted, flops).model_flops;
  return s;
}

}  // namespace memwall
