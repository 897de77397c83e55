// The parameters one rank of a pipeline stage holds, by kind, after tensor and
// expert sharding and before ZeRO: the one view of where parameters sit that
// memory (planner/memory) and step time (planner/timing) both read. Built once
// per model; Count() is a few additions per layer kind, cheap enough for the
// layout search's inner loop.
//
// Rules (docs/layout.md): a layer's attention, cross attention and MLP are
// split over TP, its routed experts over EP x ETP, its norms and router
// replicated; ALBERT-style shared layer groups are held once per stage; the
// first stage holds the embeddings (the word table split over TP, the rest
// replicated), the last the output layer (over TP; with tied embeddings and
// p > 1 a copy of the word table, as Megatron-LM keeps it), the final norms,
// pooler, MLM head and multi-token-prediction modules.
#ifndef MEMWALL_PLANNER_MODEL_STAGE_PARAMS_H_
#define MEMWALL_PLANNER_MODEL_STAGE_PARAMS_H_

#include <array>
#include <cstdint>
#include <vector>

#include "planner/layout/parallel_layout.h"
#include "planner/layout/stage_split.h"
#include "planner/model/transformer.h"

namespace memwall {

struct StageParamCounts {
  std::array<int64_t, kNumLayerKinds> layers{};  // layers of each kind
  int64_t num_layers = 0;
  double dense = 0;   // TP-sharded and replicated parameters on this rank
  double expert = 0;  // routed-expert parameters on this rank
  double total() const { return dense + expert; }
};

// What Count needs of one layout, computed once per layout (divisions done).
struct LayoutParamTerms {
  std::array<double, kNumLayerKinds> dense_per_layer{};
  std::array<double, kNumLayerKinds> expert_per_layer{};
  double first_extra = 0;        // embeddings on the first stage
  double last_extra = 0;         // output layer, final norms, pooler, MLM head,
                                 // MTP modules (all but their routed experts)
  double last_expert_extra = 0;  // the MTP modules' routed experts
};

class StageParamModel {
 public:
  StageParamModel() = default;
  StageParamModel(const TransformerSpec& spec, const TransformerParams& params);

  const TransformerParams& params() const { return params_; }
  int64_t num_layers() const { return static_cast<int64_t>(kinds_); }
  // Layers of each kind in [first, first + count) of the execution order.
  void AddLayers(const LayerRange& range,
                 std::array<int64_t, kNumLayerKinds>* counts) const;
  LayoutParamTerms Terms(const ParallelLayout& l) const;
  // `ends`: add the embeddings (first stage) and output layer (last stage).
  StageParamCounts Count(const PipelineSplit& split, const LayoutParamTerms& t,
                         int64_t stage, bool ends = true) const;
  StageParamCounts Count(const PipelineSplit& split, const ParallelLayout& l,
                         int64_t stage, bool ends = true) const {
    return Count(split, Terms(l), stage, ends);
  }
  // Of the first, the last and the longest stage (the stages that can bound a
  // rank's states or a step; PipelineSplit::PacingStageIndices), the one with
  // the most parameters.
  StageParamCounts MaxStage(const PipelineSplit& split,
                            const LayoutParamTerms& t) const;
  // The largest single layer's parameters on one rank.
  double LayerMax(const ParallelLayout& l) const;
  // Per-layer parameters of one kind on one rank.
  double DensePerLayer(int kind, const ParallelLayout& l) const;
  double ExpertPerLayer(int kind, const ParallelLayout& l) const;

 private:
  TransformerParams params_;
  int64_t shared_groups_ = 0;
  size_t kinds_ = 0;
  bool tied_ = false;
  int single_kind_ = -1;  // the one layer kind, or -1 when there are several
  std::array<std::vector<int32_t>, kNumLayerKinds> prefix_;
};

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_STAGE_PARAMS_H_
