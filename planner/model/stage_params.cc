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

StageParamCounts StageParamModel::Count(const PipelineSplit& split,
                                        const ParallelLayout& l, int64_t stage,
                                        bool ends) const {
  StageParamCounts out;
  for (int64_t j = 0; j < split.vpp(); ++j) {
    AddLayers(split.Chunk(stage, j), &out.layers);
  }
  const TransformerParams& p = params_;
  const double t = static_cast<double>(l.tp);
  for (int k = 0; k < kNumLayerKinds; ++k) {
    if (out.layers[k] == 0) continue;
    out.num_layers += out.layers[k];
    // ALBERT: a stage holds each shared parameter set once.
    const double held = static_cast<double>(
        shared_groups_ > 0 ? std::min(out.layers[k], shared_groups_)
                           : out.layers[k]);
    out.dense += held * DensePerLayer(k, l);
    out.expert += held * ExpertPerLayer(k, l);
  }
  if (!ends) return out;
  if (stage == 0) {
    out.dense +=
        static_cast<double>(p.word_embedding) / t +
        static_cast<double>(p.embedding_projection + p.position_embedding +
                            p.token_type_embedding + p.embedding_norm +
                            p.relative_bias);
  }
  if (stage == l.pp - 1) {
    // Tied embeddings: with p > 1 the last stage keeps its own copy of the
    // word embedding for the output layer (Megatron-LM, GPT-2/3 with
    // pipelining).
    const double out_layer =
        tied_ ? (l.pp > 1 ? static_cast<double>(p.word_embedding) : 0)
              : static_cast<double>(p.output_layer);
    out.dense += (out_layer + static_cast<double>(p.mlm_head)) / t +
                 static_cast<double>(p.final_norms + p.pooler);
  }
  return out;
}

StageParamCounts StageParamModel::MaxStage(const PipelineSplit& split,
                                           const ParallelLayout& l) const {
  StageParamCounts best = Count(split, l, 0);
  const auto consider = [&](int64_t stage) {
    const StageParamCounts c = Count(split, l, stage);
    if (c.total() > best.total()) best = c;
  };
  if (l.pp > 1) consider(l.pp - 1);
  const int64_t longest = split.LongestStage();
  if (longest != 0 && longest != l.pp - 1) consider(longest);
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
