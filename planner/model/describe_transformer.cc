// `memwall describe` for transformers: parameters by component, forward FLOPs
// of one sequence, the founding tables' #Features, and saved activation bytes.
#include <array>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "planner/model/attention_shape.h"
#include "planner/model/describe.h"
#include "planner/model/transformer.h"
#include "planner/model/validate_transformer.h"

namespace memwall {
namespace {

// Elements of every matmul output of one layer for one sequence, the founding
// tables' #Features (AI and Memory Wall README): encoder/decoder-only layer a
// s^2 + 6 s h + f s, decoder layer with cross attention 2 a s^2 + 11 s h + f s
// (for MHA, f-wide MLP). Generalized: each attention block outputs Q, K, V (q +
// 2 kv), scores (a s), AV (q) and the projection (h); the MLP its up (and gate)
// and down projections.
double LayerFeatures(const TransformerSpec& s, LayerKind kind, double seq) {
  const double h = static_cast<double>(s.hidden_size());
  const AttentionShape shape = SelfAttentionShape(s, false);
  const double a = static_cast<double>(shape.heads);
  const double q = static_cast<double>(shape.q_width());
  const double kv = static_cast<double>(shape.k_width());
  const double v = static_cast<double>(shape.v_width());
  const double av = static_cast<double>(shape.av_width());
  const double ups =
      (s.activation() == SWIGLU || s.activation() == GEGLU) ? 2 : 1;
  const double attention =
      seq * (q + kv + v) + a * seq * seq + seq * av + seq * h;
  const bool is_moe = kind == LayerKind::kMoe || kind == LayerKind::kDecoderMoe;
  const bool is_dec =
      kind == LayerKind::kDecoderDense || kind == LayerKind::kDecoderMoe;
  double mlp = seq * (ups * static_cast<double>(s.ffn_hidden_size()) + h);
  if (is_moe) {
    const MoeSpec& m = s.moe();
    const double f_e = static_cast<double>(m.expert_ffn_hidden_size() > 0
                                               ? m.expert_ffn_hidden_size()
                                               : s.ffn_hidden_size());
    mlp = seq * (static_cast<double>(m.top_k()) * (ups * f_e + h) +
                 static_cast<double>(m.num_experts()));
  }
  return attention * (is_dec ? 2 : 1) + mlp;
}

const char* KindName(LayerKind kind) {
  switch (kind) {
    case LayerKind::kMoe:
      return "moe layer";
    case LayerKind::kDecoderDense:
      return "decoder layer";
    case LayerKind::kDecoderMoe:
      return "decoder moe layer";
    default:
      return "layer";
  }
}

}  // namespace

absl::StatusOr<DescribeReport> DescribeTransformer(
    const ModelSpec& model, const DescribeOptions& options) {
  MEMWALL_RETURN_IF_ERROR(ValidateModel(model));
  const TransformerSpec& s = model.transformer();
  const int64_t seq_len =
      options.seq_len > 0 ? options.seq_len : s.max_seq_len();
  if (seq_len < 0 || seq_len > (int64_t{1} << 40)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--seq_len=", seq_len, " is out of range"));
  }
  const double seq = static_cast<double>(seq_len);
  const TransformerParams p = CountParams(s);
  FlopsOptions fo;
  fo.seq_len = seq_len;
  const TransformerFlops flops = CountFlops(s, fo);

  DescribeReport r;
  r.set_model(model.name());
  r.set_source(model.source());
  r.set_params(p.total);
  r.set_seq_len(seq_len);
  r.set_inference_flops(flops.forward_flops);

  ActivationOptions ao;
  ao.seq_len = seq_len;
  const auto add = [&](const std::string& name, int64_t count, int64_t params,
                       double fwd, double features, double saved) {
    ComponentCount* c = r.add_components();
    c->set_name(name);
    c->set_count(count);
    c->set_params(params);
    c->set_forward_flops(fwd);
    c->set_features(features);
    c->set_saved_bytes(saved);
  };
  add("embeddings", 1, p.embeddings_total, 0, 0, 0);
  double features = 0;
  const std::vector<double> layer_fwd = LayerForwardFlops(s, fo);
  const std::vector<LayerKind> sequence = LayerSequence(s);
  for (int k = 0; k < kNumLayerKinds; ++k) {
    if (p.num_layers[k] == 0) continue;
    const LayerKind kind = static_cast<LayerKind>(k);
    const double layer_features = LayerFeatures(s, kind, seq);
    features += layer_features * static_cast<double>(p.num_layers[k]);
    const double shared_fraction =
        s.num_shared_layer_groups() > 0
            ? static_cast<double>(p.layer_param_sets) /
                  static_cast<double>(p.num_layers[k])
            : 1.0;
    add(KindName(kind), p.num_layers[k],
        static_cast<int64_t>(
            static_cast<double>(p.layer[k].total() * p.num_layers[k]) *
            shared_fraction),
        flops.layer_forward_flops[k],
        layer_features * static_cast<double>(p.num_layers[k]),
        LayerActivationBytes(s, kind, ao) *
            static_cast<double>(p.num_layers[k]));
  }
  add("output layer", 1, p.output_layer, flops.logits_forward_flops, 0, 0);
  if (s.mtp().num_modules() > 0) {
    add("mtp modules", s.mtp().num_modules(), p.mtp + p.mtp_experts,
        flops.mtp_forward_flops, 0, 0);
  }
  const int64_t heads = p.final_norms + p.pooler + p.mlm_head + p.relative_bias;
  if (heads > 0) add("norms, pooler, heads", 1, heads, 0, 0, 0);
  r.set_features(features);
  if (options.layers) {
    for (size_t i = 0; i < sequence.size(); ++i) {
      const int k = static_cast<int>(sequence[i]);
      ComponentCount* c = r.add_layers();
      c->set_name(absl::StrCat(KindName(sequence[i]), " ", i));
      c->set_count(1);
      c->set_params(p.layer[k].total());
      c->set_forward_flops(layer_fwd[i]);
      c->set_features(LayerFeatures(s, sequence[i], seq));
      c->set_saved_bytes(LayerActivationBytes(s, sequence[i], ao));
    }
  }
  const TrainingSetup& t = model.training_setup();
  if (t.tokens() > 0) {
    r.set_training_flops(flops.model_flops / seq * t.tokens());
  }
  return r;
}

}  // namespace memwall
