// Parameter counts of a TransformerSpec, component by component (see
// transformer.h).
#include "planner/model/transformer.h"

#include <algorithm>

#include "planner/model/attention_shape.h"

namespace memwall {
namespace {

bool Gated(const TransformerSpec& s) {
  return s.activation() == SWIGLU || s.activation() == GEGLU;
}
int NormPerUnit(const TransformerSpec& s, const ParamConvention& c) {
  if (c.norm_params_per_unit > 0) return c.norm_params_per_unit;
  return s.norm() == RMS_NORM ? 1 : 2;
}

// Q, K, V, O projections (or MLA's), their biases and sink logits.
int64_t AttentionParams(const TransformerSpec& s, bool bias) {
  const AttentionShape a = SelfAttentionShape(s, bias);
  return a.weights + a.biases + a.sinks;
}

// Up (and gate) plus down projections of an MLP of width f.
int64_t MlpParams(const TransformerSpec& s, int64_t f, bool bias) {
  if (f == 0) return 0;
  const int64_t h = s.hidden_size();
  const int64_t ups = Gated(s) ? 2 : 1;
  return (ups + 1) * h * f + (bias ? ups * f + h : 0);
}

// MoE placement: the first `first_dense_layers` layers are dense; from there
// every layer_freq-th layer is MoE (layer j counted from the first candidate is
// MoE when j % freq == freq - 1).
bool IsMoeLayer(const TransformerSpec& s, int64_t i) {
  if (s.moe().num_experts() <= 0) return false;
  const int64_t j = i - s.moe().first_dense_layers();
  if (j < 0) return false;
  const int64_t freq = s.moe().layer_freq() <= 1 ? 1 : s.moe().layer_freq();
  return freq == 1 || j % freq == freq - 1;
}

}  // namespace

int ActivationBytes(Dtype dtype) { return dtype == FP32 ? 4 : 2; }

int64_t PaddedVocab(int64_t vocab_size, int64_t tp, int64_t divisible_by) {
  const int64_t multiple = divisible_by * tp;
  return (vocab_size + multiple - 1) / multiple * multiple;
}

LayerKind MainLayerKind(const TransformerSpec& spec, int64_t i) {
  return IsMoeLayer(spec, i) ? LayerKind::kMoe : LayerKind::kDense;
}

std::vector<LayerKind> LayerSequence(const TransformerSpec& spec) {
  std::vector<LayerKind> kinds;
  kinds.reserve(spec.num_layers() + spec.num_decoder_layers());
  const bool enc_dec = spec.num_decoder_layers() > 0;
  for (int64_t i = 0; i < spec.num_layers(); ++i) {
    kinds.push_back(MainLayerKind(spec, i));
  }
  for (int64_t i = 0; enc_dec && i < spec.num_decoder_layers(); ++i) {
    kinds.push_back(IsMoeLayer(spec, i) ? LayerKind::kDecoderMoe
                                        : LayerKind::kDecoderDense);
  }
  return kinds;
}

TransformerParams CountParams(const TransformerSpec& s,
                              const ParamConvention& c) {
  TransformerParams p;
  const bool bias = s.linear_bias() && c.linear_bias;
  const int64_t h = s.hidden_size();
  const int64_t e = s.embedding_size() > 0 ? s.embedding_size() : h;
  const int64_t v = c.vocab_size > 0 ? c.vocab_size : s.vocab_size();
  const int64_t n = NormPerUnit(s, c);
  const bool enc_dec = s.num_decoder_layers() > 0;

  p.word_embedding = v * e;
  if (e != h) p.embedding_projection = e * h + (bias ? h : 0);
  if (s.learned_positions() && c.learned_positions)
    p.position_embedding = s.max_seq_len() * e;
  p.token_type_embedding = s.type_vocab_size() * e;
  if (s.embedding_norm()) p.embedding_norm = n * e;
  if (!s.tied_embeddings()) p.output_layer = v * h;
  if (s.final_norm()) p.final_norms = n * h * (enc_dec ? 2 : 1);
  if (s.pooler()) p.pooler = h * h + h;
  if (s.mlm_head_transform()) p.mlm_head = h * e + e + n * e + v;
  p.relative_bias =
      s.relative_attention_buckets() * s.num_heads() * (enc_dec ? 2 : 1);

  const MoeSpec& moe = s.moe();
  const int64_t expert_f = moe.expert_ffn_hidden_size() > 0
                               ? moe.expert_ffn_hidden_size()
                               : s.ffn_hidden_size();
  for (int k = 0; k < kNumLayerKinds; ++k) {
    const LayerKind kind = static_cast<LayerKind>(k);
    const bool is_moe =
        kind == LayerKind::kMoe || kind == LayerKind::kDecoderMoe;
    const bool is_dec =
        kind == LayerKind::kDecoderDense || kind == LayerKind::kDecoderMoe;
    LayerParams& l = p.layer[k];
    l.attention = AttentionParams(s, c.linear_bias);
    // Pre-attention and pre-MLP norms (Gemma 2 adds two post-norms), plus the
    // norms inside attention (MLA latents, QK norm).
    l.norms = (s.post_norms() ? 4 : 2) * n * h +
              n * SelfAttentionShape(s, c.linear_bias).norm_units;
    if (is_dec) {
      l.cross_attention = AttentionParams(s, c.linear_bias);
      l.norms += n * h;
    }
    if (is_moe) {
      l.mlp = MlpParams(s, moe.shared_expert_ffn_hidden_size(), bias);
      l.experts = moe.num_experts() * MlpParams(s, expert_f, bias);
      l.router = h * moe.num_experts() +
                 (moe.router_bias() ? moe.num_experts() : 0) +
                 (moe.shared_expert_gate() ? h : 0);
    } else {
      l.mlp = MlpParams(s, s.ffn_hidden_size(), bias);
    }
  }
  for (LayerKind kind : LayerSequence(s))
    ++p.num_layers[static_cast<int>(kind)];

  const int64_t all_layers =
      s.num_layers() + (enc_dec ? s.num_decoder_layers() : 0);
  const int64_t groups = s.num_shared_layer_groups();
  p.layer_param_sets = groups > 0 ? std::min(groups, all_layers) : all_layers;
  if (groups > 0) {
    // ALBERT: every layer is one of `groups` shared parameter sets (all of one
    // kind).
    p.layers_total = p.layer_param_sets *
                     p.layer[static_cast<int>(LayerSequence(s)[0])].total();
  } else {
    for (int k = 0; k < kNumLayerKinds; ++k)
      p.layers_total += p.num_layers[k] * p.layer[k].total();
  }
  p.embeddings_total = p.word_embedding + p.embedding_projection +
                       p.position_embedding + p.token_type_embedding +
                       p.embedding_norm;
  // Multi-token prediction (DeepSeek-V3 §2.2): per module two norms on the
  // hidden state and the embedding, a 2h x h projection, one layer of the
  // stack's last kind and a final norm (+ its own embedding and head copies).
  const int64_t mtp_modules = s.mtp().num_modules();
  if (mtp_modules > 0) {
    const LayerParams& last =
        p.layer[static_cast<int>(MainLayerKind(s, s.num_layers() - 1))];
    p.mtp =
        mtp_modules * (3 * n * h + 2 * h * h + (last.total() - last.experts) +
                       (s.mtp().own_embeddings() ? 2 * v * h : 0));
    p.mtp_experts = mtp_modules * last.experts;
  }
  p.total = p.embeddings_total + p.layers_total + p.output_layer +
            p.final_norms + p.pooler + p.mlm_head + p.relative_bias + p.mtp +
            p.mtp_experts;

  // DeepSpeed's largest layer: the biggest single module's own parameters.
  const AttentionShape shape = SelfAttentionShape(s, c.linear_bias);
  const int64_t q = shape.heads * shape.qk_head_dim;
  const int64_t widest_f = std::max(s.ffn_hidden_size(), expert_f);
  p.largest_module =
      std::max({p.word_embedding, p.output_layer, p.position_embedding,
                h * q + (bias ? q : 0), h * widest_f + (bias ? widest_f : 0)});
  return p;
}

}  // namespace memwall
