// How many micro-batches each pipeline stage holds (the layer split is
// planner/model's StageLayers; with interleaving, vpp > 1, rank r holds chunks
// r, r + p, ... of L/(p v) layers each). In flight: 1F1B warm-up at rank
// r runs p - r - 1 forwards, so rank r holds min(p - r, m) micro-batches
// (Megatron-LM schedules.py; Narayanan 2021 §2.2); interleaved warm-up is 2(p -
// r - 1) + (v - 1) p + 1 chunk micro-batches (Megatron-LM, group size p), which
// at rank 0 is Korthikanti's factor 1 + (p - 1)/(p v).
#ifndef MEMWALL_PLANNER_MEMORY_PIPELINE_SCHEDULE_H_
#define MEMWALL_PLANNER_MEMORY_PIPELINE_SCHEDULE_H_

#include <cstdint>

#include "planner/layout/stage_split.h"

namespace memwall {

// Micro-batches' worth of this stage's activations held at its peak;
// `micro_batches` is m = global batch / (micro-batch x dp).
double InFlightMicroBatches(int64_t pp, int64_t vpp, int64_t stage,
                            int64_t micro_batches);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MEMORY_PIPELINE_SCHEDULE_H_
