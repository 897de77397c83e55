// How a pipeline of `pp` stages splits `layers` layers (vpp = 1): as even as
// possible, with the first and last stages (which also hold the embedding and
// the output layer) taking the shorter share first, as Llama 3 (arXiv
// 2407.21783 §3.3.2) does. planner/memory places memory by it and
// planner/timing paces the pipeline by it.
#ifndef MEMWALL_PLANNER_MODEL_STAGE_SPLIT_H_
#define MEMWALL_PLANNER_MODEL_STAGE_SPLIT_H_

#include <cstdint>

namespace memwall {

// First layer and layer count of stage `stage`.
struct LayerRange {
  int64_t first = 0;
  int64_t count = 0;
};
LayerRange StageLayers(int64_t layers, int64_t pp, int64_t stage);

// Layer counts of the stages that can bound a step or a rank's memory: the
// first (with the embedding), the last (with the output layer) and the
// longest. StageLayers in closed form, cheap enough for the layout search's
// inner loop.
struct PipelineStages {
  int64_t first = 0;
  int64_t last = 0;
  int64_t longest = 0;
};
inline PipelineStages PacingStages(int64_t layers, int64_t pp) {
  // StageLayers in closed form (this runs for every layout the search times):
  // p - L mod p >= 1 stages are short, the first of them stage 0 and the
  // second stage p - 1.
  const int64_t base = layers / pp;
  const int64_t shorts = pp - layers % pp;
  return PipelineStages{base, pp == 1 || shorts >= 2 ? base : base + 1,
                        base + (layers % pp != 0 ? 1 : 0)};
}

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_STAGE_SPLIT_H_
