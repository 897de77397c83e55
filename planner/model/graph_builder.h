// Writes LayerGraph layers from C++, the way torchvision's model definitions
// read: each call appends one layer and returns its name, to be passed as the
// next layer's input.
#ifndef MEMWALL_PLANNER_MODEL_GRAPH_BUILDER_H_
#define MEMWALL_PLANNER_MODEL_GRAPH_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "proto/graph.pb.h"

namespace memwall {

struct ConvArgs {
  int64_t out = 0;
  int64_t kh = 1, kw = 1;
  int64_t stride = 1;
  int64_t ph = 0, pw = 0;
  int64_t groups = 1;
  bool bias = false;
};

class GraphBuilder {
 public:
  explicit GraphBuilder(LayerGraph* graph) : graph_(graph) {}

  std::string Conv(const std::string& name, const std::string& in,
                   const ConvArgs& a);
  // Square kernel k, padding p.
  std::string Conv(const std::string& name, const std::string& in, int64_t out,
                   int64_t k, int64_t stride, int64_t p, bool bias,
                   int64_t groups = 1);
  std::string BatchNorm(const std::string& name, const std::string& in);
  std::string Relu(const std::string& name, const std::string& in,
                   bool inplace = true);
  std::string Lrn(const std::string& name, const std::string& in, int64_t size);
  std::string MaxPool(const std::string& name, const std::string& in, int64_t k,
                      int64_t stride, int64_t p = 0, bool ceil_mode = false);
  std::string AvgPool(const std::string& name, const std::string& in, int64_t k,
                      int64_t stride, int64_t p = 0);
  std::string AdaptiveAvgPool(const std::string& name, const std::string& in,
                              int64_t oh = 1, int64_t ow = 1);
  std::string AdaptiveMaxPool(const std::string& name, const std::string& in,
                              int64_t oh, int64_t ow);
  std::string Concat(const std::string& name,
                     const std::vector<std::string>& ins);
  std::string Add(const std::string& name, const std::string& a,
                  const std::string& b);
  std::string Dropout(const std::string& name, const std::string& in);
  std::string Flatten(const std::string& name, const std::string& in);
  std::string Linear(const std::string& name, const std::string& in,
                     int64_t out, bool bias = true);
  std::string Softmax(const std::string& name, const std::string& in);
  // Appends a prepared layer (kind and sizes set) reading `ins`.
  std::string Append(Layer layer, const std::vector<std::string>& ins);

  // conv (no bias) + batch norm + in-place ReLU, torchvision's BasicConv2d.
  std::string ConvBnRelu(const std::string& name, const std::string& in,
                         const ConvArgs& a);

 private:
  Layer* Add(const std::string& name, GraphLayerKind kind,
             const std::vector<std::string>& ins);
  LayerGraph* graph_;
};

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_GRAPH_BUILDER_H_
