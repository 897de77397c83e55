#include "planner/memory/graph_memory.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/checked.h"
#include "common/enum_names.h"
#include "common/status.h"
#include "common/units.h"
#include "planner/layout/validate_layout.h"
#include "planner/memory/graph_split.h"
#include "planner/memory/memory_report.h"
#include "planner/memory/model_states.h"
#include "planner/memory/overheads.h"
#include "planner/model/graph.h"
#include "planner/model/transformer.h"

namespace memwall {
namespace {

// Parameters a GPU holds for layer i, and those kept in host memory instead.
void GraphLayerParams(const Layer& layer, int64_t params, double* device,
                      double* host) {
  if (layer.host_resident()) {
    *host += static_cast<double>(params);
  } else {
    *device += static_cast<double>(params) /
               static_cast<double>(std::max<int64_t>(1, layer.shards()));
  }
}

}  // namespace

absl::StatusOr<MemoryReport> BuildGraphMemoryReport(
    const ModelSpec& model, const TrainingSpec& training, Profile profile,
    const ParallelLayout& layout, const ClusterSpec* cluster,
    StageBalance balance) {
  // --seq_len > 1 sets the steps of token models (the CLI's default for graphs
  // is 1).
  ModelSpec resized;
  const bool resize = model.graph().seq_len() > 0 && training.seq_len() > 1;
  if (resize) {
    resized = model;
    resized.mutable_graph()->set_seq_len(training.seq_len());
  }
  MEMWALL_ASSIGN_OR_RETURN(
      GraphAnalysis a,
      AnalyzeGraph(resize ? resized : model, training.image_size()));
  const int n = static_cast<int>(a.costs.size());
  LayoutLimits limits = LimitsOf(model, training, cluster);
  limits.layers = n;
  MEMWALL_RETURN_IF_ERROR(ValidateLayout(limits, layout));
  ModelStateOptions so;
  so.profile = profile;
  so.dtype = training.dtype();
  so.optimizer = training.optimizer();
  so.zero_stage = layout.zero_stage;
  so.offload = layout.offload;
  const ShardedStateBytes per_param = ShardedBytesPerParam(so, layout.dp);
  const StateBytes full =
      BytesPerParam(profile, training.dtype(), training.optimizer());
  const double act_bytes = ActivationBytes(training.dtype());
  const double mb = static_cast<double>(layout.micro_batch);
  const int64_t micro_batches = std::max<int64_t>(
      1, training.global_batch() / (layout.micro_batch * layout.dp));

  std::vector<double> weight(n);
  for (int i = 0; i < n; ++i) {
    const LayerCost& c = a.costs[i];
    weight[i] =
        balance == StageBalance::kCompute
            ? c.forward_flops + 1  // +1: zero-FLOP layers still take a place
            : static_cast<double>(c.params) * per_param.device_total() +
                  SavedBytes(c, act_bytes) * mb;
  }
  const auto stages = SplitStages(weight, static_cast<int>(layout.pp));

  MemoryReport r;
  r.set_model(model.name());
  r.set_profile(EnumName(profile));
  *r.mutable_layout() = ToProto(layout);
  *r.mutable_training() = training;
  r.set_gpus(layout.gpus());
  const MemwallOverheads overheads = MemwallOverheads::Of(cluster);
  const double cuda_context = static_cast<double>(overheads.cuda_context_bytes);
  int64_t total_params = 0;
  double host_total = 0;
  for (int s = 0; s < static_cast<int>(stages.size()); ++s) {
    double device = 0, host = 0, saved = 0, largest = 0;
    int64_t params = 0;
    for (int i = stages[s].first; i < stages[s].second; ++i) {
      params += a.costs[i].params;
      largest = std::max(largest, static_cast<double>(a.costs[i].params));
      GraphLayerParams(model.graph().layers(i), a.costs[i].params, &device,
                       &host);
      saved += SavedBytes(a.costs[i], act_bytes);
    }
    total_params += params;
    const double in_flight =
        static_cast<double>(std::min<int64_t>(layout.pp - s, micro_batches));
    StageMemory* m = r.add_stages();
    m->set_stage(s);
    m->set_num_layers(stages[s].second - stages[s].first);
    m->set_params(params);
    m->set_weights_bytes(BytesFromDouble(device * per_param.weights));
    m->set_gradients_bytes(BytesFromDouble(device * per_param.gradients));
    m->set_optimizer_bytes(BytesFromDouble(device * per_param.optimizer));
    m->set_activations_bytes(BytesFromDouble(saved * mb * in_flight));
    m->set_in_flight_micro_batches(in_flight);
    const double host_bytes =
        device * per_param.host +
        host * (full.weights + full.gradients + full.optimizer);
    m->set_host_bytes(BytesFromDouble(host_bytes));
    host_total += host_bytes;
    double other = 0;
    if (profile == PROFILE_MEMWALL) {
      // Pipeline buffers of one micro-batch: the activation received from the
      // previous stage and the one sent to the next (the same shapes come back
      // as gradients).
      const int last = static_cast<int>(stages.size()) - 1;
      const double received =
          s > 0 ? a.shapes[stages[s - 1].second - 1].elements() : 0;
      const double sent =
          s < last ? a.shapes[stages[s].second - 1].elements() : 0;
      const double boundary = (received + sent) * act_bytes * mb;
      const double comm =
          MemwallOverheads::CommunicatorBytes(layout) + boundary;
      double before = static_cast<double>(SumBytes(
                          {m->weights_bytes(), m->gradients_bytes(),
                           m->optimizer_bytes(), m->activations_bytes()})) +
                      cuda_context + comm;
      const double gathered =
          layout.zero_stage == 3
              ? MemwallOverheads::Zero3GatheredBytes(largest, act_bytes, full)
              : 0;
      if (gathered > 0)
        (*m->mutable_other_items())["zero3_gathered"] =
            BytesFromDouble(gathered);
      before += gathered;
      const double headroom = overheads.Headroom(before);
      (*m->mutable_other_items())["cuda_context"] =
          BytesFromDouble(cuda_context);
      (*m->mutable_other_items())["comm_buffers"] = BytesFromDouble(comm);
      (*m->mutable_other_items())["allocator_headroom"] =
          BytesFromDouble(headroom);
      other = cuda_context + comm + gathered + headroom;
    }
    m->set_other_bytes(BytesFromDouble(other));
    m->set_total_bytes(SumBytes({m->weights_bytes(), m->gradients_bytes(),
                                 m->optimizer_bytes(), m->activations_bytes(),
                                 m->other_bytes()}));
    if (m->total_bytes() > r.peak_bytes() || s == 0) {
      r.set_peak_bytes(m->total_bytes());
      r.set_peak_stage(s);
    }
  }
  r.set_params(total_params);
  if (host_total > 0) {
    // One copy per node: host-resident tables are served to the node's GPUs (a
    // parameter server), and offloaded states are counted for one pipeline
    // replica.
    r.set_host_bytes_per_node(BytesFromDouble(host_total));
    r.add_notes("host memory counts one pipeline replica per node");
  }
  r.set_fits(true);
  if (cluster) {
    r.set_cluster(cluster->name());
    r.set_capacity_bytes(cluster->gpu().hbm_bytes());
    r.set_fits(r.peak_bytes() <= r.capacity_bytes());
    for (StageMemory& m : *r.mutable_stages())
      m.set_fits(m.total_bytes() <= r.capacity_bytes());
  }
  r.add_notes(
      absl::StrCat("layer graph: activations are the bytes autograd saves for "
                   "backward at ",
                   static_cast<int>(act_bytes),
                   " bytes per float; "
                   "stages balanced by ",
                   balance == StageBalance::kCompute ? "compute" : "memory"));
  if (profile == PROFILE_SEED) {
    r.add_notes(
        "seed profile: fp32 weights, no gradient term, optimizer moments only");
  }
  return r;
}

}  // namespace memwall
