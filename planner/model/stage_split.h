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

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_STAGE_SPLIT_H_
