// FLOPs of a transformer (see transformer.h): GEMMs only, 2 FLOPs per
// multiply-add, backward = 2 x forward (Narayanan 2021 App. A; Korthikanti 2022
// App. A; Megatron-LM `num_floating_point_operations`).
#include <algorithm>
#include <vector>

#include "planner/model/attention_shape.h"
#include "planner/model/transformer.h"

namespace memwall {
namespace {

struct PerToken {
  double attn_linear = 0;    // QKV (or MLA) and output projections
  double score_per_key = 0;  // QK^T and AV per attended key
  double dense_mlp = 0;
  double moe_mlp = 0;  // routed top-k, shared experts, router, shared gate
};

PerToken PerTokenFlops(const TransformerSpec& s) {
  const AttentionShape a = SelfAttentionShape(s, false);
  const double h = static_cast<double>(s.hidden_size());
  const double ups =
      (s.activation() == SWIGLU || s.activation() == GEGLU) ? 2 : 1;
  const MoeSpec& moe = s.moe();
  const double expert_f = static_cast<double>(moe.expert_ffn_hidden_size() > 0
                                                  ? moe.expert_ffn_hidden_size()
                                                  : s.ffn_hidden_size());
  PerToken t;
  t.attn_linear = 2 * static_cast<double>(a.weights);
  // QK^T: 2 a d_qk per key; AV: 2 a d_v per key (4 a d_head for standard
  // attention).
  t.score_per_key = 2 * static_cast<double>(a.heads) *
                    static_cast<double>(a.qk_head_dim + a.v_head_dim);
  t.dense_mlp = 2 * (ups + 1) * h * static_cast<double>(s.ffn_hidden_size());
  t.moe_mlp = 2 * (ups + 1) * h *
                  (expert_f * static_cast<double>(moe.top_k()) +
                   static_cast<double>(moe.shared_expert_ffn_hidden_size())) +
              2 * h * static_cast<double>(moe.num_experts()) +
              (moe.shared_expert_gate() ? 2 * h : 0);
  return t;
}

// Keys each query attends to, averaged over the sequence. Full attention: s
// (s/2 with causal halving). A window w: min(s, w) per query; with causal
// halving the exact band sum_{i=1..s} min(i, w) / s in the same continuous
// form as s/2, m - m^2 / (2 s) with m = min(s, w).
double KeysPerQuery(const TransformerSpec& s, bool sliding, double seq,
                    bool halve) {
  const double m =
      sliding ? std::min(seq, static_cast<double>(s.sliding_window())) : seq;
  return halve ? m - m * m / (2 * seq) : m;
}

}  // namespace

bool IsSlidingLayer(const TransformerSpec& s, int64_t i) {
  if (s.sliding_window() <= 0) return false;
  const int64_t n = s.full_attention_every();
  return n <= 0 || i % n != n - 1;
}

std::vector<double> LayerForwardFlops(const TransformerSpec& s,
                                      const FlopsOptions& options) {
  const double seq = static_cast<double>(options.seq_len > 0 ? options.seq_len
                                                             : s.max_seq_len());
  const PerToken t = PerTokenFlops(s);
  const bool halve = s.causal() && options.causal_halving;
  const std::vector<LayerKind> kinds = LayerSequence(s);
  std::vector<double> flops(kinds.size());
  for (size_t i = 0; i < kinds.size(); ++i) {
    const LayerKind kind = kinds[i];
    const bool is_moe =
        kind == LayerKind::kMoe || kind == LayerKind::kDecoderMoe;
    const bool is_dec =
        kind == LayerKind::kDecoderDense || kind == LayerKind::kDecoderMoe;
    const double keys =
        KeysPerQuery(s, !is_dec && IsSlidingLayer(s, i), seq, halve);
    double per_token = t.attn_linear + t.score_per_key * keys +
                       (is_moe ? t.moe_mlp : t.dense_mlp);
    // Cross attention: full, never masked.
    if (is_dec) per_token += t.attn_linear + t.score_per_key * seq;
    flops[i] = seq * per_token;
  }
  return flops;
}

TransformerFlops CountFlops(const TransformerSpec& s,
                            const FlopsOptions& options) {
  const double seq = static_cast<double>(options.seq_len > 0 ? options.seq_len
                                                             : s.max_seq_len());
  const double h = static_cast<double>(s.hidden_size());
  const double e =
      static_cast<double>(s.embedding_size() > 0 ? s.embedding_size() : h);
  const PerToken t = PerTokenFlops(s);
  const bool halve = s.causal() && options.causal_halving;

  TransformerFlops f;
  const std::vector<LayerKind> kinds = LayerSequence(s);
  const std::vector<double> layers = LayerForwardFlops(s, options);
  double layer_sum = 0;
  for (size_t i = 0; i < kinds.size(); ++i) {
    const bool is_dec = kinds[i] == LayerKind::kDecoderDense ||
                        kinds[i] == LayerKind::kDecoderMoe;
    layer_sum += layers[i];
    f.layer_forward_flops[static_cast<int>(kinds[i])] += layers[i];
    f.attention_score_forward_flops +=
        seq * t.score_per_key *
        (KeysPerQuery(s, !is_dec && IsSlidingLayer(s, i), seq, halve) +
         (is_dec ? seq : 0));
  }
  const double logits = 2 * h * static_cast<double>(s.vocab_size());
  const double projection = e != h ? 2 * e * h : 0;
  // Each MTP module (DeepSeek-V3 §2.2): the 2h x h projection, one full
  // attention layer of the last kind, and its own logits.
  if (s.mtp().num_modules() > 0) {
    const bool moe_last =
        MainLayerKind(s, s.num_layers() - 1) == LayerKind::kMoe;
    const double module = 2 * 2 * h * h + t.attn_linear +
                          t.score_per_key * KeysPerQuery(s, false, seq, halve) +
                          (moe_last ? t.moe_mlp : t.dense_mlp) + logits;
    f.mtp_forward_flops =
        seq * static_cast<double>(s.mtp().num_modules()) * module;
    f.attention_score_forward_flops +=
        seq * static_cast<double>(s.mtp().num_modules()) * t.score_per_key *
        KeysPerQuery(s, false, seq, halve);
  }
  f.logits_forward_flops = seq * logits;
  f.forward_flops =
      layer_sum + f.mtp_forward_flops + seq * (logits + projection);
  f.model_flops = 3 * f.forward_flops;
  switch (options.recompute) {
    case RECOMPUTE_FULL:  // one more forward of every layer (Narayanan App. A:
                          // 4 passes)
      f.hardware_flops =
          f.model_flops + f.forward_flops - f.logits_forward_flops;
      break;
    case RECOMPUTE_SELECTIVE:
      // Korthikanti App. A: HFU/MFU = (1 + s/(3h)) / (1 + s/(6h)), i.e. 3 x the
      // forward QK^T and AV FLOPs; this form reproduces their Table 5 HFU
      // column.
      f.hardware_flops = f.model_flops + 3 * f.attention_score_forward_flops;
      break;
    default:
      f.hardware_flops = f.model_flops;
  }
  return f;
}

double NarayananFlops(double B, double s, double l, double h, double V) {
  return 96 * B * s * l * h * h * (1 + s / (6 * h) + V / (16 * l * h));
}

double KorthikantiModelFlops(double B, double s, double L, double h, double V) {
  return 72 * B * s * L * h * h * (1 + s / (6 * h) + V / (12 * h * L));
}

double KorthikantiSelectiveHardwareFlops(double B, double s, double L, double h,
                                         double V) {
  return 72 * B * s * L * h * h * (1 + s / (3 * h) + V / (12 * h * L));
}

}  // namespace memwall
