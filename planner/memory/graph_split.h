// Pipeline stages for layer graphs: the layers, in graph order, cut into
// `stages` contiguous runs so that the heaviest run is as light as possible
// (the linear partition problem; binary search on the bound, greedy check).
// Weights are per-layer compute (forward FLOPs) or memory (bytes), chosen by
// the caller.
#ifndef MEMWALL_PLANNER_MEMORY_GRAPH_SPLIT_H_
#define MEMWALL_PLANNER_MEMORY_GRAPH_SPLIT_H_

#include <utility>
#include <vector>

namespace memwall {

// [first, end) layer index ranges, one per stage, each non-empty. Needs
// 1 <= stages <= weights.size().
std::vector<std::pair<int, int>> SplitStages(const std::vector<double>& weights,
                                             int stages);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MEMORY_GRAPH_SPLIT_H_
