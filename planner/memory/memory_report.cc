#include "planner/memory/memory_report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/checked.h"
#include "common/enum_names.h"
#include "common/status.h"
#include "planner/memory/deepspeed_estimator.h"
#include "planner/memory/model_states.h"

namespace memwall {
namespace {

const char* ProfileNote(Profile profile) {
  switch (profile) {
    case PROFILE_MEGATRON:
      return "Megatron-LM theoretical_memory_usage.py: Megatron parameter "
             "convention (no "
             "linear biases or position tables, padded vocabulary), 18 or "
             "6+12/d bytes per "
             "parameter, activations by its SP+selective path or its 1.05 x "
             "(10+24/t) path; "
             "stages after the first exclude embedding terms; no overheads";
    case PROFILE_DEEPSPEED:
      return "DeepSpeed ZeRO estimators: model states only (activations, "
             "buffers and "
             "allocator cache excluded); host memory per node as the estimator "
             "prints it";
    case PROFILE_ZERO:
      return "ZeRO paper: 2+2+K bytes per parameter (K=12 for mixed-precision "
             "Adam), "
             "activations 24 sbh per layer (2 sbh with checkpointing); no "
             "overheads";
    case PROFILE_SEED:
      return "founding tables: fp32 weights, no gradient term, optimizer "
             "moments only "
             "(Adam 2x, SGD-momentum 1x the weights), 16-bit activations; no "
             "overheads";
    default:
      return "memwall: model states, saved activations of the in-flight "
             "micro-batches, and "
             "other = CUDA context + NCCL and pipeline buffers + ZeRO-3 "
             "gathered layers + "
             "transient buffers + allocator headroom";
  }
}

}  // namespace

MemoryReport ToMemoryReport(const MemoryEvaluator& evaluator,
                            const ParallelLayout& layout,
                            const MemoryBreakdown& breakdown,
                            const ClusterSpec* cluster) {
  MemoryReport r;
  r.set_model(evaluator.model().name());
  r.set_profile(EnumName(evaluator.profile()));
  *r.mutable_layout() = ToProto(layout);
  *r.mutable_training() = evaluator.training();
  const int64_t gpus = layout.dp * layout.tp * layout.pp * layout.cp;
  r.set_gpus(gpus);
  r.set_params(evaluator.params());
  for (int i = 0; i < breakdown.num_stages; ++i) {
    const StageBreakdown& s = breakdown.stages[i];
    StageMemory* m = r.add_stages();
    m->set_stage(i);
    m->set_num_layers(s.num_layers);
    m->set_params(s.params);
    m->set_weights_bytes(s.weights_bytes);
    m->set_gradients_bytes(s.gradients_bytes);
    m->set_optimizer_bytes(s.optimizer_bytes);
    m->set_activations_bytes(s.activations_bytes);
    m->set_other_bytes(s.other_bytes);
    m->set_total_bytes(s.total_bytes);
    m->set_host_bytes(s.host_bytes);
    m->set_in_flight_micro_batches(s.in_flight_micro_batches);
    auto& items = *m->mutable_other_items();
    if (s.cuda_context_bytes) items["cuda_context"] = s.cuda_context_bytes;
    if (s.comm_buffer_bytes) items["comm_buffers"] = s.comm_buffer_bytes;
    if (s.zero3_gathered_bytes)
      items["zero3_gathered"] = s.zero3_gathered_bytes;
    if (s.transient_bytes) items["transient"] = s.transient_bytes;
    if (s.fp8_weight_bytes) items["fp8_weights"] = s.fp8_weight_bytes;
    if (s.allocator_headroom_bytes)
      items["allocator_headroom"] = s.allocator_headroom_bytes;
    m->set_fits(breakdown.capacity_bytes == 0 ||
                s.total_bytes <= breakdown.capacity_bytes);
  }
  r.set_peak_bytes(breakdown.peak_bytes);
  r.set_peak_stage(breakdown.peak_stage);
  if (cluster != nullptr) r.set_cluster(cluster->name());
  r.set_capacity_bytes(breakdown.capacity_bytes);
  r.set_fits(breakdown.fits);
  r.add_notes(ProfileNote(evaluator.profile()));
  const TrainingSpec& t = evaluator.training();
  if (t.kernels() == KERNELS_EAGER) {
    r.add_notes(absl::StrCat(
        "kernels eager: PyTorch eager modules as Hugging Face writes them "
        "(unfused norms, repeat_kv, materialised scores, fp32 log-softmax); "
        "dropout masks ",
        t.kernel_device() == KERNEL_DEVICE_CPU ? "in the input's dtype (CPU)"
                                               : "of 1 byte (CUDA)"));
  }
  if (ResolvedMixedPrecision(t.mixed_precision(), t.stack()) ==
      MIXED_PRECISION_FSDP) {
    r.add_notes(
        "mixed precision fsdp: sharded fp32 parameters (the master copy), "
        "fp32 gradient shards and moments (16 bytes per parameter with "
        "Adam); 16-bit copies of the gathered layers only");
  }
  if (t.cross_entropy() == CROSS_ENTROPY_FUSED_16BIT) {
    r.add_notes(
        "cross entropy fused_16bit: 16-bit logits saved, 16-bit logits "
        "gradient");
  }
  if (t.mixed_precision() == MIXED_PRECISION_AUTOCAST) {
    r.add_notes(
        "mixed precision autocast: fp32 weights, grads and moments (16 bytes "
        "per parameter with Adam); 16-bit weight copies held from forward to "
        "backward");
  }

  const int64_t per_node = std::min(gpus, evaluator.gpus_per_node());
  if (evaluator.profile() == PROFILE_DEEPSPEED) {
    DeepSpeedInput in;
    in.params = static_cast<double>(evaluator.params());
    in.largest_layer =
        static_cast<double>(evaluator.param_counts().largest_module);
    in.gpus_per_node = per_node;
    in.nodes = std::max<int64_t>(1, gpus / per_node);
    const bool offload = layout.offload != OFFLOAD_NONE;
    const DeepSpeedEstimate e =
        layout.zero_stage == 3
            ? DeepSpeedZero3(in, layout.offload == OFFLOAD_PARAMS, offload,
                             evaluator.training().zero_init())
            : DeepSpeedZero2(in, offload);
    r.set_host_bytes_per_node(BytesFromDouble(e.cpu_bytes_per_node));
    if (layout.zero_stage < 2) {
      r.add_notes(
          "DeepSpeed has no ZeRO-0/1 estimator; states use its ZeRO-2 byte "
          "counts "
          "with the stage's sharding");
    }
  } else if (breakdown.num_stages > 0) {
    int64_t host = 0;
    for (int i = 0; i < breakdown.num_stages; ++i) {
      host = std::max(host, breakdown.stages[i].host_bytes);
    }
    r.set_host_bytes_per_node(MulBytes(host, per_node));
  }
  return r;
}

absl::StatusOr<MemoryReport> BuildMemoryReport(const ModelSpec& model,
                                               const TrainingSpec& training,
                                               Profile profile,
                                               const ParallelLayout& layout,
                                               const ClusterSpec* cluster,
                                               bool layer_activations) {
  MEMWALL_ASSIGN_OR_RETURN(
      const MemoryEvaluator evaluator,
      MemoryEvaluator::Create(model, training, profile, cluster));
  MEMWALL_RETURN_IF_ERROR(evaluator.CheckLayout(layout));
  const MemoryBreakdown breakdown = evaluator.Evaluate(layout);
  MemoryReport report = ToMemoryReport(evaluator, layout, breakdown, cluster);
  if (layer_activations) {
    for (const PartBytes& part : evaluator.LayerActivations(layout)) {
      PartActivations* p = report.add_layer_activations();
      p->set_name(part.name);
      p->set_saved_bytes(part.bytes);
    }
  }
  return report;
}

}  // namespace memwall
