// FLOPs of a transformer (see transformer.h): GEMMs only, 2 FLOPs per
// multiply-add, backward = 2 x forward (Narayanan 2021 App. A; Korthikanti 2022
// App. A; Megatron-LM `num_floating_point_operations`).
#include "planner/model/transformer.h"

namespace memwall {
namespace {

double HeadDim(const TransformerSpec& s) {
  return static_cast<double>(
      s.has_head_dim() ? s.head_dim() : s.hidden_size() / s.num_heads());
}

}  // namespace

TransformerFlops CountFlops(const TransformerSpec& s,
                            const FlopsOptions& options) {
  const double seq = static_cast<double>(options.seq_len > 0 ? options.seq_len
                                                             : s.max_seq_len());
  const double h = static_cast<double>(s.hidden_size());
  const double e =
      static_cast<double>(s.embedding_size() > 0 ? s.embedding_size() : h);
  const double q = static_cast<double>(s.num_heads()) * HeadDim(s);
  const double kv = static_cast<double>(s.has_num_kv_heads() ? s.num_kv_heads()
                                                             : s.num_heads()) *
                    HeadDim(s);
  const double ups =
      (s.activation() == SWIGLU || s.activation() == GEGLU) ? 2 : 1;
  const MoeSpec& moe = s.moe();
  const double expert_f = static_cast<double>(moe.expert_ffn_hidden_size() > 0
                                                  ? moe.expert_ffn_hidden_size()
                                                  : s.ffn_hidden_size());

  // Per token: QKV and output projections; per token pair: QK^T and AV (2 s q
  // each).
  const double attn_linear = 2 * (h * q + 2 * h * kv + q * h);
  const double causal_factor =
      (s.causal() && options.causal_halving) ? 0.5 : 1.0;
  const double self_scores = 4 * seq * q * causal_factor;  // per token
  const double cross_scores = 4 * seq * q;                 // never masked
  const double dense_mlp =
      2 * (ups + 1) * h * static_cast<double>(s.ffn_hidden_size());
  const double moe_mlp =
      2 * (ups + 1) * h *
          (expert_f * static_cast<double>(moe.top_k()) +
           static_cast<double>(moe.shared_expert_ffn_hidden_size())) +
      2 * h * static_cast<double>(moe.num_experts());  // router

  double linear = 0, scores = 0;
  for (LayerKind kind : LayerSequence(s)) {
    const bool is_moe =
        kind == LayerKind::kMoe || kind == LayerKind::kDecoderMoe;
    const bool is_dec =
        kind == LayerKind::kDecoderDense || kind == LayerKind::kDecoderMoe;
    linear += attn_linear + (is_moe ? moe_mlp : dense_mlp) +
              (is_dec ? attn_linear : 0);
    scores += self_scores + (is_dec ? cross_scores : 0);
  }
  const double logits = 2 * h * static_cast<double>(s.vocab_size());
  const double projection = e != h ? 2 * e * h : 0;

  TransformerFlops f;
  f.attention_score_forward_flops = seq * scores;
  f.logits_forward_flops = seq * logits;
  f.forward_flops = seq * (linear + scores + logits + projection);
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
