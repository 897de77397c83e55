// Parameter counts of a TransformerSpec, component by component (see
// transformer.h).
#include "planner/model/transformer.h"

#include <algorithm>

namespace memwall {
namespace {

int64_t HeadDim(const TransformerSpec& s) {
  return s.has_head_dim() ? s.head_dim() : s.hidden_size() / s.num_heads();
}
int64_t KvHeads(const TransformerSpec& s) {
  return s.has_num_kv_heads() ? s.num_kv_heads() : s.num_heads();
}
bool Gated(const TransformerSpec& s) {
  return s.activation() == SWIGLU || s.activation() == GEGLU;
}
int NormPerUnit(const TransformerSpec& s, const ParamConvention& c) {
  if (c.norm_params_per_unit > 0) return c.norm_params_per_unit;
  return s.norm() == RMS_NORM ? 1 : 2;
}

// Q, K, V, O projections (+ biases on each).
int64_t AttentionParams(const TransformerSpec& s, bool bias) {
  const int64_t h = s.hidden_size();
  const int64_t q = s.num_heads() * HeadDim(s);
  const int64_t kv = KvHeads(s) * HeadDim(s);
  return 2 * h * q + 2 * h * kv + (bias ? q + 2 * kv + h : 0);
}

// Up (and gate) plus down projections of an MLP of width f.
int64_t MlpParams(const TransformerSpec& s, int64_t f, bool bias) {
  if (f == 0) return 0;
  const int64_t h = s.hidden_size();
  const int64_t ups = Gated(s) ? 2 : 1;
  return (ups + 1) * h * f + (bias ? ups * f + h : 0);
}

bool IsMoeLayer(const TransformerSpec& s, int64_t i) {
  if (s.moe().num_experts() <= 0) return false;
  const int64_t freq = s.moe().layer_freq() <= 1 ? 1 : s.moe().layer_freq();
  return freq == 1 || i % freq == freq - 1;
}

}  // namespace

int ActivationBytes(Dtype dtype) { return dtype == FP32 ? 4 : 2; }

int64_t PaddedVocab(int64_t vocab_size, int64_t tp, int64_t divisible_by) {
  const int64_t multiple = divisible_by * tp;
  return (vocab_size + multiple - 1) / multiple * multiple;
}

std::vector<LayerKind> LayerSequence(const TransformerSpec& spec) {
  std::vector<LayerKind> kinds;
  kinds.reserve(spec.num_layers() + spec.num_decoder_layers());
  const bool enc_dec = spec.num_decoder_layers() > 0;
  for (int64_t i = 0; i < spec.num_layers(); ++i) {
    kinds.push_back(IsMoeLayer(spec, i) ? LayerKind::kMoe : LayerKind::kDense);
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
    l.attention = AttentionParams(s, bias);
    l.norms = 2 * n * h;
    if (is_dec) {
      l.cross_attention = AttentionParams(s, bias);
      l.norms += n * h;
    }
    if (is_moe) {
      l.mlp = MlpParams(s, moe.shared_expert_ffn_hidden_size(), bias);
      l.experts = moe.num_experts() * MlpParams(s, expert_f, bias);
      l.router =
          h * moe.num_experts() + (moe.router_bias() ? moe.num_experts() : 0);
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
  p.total = p.embeddings_total + p.layers_total + p.output_layer +
            p.final_norms + p.pooler + p.mlm_head + p.relative_bias;

  // DeepSpeed's largest layer: the biggest single module's own parameters.
  const int64_t q = s.num_heads() * HeadDim(s);
  const int64_t widest_f = std::max(s.ffn_hidden_size(), expert_f);
  p.largest_module =
      std::max({p.word_embedding, p.output_layer, p.position_embedding,
                h * q + (bias ? q : 0), h * widest_f + (bias ? widest_f : 0)});
  return p;
}

}  // namespace memwall
