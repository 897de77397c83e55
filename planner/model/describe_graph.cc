// `memwall describe` for layer graphs: totals, a row per layer kind and, with
// --layers, a row per layer (output shape, params, forward FLOPs, output
// elements, saved bytes).
#include <map>

#include "absl/strings/str_cat.h"
#include "planner/model/describe.h"
#include "planner/model/graph.h"

namespace memwall {
namespace {

// Saved floats at 2 bytes (bf16), like the transformer rows; fixed bytes as
// they are.
constexpr double kSavedFloatBytes = 2;

void Fill(const LayerCost& c, ComponentCount* out) {
  out->set_params(out->params() + c.params);
  out->set_forward_flops(out->forward_flops() + c.forward_flops);
  out->set_features(out->features() + c.output_elements);
  out->set_saved_bytes(out->saved_bytes() + SavedBytes(c, kSavedFloatBytes));
  out->set_count(out->count() + 1);
}

}  // namespace

absl::StatusOr<DescribeReport> DescribeGraph(const ModelSpec& model,
                                             const DescribeOptions& options) {
  // --seq_len sets the steps of token models (words of a sentence pair, ids per
  // sample).
  ModelSpec resized;
  const bool token_model = model.graph().seq_len() > 0;
  if (token_model && options.seq_len > 0) {
    resized = model;
    resized.mutable_graph()->set_seq_len(options.seq_len);
  }
  auto analysis = AnalyzeGraph(
      token_model && options.seq_len > 0 ? resized : model, options.image_size);
  if (!analysis.ok()) return analysis.status();
  DescribeReport r;
  r.set_model(model.name());
  r.set_source(model.source());
  const GraphTotals t = SumCosts(analysis->costs);
  r.set_params(t.params);
  r.set_inference_flops(t.forward_flops);
  r.set_features(t.output_elements);
  if (analysis->input.ids) r.set_seq_len(analysis->input.dims[0]);
  const TrainingSetup& setup = model.training_setup();
  const double samples = setup.samples_per_epoch() * setup.epochs();
  // Training FLOPs: forward + backward = 3 x forward, per sample seen.
  if (samples > 0) r.set_training_flops(3 * t.forward_flops * samples);
  std::map<std::string, ComponentCount> by_kind;
  for (const LayerCost& c : analysis->costs) Fill(c, &by_kind[c.kind]);
  for (auto& [kind, count] : by_kind) {
    count.set_name(kind);
    *r.add_components() = count;
  }
  if (options.layers) {
    for (size_t i = 0; i < analysis->costs.size(); ++i) {
      ComponentCount* row = r.add_layers();
      row->set_name(analysis->costs[i].name);
      Fill(analysis->costs[i], row);
      row->set_output_shape(analysis->shapes[i].ToString());
    }
  }
  r.add_features_list(
      absl::StrCat("input ", analysis->input.ToString(),
                   "; saved bytes count floats at 2 bytes (bf16)"));
  return r;
}

}  // namespace memwall
