#include "planner/model/graph.h"

#include <string>
#include <unordered_map>

#include "absl/strings/str_cat.h"

namespace memwall {
namespace {

// Per-sample tensors beyond 1e15 elements are input errors; below it sizes fit
// int64.
constexpr double kMaxElements = 1e15;
constexpr int64_t kMaxImageSize = 1000000;

absl::StatusOr<Shape> InputShape(const ModelSpec& model, int64_t image_size) {
  const LayerGraph& g = model.graph();
  Shape s;
  if (g.seq_len() < 0 || g.seq_len() > kMaxImageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("model '", model.name(), "': graph.seq_len=", g.seq_len(),
                     " must be in [0, ", kMaxImageSize, "]"));
  }
  if (g.seq_len() > 0) {
    s.ids = true;
    s.dims[s.rank++] = g.seq_len();
    if (g.input_channels() > 0) s.dims[s.rank++] = g.input_channels();
    return s;
  }
  const int64_t size = image_size > 0 ? image_size : g.image_size();
  if (g.input_channels() <= 0 || size <= 0 || size > kMaxImageSize ||
      g.input_channels() > kMaxImageSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "model '", model.name(), "': graph.input_channels=", g.input_channels(),
        " and image size=", size, " must be in [1, ", kMaxImageSize,
        "] (or set graph.seq_len)"));
  }
  s.rank = 3;
  s.dims[0] = g.input_channels();
  s.dims[1] = s.dims[2] = size;
  return s;
}

}  // namespace

absl::StatusOr<GraphAnalysis> AnalyzeGraph(const ModelSpec& model,
                                           int64_t image_size) {
  if (!model.has_graph()) {
    return absl::InvalidArgumentError(
        absl::StrCat("model '", model.name(), "' is not a layer graph"));
  }
  const LayerGraph& g = model.graph();
  const int n = g.layers_size();
  GraphAnalysis a;
  auto input = InputShape(model, image_size);
  if (!input.ok()) return input.status();
  a.input = *input;
  a.costs.resize(n);
  a.shapes.resize(n);

  std::unordered_map<std::string, int> index;  // name -> layer, "input" -> -1
  index.reserve(n + 1);
  index["input"] = -1;
  for (int i = 0; i < n; ++i) {
    const std::string& name = g.layers(i).name();
    if (name.empty() || !index.emplace(name, i).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "graph.layers[", i, "]: name '", name, "' is empty or used twice"));
    }
  }
  // Storage of each layer's output (the producing layer, -1 = the input batch)
  // and whether some layer saves it for backward.
  std::vector<int> storage(n);
  std::vector<char> saved(n, 0);
  std::vector<Shape> ins;
  std::vector<int> in_ids;
  for (int i = 0; i < n; ++i) {
    const Layer& layer = g.layers(i);
    ins.clear();
    in_ids.clear();
    if (layer.inputs().empty()) {
      in_ids.push_back(i - 1);
    }
    for (const std::string& in : layer.inputs()) {
      auto it = index.find(in);
      if (it == index.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "layer '", layer.name(), "': unknown input '", in, "'"));
      }
      if (it->second >= i) {
        return absl::InvalidArgumentError(absl::StrCat(
            "layer '", layer.name(), "': input '", in,
            "' is not an earlier layer (a cycle or a forward reference)"));
      }
      in_ids.push_back(it->second);
    }
    for (int id : in_ids) ins.push_back(id < 0 ? a.input : a.shapes[id]);
    auto eval = EvalLayer(layer, ins);
    if (!eval.ok()) return eval.status();
    if (eval->output.elements() > kMaxElements) {
      return absl::InvalidArgumentError(absl::StrCat(
          "layer '", layer.name(), "': output ", eval->output.ToString(),
          " exceeds ", kMaxElements, " elements per sample"));
    }
    const int in0 = in_ids[0];
    const int in0_storage = in0 < 0 ? -1 : storage[in0];
    storage[i] = eval->output_aliases_input ? in0_storage : i;
    if (eval->saves_input && in0_storage >= 0) saved[in0_storage] = 1;
    if (eval->saves_output && storage[i] >= 0) saved[storage[i]] = 1;
    a.shapes[i] = eval->output;
    LayerCost& c = a.costs[i];
    c.name = layer.name();
    c.kind = LayerKindName(layer.kind());
    c.params = eval->params;
    c.forward_flops = 2 * eval->macs;
    c.saved_float_elements = eval->internal_saved_elements;
    c.saved_fixed_bytes = eval->saved_fixed_bytes;
    c.output_elements = eval->output.elements();
  }
  // A saved storage is charged to the layer that produced it.
  for (int i = 0; i < n; ++i) {
    if (saved[i]) a.costs[i].saved_float_elements += a.shapes[i].elements();
  }
  return a;
}

absl::StatusOr<std::vector<LayerCost>> GraphLayerCosts(const ModelSpec& model,
                                                       int64_t image_size) {
  auto a = AnalyzeGraph(model, image_size);
  if (!a.ok()) return a.status();
  return std::move(a->costs);
}

GraphTotals SumCosts(const std::vector<LayerCost>& costs) {
  GraphTotals t;
  for (const LayerCost& c : costs) {
    t.params += c.params;
    t.forward_flops += c.forward_flops;
    t.saved_float_elements += c.saved_float_elements;
    t.saved_fixed_bytes += c.saved_fixed_bytes;
    t.output_elements += c.output_elements;
  }
  return t;
}

}  // namespace memwall
