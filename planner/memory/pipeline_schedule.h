// How a pipeline splits the layers and how many micro-batches each stage holds.
// Layers: as even as possible, the first and last stages (which also hold the
// embedding and the output layer) get the shorter share first, as Llama 3
// (arXiv 2407.21783 §3.3.2) does; with interleaving (vpp > 1) rank r holds
// chunks r, r + p, ... of L/(p v) layers each. In flight: 1F1B warm-up at rank
// r runs p - r - 1 forwards, so rank r holds min(p - r, m) micro-batches
// (Megatron-LM schedules.py; Narayanan 2021 §2.2); interleaved warm-up is 2(p -
// r - 1) + (v - 1) p + 1 chunk micro-batches (Megatron-LM, group size p), which
// at rank 0 is Korthikanti's factor 1 + (p - 1)/(p v).
#ifndef MEMWALL_PLANNER_MEMORY_PIPELINE_SCHEDULE_H_
#define MEMWALL_PLANNER_MEMORY_PIPELINE_SCHEDULE_H_

#include <cstdint>

namespace memwall {

// First layer and layer count of stage `stage` of `pp` for `layers` layers (vpp
// = 1).
struct LayerRange {
  int64_t first = 0;
  int64_t count = 0;
};
LayerRange StageLayers(int64_t layers, int64_t pp, int64_t stage);

// Micro-batches' worth of this stage's activations held at its peak;
// `micro_batches` is m = global batch / (micro-batch x dp).
double InFlightMicroBatches(int64_t pp, int64_t vpp, int64_t stage,
                            int64_t micro_batches);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MEMORY_PIPELINE_SCHEDULE_H_
