// One layer of a layer graph: output shape, parameters, multiply-accumulates
// and what the layer saves for backward, from its input shapes. PyTorch
// semantics (torch.nn layer definitions; saved tensors from
// tools/autograd/derivatives.yaml); see docs/layer-graphs.md for every rule and
// its source.
#ifndef MEMWALL_PLANNER_MODEL_GRAPH_LAYER_H_
#define MEMWALL_PLANNER_MODEL_GRAPH_LAYER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/graph.pb.h"

namespace memwall {

// A per-sample tensor shape: [C, H, W] images, [T, F] sequences, [F] vectors,
// [T] or [T, K] token ids.
struct Shape {
  int rank = 0;
  int64_t dims[3] = {0, 0, 0};
  bool ids = false;  // integer token ids (embedding input)

  double elements() const {
    double n = 1;
    for (int i = 0; i < rank; ++i) n *= static_cast<double>(dims[i]);
    return n;
  }
  std::string ToString() const;
  bool operator==(const Shape& o) const;
};

struct LayerEval {
  Shape output;
  int64_t params = 0;
  double macs = 0;
  // The output shares its first input's storage (in-place ReLU, flatten,
  // views).
  bool output_aliases_input = false;
  bool saves_input = false;   // saves its first input for backward
  bool saves_output = false;  // saves its own output
  // Float elements saved inside the layer (LSTM gates and cell states, highway
  // gates).
  double internal_saved_elements = 0;
  // Saved bytes that do not scale with the float dtype (int64 indices, bool
  // masks).
  double saved_fixed_bytes = 0;
};

// Lower-case kind name as printed ("conv2d", "batch_norm", ...).
const char* LayerKindName(GraphLayerKind kind);

// Evaluates `layer` on its input shapes. InvalidArgument naming the layer when
// the inputs do not fit (rank, channels not divisible by groups, concat/add
// shape mismatch, ...).
absl::StatusOr<LayerEval> EvalLayer(const Layer& layer,
                                    const std::vector<Shape>& inputs);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_GRAPH_LAYER_H_
