#include "planner/timing/transformer_shape.h"

#include "absl/strings/str_cat.h"

namespace memwall {
namespace {

absl::Status Positive(const char* field, int64_t value) {
  if (value > 0) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "model.transformer.", field, "=", value, " must be positive"));
}

// Megatron pads the vocabulary to a multiple of 128 (`vocab_size_with_padding`,
// formulas.md 1.3, with t = 1: the padding per TP degree changes it by under
// 0.1%).
int64_t PadVocab(int64_t vocab) { return (vocab + 127) / 128 * 128; }

}  // namespace

absl::StatusOr<TransformerShape> ShapeFromModel(const ModelSpec& model,
                                                int64_t seq_len) {
  if (!model.has_transformer()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "model ", model.name(),
        " is a layer graph; step time and layout search need a transformer"));
  }
  const TransformerSpec& t = model.transformer();
  TransformerShape s;
  s.layers = t.num_layers() + t.num_decoder_layers();
  s.hidden = t.hidden_size();
  s.heads = t.num_heads();
  if (auto st = Positive("num_layers", s.layers); !st.ok()) return st;
  if (auto st = Positive("hidden_size", s.hidden); !st.ok()) return st;
  if (auto st = Positive("num_heads", s.heads); !st.ok()) return st;
  s.kv_heads = t.has_num_kv_heads() ? t.num_kv_heads() : s.heads;
  s.head_dim = t.has_head_dim() ? t.head_dim() : s.hidden / s.heads;
  s.ffn = t.ffn_hidden_size() > 0 ? t.ffn_hidden_size() : 4 * s.hidden;
  if (auto st = Positive("num_kv_heads", s.kv_heads); !st.ok()) return st;
  if (auto st = Positive("head_dim", s.head_dim); !st.ok()) return st;
  if (auto st = Positive("vocab_size", t.vocab_size()); !st.ok()) return st;
  s.vocab = PadVocab(t.vocab_size());
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
  if (t.has_moe() && t.moe().num_experts() > 1) {
    s.experts = t.moe().num_experts();
    s.top_k = t.moe().top_k() > 0 ? t.moe().top_k() : 1;
    s.expert_ffn = t.moe().expert_ffn_hidden_size() > 0
                       ? t.moe().expert_ffn_hidden_size()
                       : s.ffn;
    const int64_t freq = t.moe().layer_freq() > 0 ? t.moe().layer_freq() : 1;
    s.moe_layers = s.layers / freq;
  }
  const double h = static_cast<double>(s.hidden);
  const double mats = s.gated ? 3.0 : 2.0;
  const double bias = t.linear_bias() ? 1.0 : 0.0;
  const double norm = t.norm() == RMS_NORM ? 1.0 : 2.0;
  const double attn = h * (s.q_dim() + 2.0 * s.kv_dim()) + s.q_dim() * h +
                      bias * (s.q_dim() + 2.0 * s.kv_dim() + h);
  const double norms = 2.0 * norm * h;
  s.dense_layer_params =
      attn + norms + mats * h * s.ffn + bias * ((mats - 1.0) * s.ffn + h);
  s.moe_layer_shared_params = attn + norms + h * s.experts;
  s.moe_layer_expert_params =
      s.experts *
      (mats * h * s.expert_ffn + bias * ((mats - 1.0) * s.expert_ffn + h));
  s.embedding_params =
      static_cast<double>(s.vocab) * h +
      (t.learned_positions() ? static_cast<double>(s.seq) * h : 0.0);
  s.output_params = s.tied ? 0.0 : static_cast<double>(s.vocab) * h;
  s.total_params =
      s.dense_layers() * s.dense_layer_params +
      s.moe_layers * (s.moe_layer_shared_params + s.moe_layer_expert_params) +
      s.embedding_params + s.output_params + (t.final_norm() ? norm * h : 0.0);
  return s;
}

double DenseLayerGemmFlopsPerToken(const TransformerShape& s) {
  const double h = static_cast<double>(s.hidden);
  const double mats = s.gated ? 3.0 : 2.0;
  return 2.0 * (h * (s.q_dim() + 2.0 * s.kv_dim()) + s.q_dim() * h +
                mats * h * s.ffn);
}

double AttentionFlopsPerToken(const TransformerShape& s) {
  // QK^T and AV: 2 * s * q each per token (Narayanan App. A: 4Bs^2h for q = h).
  return 4.0 * static_cast<double>(s.seq) * s.q_dim();
}

double LogitFlopsPerToken(const TransformerShape& s) {
  return 2.0 * static_cast<double>(s.hidden) * s.vocab;
}

double ModelFlopsPerStep(const TransformerShape& s, double sequences) {
  const double h = static_cast<double>(s.hidden);
  const double mats = s.gated ? 3.0 : 2.0;
  const double moe_delta =
      s.moe_layers * 2.0 * h * mats *
      (s.top_k * s.expert_ffn - static_cast<double>(s.ffn));
  const double forward_per_token =
      s.layers * (DenseLayerGemmFlopsPerToken(s) + AttentionFlopsPerToken(s)) +
      moe_delta + LogitFlopsPerToken(s);
  return 3.0 * forward_per_token * sequences * s.seq;
}

}  // namespace memwall
