// How a pipeline splits a model's layers: pp ranks, each holding vpp model
// chunks (interleaving); chunk j of rank s is virtual stage c = j * pp + s,
// and the virtual stages hold consecutive layers in model order (Megatron-LM's
// interleaved schedule, Narayanan 2021 §2.2). Three rules, chosen by the
// layout (docs/layout.md):
// - edges (default): as even as possible; the shorter chunks at the two ends of
//   the model (the first rank also holds the embedding, the last the output
//   layer), as Llama 3 405B does (arXiv 2407.21783 §3.3.2: 126 layers on 16
//   stages, the first and last stage one layer short);
// - accounted: Megatron-LM's --account-for-embedding/loss-in-pipeline-split:
//   the embedding (loss) is one more layer of the first (last) chunk, and the
//   layers plus those must divide evenly;
// - given: Megatron-LM's --decoder-first/last-pipeline-num-layers; the other
//   ranks split the rest evenly, and each rank's layers divide over its chunks.
// The layout must have passed ValidateLayout (validate_layout.h), which holds
// the rules' conditions.
#ifndef MEMWALL_PLANNER_LAYOUT_STAGE_SPLIT_H_
#define MEMWALL_PLANNER_LAYOUT_STAGE_SPLIT_H_

#include <cstdint>

#include "planner/layout/parallel_layout.h"

namespace memwall {

// First layer and layer count of a chunk or a stage.
struct LayerRange {
  int64_t first = 0;
  int64_t count = 0;
};

// Layer counts of the stages that can bound a step or a rank's memory: the
// first (with the embedding), the last (with the output layer) and the
// longest.
struct PipelineStages {
  int64_t first = 0;
  int64_t last = 0;
  int64_t longest = 0;
};

// Built in O(1) from the layout: cheap enough for the layout search's inner
// loop.
class PipelineSplit {
 public:
  PipelineSplit(int64_t layers, const ParallelLayout& layout);

  int64_t pp() const { return pp_; }
  int64_t vpp() const { return vpp_; }
  // Chunk j (0 <= j < vpp) of pipeline rank `stage`.
  LayerRange Chunk(int64_t stage, int64_t j) const;
  // Layers on a rank, summed over its chunks; with vpp = 1 its one range.
  int64_t StageLayerCount(int64_t stage) const;
  LayerRange Stage(int64_t stage) const;  // vpp = 1 only
  PipelineStages Pacing() const;
  // A rank holding Pacing().longest layers (the first such in rank order).
  int64_t LongestStage() const;
  // The first interior rank (0 < r < pp - 1) of each distinct layer count,
  // written to out[0, n); returns n <= 3. Where memory falls with the rank
  // (fewer micro-batches in flight), these are the interior ranks that can
  // hold the most.
  int InteriorCandidates(int64_t out[3]) const;
  // True when every rank holds the same number of layers in chunks of one size.
  bool Even() const;

 private:
  int64_t ChunkSize(int64_t c) const;
  int64_t ChunkFirst(int64_t c) const;

  int64_t pp_ = 1, vpp_ = 1, chunks_ = 1;
  bool given_ = false;
  // edges / accounted: chunks of `big_` layers, the first `front_` and the
  // last `back_` one layer shorter.
  int64_t big_ = 0, front_ = 0, back_ = 0;
  // given: layers per chunk on the first, middle and last ranks.
  int64_t first_chunk_ = 0, middle_chunk_ = 0, last_chunk_ = 0;
};

// The split of a vpp = 1 pipeline by the edges rule.
LayerRange StageLayers(int64_t layers, int64_t pp, int64_t stage);
PipelineStages PacingStages(int64_t layers, int64_t pp);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_LAYOUT_STAGE_SPLIT_H_
