#include "planner/model/stage_params.h"

#include <algorithm>

namespace memwall {

StageParamModel::StageParamModel(const TransformerSpec& spec,
                                 const TransformerParams& params)
    : params_(params),
      shared_groups_(spec.num_shared_layer_groups()),
      tied_(spec.tied_embeddings()) {
  const std::vector<LayerKind> sequence = LayerSequence(spec);
  kinds_ = sequence.size();
  if (!sequence.empty()) {
    single_kind_ = static_cast<int>(sequence.front());
    for (LayerKind k : sequence) {
      if (static_cast<int>(k) != single_kind_) single_kind_ = -1;
    }
  }
  for (int k = 0; k < kNumLayerKinds; ++k) {
    prefix_[k].assign(sequence.size() + 1, 0);
    for (size_t i = 0; i < sequence.size(); ++i) {
      prefix_[k][i + 1] =
          prefix_[k][i] + (static_cast<int>(sequence[i]) == k ? 1 : 0);
    }
  }
}

void StageParamModel::AddLayers(
    const LayerRange& r, std::array<int64_t, kNumLayerKinds>* counts) const {
  for (int k = 0; k < kNumLayerKinds; ++k) {
    (*counts)[k] += prefix_[k][r.first + r.count] - prefix_[k][r.first];
  }
}

double StageParamModel::DensePerLayer(int k, const ParallelLayout& l) const {
  const LayerParams& lp = params_.layer[k];
  return static_cast<double>(lp.attention + lp.cross_attention + lp.mlp) /
             static_cast<double>(l.tp) +
         static_cast<double>(lp.norms + lp.router);
}

double StageParamModel::ExpertPerLayer(int k, const ParallelLayout& l) const {
  return static_cast<double>(params_.layer[k].experts) /
         static_cast<double>(l.ep * l.expert_tp());
}

LayoutParamTerms StageParamModel::Terms(const ParallelLayout& l) const {
  LayoutParamTerms t;
  for (int k = 0; k < kNumLayerKinds; ++k) {
    t.dense_per_layer[k] = DensePerLayer(k, l);
    t.expert_per_layer[k] = ExpertPerLayer(k, l);
  }
  const TransformerParams& p = params_;
  const double tp = static_cast<double>(l.tp);
  t.first_extra =
      static_cast<double>(p.word_embedding) / tp +
      static_cast<double>(p.embedding_projection + p.position_embedding +
                          p.token_type_embedding + p.embedding_norm +
                          p.relative_bias);
  // Tied embeddings: with p > 1 the last stage keeps its own copy of the word
  // embedding for the output layer (Megatron-LM, GPT-2/3 with pipelining).
  const double out_layer =
      tied_ ? (l.pp > 1 ? static_cast<double>(p.word_embedding) : 0)
            : static_cast<double>(p.output_layer);
  t.last_extra = (out_layer + static_cast<double>(p.mlm_head)) / tp +
                 static_cast<double>(p.final_norms + p.pooler);
  // Multi-token-prediction modules follow the last layer (DeepSeek-V3,
  // Megatron-LM's MTP block on the last stage): split like a layer, their
  // routed experts over EP x ETP.
  t.last_extra += static_cast<double>(p.mtp) / tp;
  t.last_expert_extra = static_cast<double>(p.mtp_experts) /
                        static_cast<double>(l.ep * l.expert_tp());
  return t;
}

StageParamCounts StageParamModel::Count(const PipelineSplit& split,
                                        const LayoutParamTerms& t,
                                        int64_t stage, bool ends) const {
  StageParamCounts out;
  const auto add = [&](int k, int64_t n) {
    out.num_layers += n;
    // ALBERT: a stage holds each shared parameter set once.
    const double held = static_cast<double>(
        shared_groups_ > 0 ? std::min(n, shared_groups_) : n);
    out.dense += held * t.dense_per_layer[k];
    out.expert += held * t.expert_per_layer[k];
  };
  if (single_kind_ >= 0) {
    // One kind of layer (most models): the stage's count in closed form.
    const int64_t n = split.StageLayerCount(stage);
    out.layers[single_kind_] = n;
    add(single_kind_, n);
  } else {
    for (int64_t j = 0; j < split.vpp(); ++j) {
      AddLayers(split.Chunk(stage, j), &out.layers);
    }
    for (int k = 0; k < kNumLayerKinds; ++k) {
      if (out.layers[k] > 0) add(k, out.layers[k]);
    }
  }
  if (!ends) return out;
  if (stage == 0) out.dense += t.first_extra;
  if (stage == split.pp() - 1) {
    out.dense += t.last_extra;
    out.expert += t.last_expert_extra;
  }
  return out;
}

StageParamCounts StageParamModel::MaxStage(const PipelineSplit& split,
                                           const LayoutParamTerms& t) const {
  StageParamCounts best = Count(split, t, 0);
  const auto consider = [&](int64_t stage) {
    const StageParamCounts c = Count(split, t, stage);
    if (c.total() > best.total()) best = c;
  };
  const int64_t last = split.pp() - 1;
  if (last > 0) consider(last);
  const int64_t longest = split.LongestStage();
  if (longest != 0 && longest != last) consider(longest);
  return best;
}

double StageParamModel::LayerMax(const ParallelLayout& l) const {
  double most = 0;
  for (int k = 0; k < kNumLayerKinds; ++k) {
    if (params_.num_layers[k] == 0) continue;
    most = std::max(most, DensePerLayer(k, l) + ExpertPerLayer(k, l));
  }
  return most;
}

}  // namespace memwall
