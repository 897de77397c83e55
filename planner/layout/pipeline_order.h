// The order in which one pipeline rank runs its forward and backward passes in
// Megatron-LM's schedules (schedules.py): 1F1B (Narayanan et al. 2021 Sec.
// 2.2) with min(p - r - 1, m) warm-up forwards at rank r, then one forward
// and one backward at a time, then the remaining backwards; interleaved 1F1B
// (v > 1 model chunks per rank) with a warm-up of 2 (p - r - 1) + (v - 1) p
// chunk micro-batches, chunks taken in groups of p micro-batches (forward:
// chunk 0 first; backward: the last chunk first). The HTML pipeline timeline
// and memwall-run replay both run this order.
#ifndef MEMWALL_PLANNER_LAYOUT_PIPELINE_ORDER_H_
#define MEMWALL_PLANNER_LAYOUT_PIPELINE_ORDER_H_

#include <cstdint>
#include <vector>

namespace memwall {

struct PipelinePass {
  bool forward = true;
  int64_t chunk = 0;        // 0 <= chunk < v
  int64_t micro_batch = 0;  // 0 <= micro_batch < m
};

// Rank r's (0 <= r < p) passes over m micro-batches with v chunks each: 2 m v
// entries. Interleaving (v > 1) needs m to be a multiple of p, as in
// Megatron-LM.
std::vector<PipelinePass> PipelineRankOrder(int64_t p, int64_t v, int64_t m,
                                            int64_t r);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_LAYOUT_PIPELINE_ORDER_H_
