// What one layer of a layer-graph model costs, per sample: the common currency
// between the layer-graph counter (planner/model/graph*) and the memory, timing
// and pipeline-split code.
#ifndef MEMWALL_PLANNER_MODEL_LAYER_COST_H_
#define MEMWALL_PLANNER_MODEL_LAYER_COST_H_

#include <cstdint>
#include <string>
#include <vector>

namespace memwall {

struct LayerCost {
  std::string name;
  std::string kind;  // "conv2d", "batch_norm", "lstm", ...
  int64_t params = 0;
  // Forward FLOPs for one sample (FLOPs = 2 x MACs).
  double forward_flops = 0;
  // Floating-point elements this layer's forward saves for backward, one
  // sample; bytes are this times the activation dtype's size.
  double saved_float_elements = 0;
  // Saved bytes that do not depend on the dtype (int64 max-pool indices, bool
  // masks).
  double saved_fixed_bytes = 0;
  // Elements of the layer's output, one sample (the seed's #Features sums
  // these).
  double output_elements = 0;
};

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_LAYER_COST_H_
