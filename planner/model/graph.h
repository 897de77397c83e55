// Layer-graph models (CNNs, LSTMs, embedding tables): shape inference from the
// input resolution, then per layer the output shape, parameters, FLOPs (2 x
// multiply-accumulates of conv, linear, LSTM and highway layers) and the bytes
// a training-mode forward saves for backward under PyTorch semantics: each
// storage once, in-place ops sharing their input's storage, int64 max-pool
// indices, bool dropout masks; parameters and the input batch excluded. Rules
// and sources: docs/layer-graphs.md.
#ifndef MEMWALL_PLANNER_MODEL_GRAPH_H_
#define MEMWALL_PLANNER_MODEL_GRAPH_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "planner/model/graph_layer.h"
#include "planner/model/layer_cost.h"
#include "proto/model.pb.h"

namespace memwall {

struct GraphAnalysis {
  std::vector<LayerCost> costs;  // one per layer, in graph order
  std::vector<Shape> shapes;     // output shape of each layer
  Shape input;
};

// Per-layer costs for one sample at `image_size` (0 = the graph's own
// resolution). InvalidArgument naming the layer for unknown kinds or inputs,
// cycles (an input that is defined later), shape mismatches and indivisible
// groups.
absl::StatusOr<GraphAnalysis> AnalyzeGraph(const ModelSpec& model,
                                           int64_t image_size);

absl::StatusOr<std::vector<LayerCost>> GraphLayerCosts(const ModelSpec& model,
                                                       int64_t image_size);

// Sums over layers.
struct GraphTotals {
  int64_t params = 0;
  double forward_flops = 0;
  double saved_float_elements = 0;
  double saved_fixed_bytes = 0;
  double output_elements = 0;
};
GraphTotals SumCosts(const std::vector<LayerCost>& costs);

// Saved-for-backward bytes of one sample with floats of `float_bytes` bytes
// each.
inline double SavedBytes(const LayerCost& c, double float_bytes) {
  return c.saved_float_elements * float_bytes + c.saved_fixed_bytes;
}

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_GRAPH_H_
