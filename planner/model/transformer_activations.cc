// Saved activations of one transformer layer, tensor by tensor (see
// transformer.h and docs/memory.md). The GPT layer reproduces Korthikanti et
// al. 2022 §4: attention 11 sbh + 5 as^2 b, MLP 19 sbh, LayerNorms 4 sbh.
#include "planner/model/attention_shape.h"
#include "planner/model/transformer.h"

namespace memwall {
namespace {

// One attention block (norm, QKV, scores, output projection, dropout), per
// token.
// `li` is the bytes per element of the linear layers' saved inputs: e, or 1
// where Transformer Engine's FP8 linear layers save the FP8 cast of their
// input for the weight-gradient GEMM.
void AddAttention(const TransformerSpec& s, bool flash, bool keep_scores,
                  double e, double li, ActivationCoefficients* c) {
  const double h = static_cast<double>(s.hidden_size());
  const AttentionShape a = SelfAttentionShape(s, false);
  const double heads = static_cast<double>(a.heads);
  const double q = static_cast<double>(a.q_width());
  const double k = static_cast<double>(a.k_width());
  const double v = static_cast<double>(a.v_width());
  const double av = static_cast<double>(a.av_width());
  const double mask = s.dropout() ? 1 : 0;
  // Norm input, QKV-linear input, output dropout mask: whole on every TP rank
  // without SP. MLA adds its query and key/value latents (norm inputs and
  // outputs, the up-projection inputs) and the shared RoPE key.
  c->replicated_bytes_per_token +=
      e * h + li * h + mask * h + e * static_cast<double>(a.latent_saved_width);
  // Q and K (for QK^T), V (for AV), output-projection input; QK norm keeps its
  // inputs, Gemma 2's post-attention norm its input. With FP8 linear layers
  // the projection saves its FP8 input while FlashAttention still keeps its
  // 16-bit output (one tensor otherwise).
  c->sharded_bytes_per_token += e * (q + k + v) + li * av;
  if (flash && li != e) c->sharded_bytes_per_token += e * av;
  if (s.qk_norm()) c->sharded_bytes_per_token += e * (q + k);
  if (s.post_norms()) c->replicated_bytes_per_token += e * h;
  if (flash) {
    // FlashAttention keeps the fp32 log-sum-exp per head instead of the s x s
    // scores.
    c->sharded_bytes_per_token += 4 * heads;
  } else if (keep_scores) {
    // Softmax output (e), dropout mask (1) and dropout output (e):
    // Korthikanti's 5as^2b. A sliding window masks the s x s matrix but the
    // unfused softmax still materializes all of it.
    c->score_bytes_per_token_pair += e + (s.dropout() ? 1 + e : 0);
  }
}

void AddMlp(const TransformerSpec& s, double f, double e, double li,
            bool with_input, ActivationCoefficients* c, double* sharded) {
  const double h = static_cast<double>(s.hidden_size());
  const bool gated = s.activation() == SWIGLU || s.activation() == GEGLU;
  if (with_input) {
    // Norm input, up-projection input, output dropout mask.
    c->replicated_bytes_per_token += e * h + li * h + (s.dropout() ? h : 0);
    if (s.post_norms()) c->replicated_bytes_per_token += e * h;
  }
  // GeLU input and down-projection input (2f); gated: gate and up outputs and
  // their product (3f), the last two being the down-projection's input.
  *sharded += e * f * (gated ? 2 : 1) + li * f;
}

}  // namespace

ActivationCoefficients LayerActivationCoefficients(
    const TransformerSpec& s, LayerKind kind, bool flash_attention,
    Recompute recompute, int activation_bytes, int linear_input_bytes) {
  ActivationCoefficients c;
  const double e = activation_bytes;
  const double li = linear_input_bytes > 0 ? linear_input_bytes : e;
  const double h = static_cast<double>(s.hidden_size());
  c.layer_input_bytes_per_token = e * h;
  const bool keep_scores = recompute == RECOMPUTE_NONE;
  const bool is_moe = kind == LayerKind::kMoe || kind == LayerKind::kDecoderMoe;
  const bool is_dec =
      kind == LayerKind::kDecoderDense || kind == LayerKind::kDecoderMoe;
  AddAttention(s, flash_attention, keep_scores, e, li, &c);
  if (is_dec) AddAttention(s, flash_attention, keep_scores, e, li, &c);
  if (is_moe) {
    const MoeSpec& moe = s.moe();
    const double f_e = static_cast<double>(moe.expert_ffn_hidden_size() > 0
                                               ? moe.expert_ffn_hidden_size()
                                               : s.ffn_hidden_size());
    const double k = static_cast<double>(moe.top_k());
    AddMlp(s, static_cast<double>(moe.shared_expert_ffn_hidden_size()), e, li,
           true, &c, &c.sharded_bytes_per_token);
    // Router probabilities in fp32; each token's k dispatched copies and their
    // expert MLP.
    c.replicated_bytes_per_token += 4 * static_cast<double>(moe.num_experts());
    double expert = 0;
    AddMlp(s, f_e, e, li, false, &c, &expert);
    c.expert_bytes_per_token = k * (expert + li * h);
  } else {
    AddMlp(s, static_cast<double>(s.ffn_hidden_size()), e, li, true, &c,
           &c.sharded_bytes_per_token);
  }
  return c;
}

double LayerActivationBytes(const TransformerSpec& s, LayerKind kind,
                            const ActivationOptions& o) {
  const double seq =
      static_cast<double>(o.seq_len > 0 ? o.seq_len : s.max_seq_len());
  const double tokens =
      seq / static_cast<double>(o.cp) * static_cast<double>(o.micro_batch);
  const double t = static_cast<double>(o.tp);
  const double rep_div = o.sequence_parallel ? t : 1;
  const ActivationCoefficients c = LayerActivationCoefficients(
      s, kind, o.flash_attention, o.recompute, o.activation_bytes);
  if (o.recompute == RECOMPUTE_FULL)
    return tokens * c.layer_input_bytes_per_token / rep_div;
  return tokens * (c.replicated_bytes_per_token / rep_div +
                   c.sharded_bytes_per_token / t +
                   c.expert_bytes_per_token / static_cast<double>(o.etp) +
                   seq * static_cast<double>(s.num_heads()) *
                       c.score_bytes_per_token_pair / t);
}

double KorthikantiLayerBytes(KorthikantiTechnique technique, double s, double b,
                             double h, double a, double t) {
  const double sbh = s * b * h;
  switch (technique) {
    case KorthikantiTechnique::kNone:
      return sbh * (34 + 5 * a * s / h);
    case KorthikantiTechnique::kTensor:
      return sbh * (10 + 24 / t + 5 * a * s / (h * t));
    case KorthikantiTechnique::kTensorSequence:
      return sbh * (34 / t + 5 * a * s / (h * t));
    case KorthikantiTechnique::kTensorSelective:
      return sbh * (10 + 24 / t);
    case KorthikantiTechnique::kTensorSequenceSelective:
      return sbh * 34 / t;
    case KorthikantiTechnique::kFull:
      return 2 * sbh;
  }
  return 0;
}

}  // namespace memwall
