#include "planner/search/rank_memory.h"

#include <algorithm>
#include <cmath>

namespace memwall {
namespace {

// Saved activation bytes of one layer for one micro-batch, by Korthikanti 2022
// Sec. 4.1 with h replaced by the actual widths: 10 sbh of replicated tensors
// (norm inputs, QKV and MLP-up inputs, dropout masks) and tensors sharded over
// TP (Q, K, V, the projection input, the MLP activations), plus the attention
// scores unless recomputed or fused.
double LayerActivationBytes(const TransformerShape& s, const ParallelLayout& l,
                            double ffn) {
  const double t = static_cast<double>(l.tp);
  const double tokens = static_cast<double>(l.micro_batch) * s.seq / l.cp;
  const double h = static_cast<double>(s.hidden);
  if (l.recompute == RECOMPUTE_FULL) {
    return 2.0 * tokens * h / (l.sequence_parallel ? t : 1.0);
  }
  const double replicated = tokens * (8.0 * h + (s.dropout ? 2.0 * h : 0.0));
  const double sharded =
      tokens * (2.0 * (s.q_dim() + s.kv_dim()) + 2.0 * s.kv_dim() +
                2.0 * s.q_dim() + (s.gated ? 6.0 : 4.0) * ffn);
  double bytes = replicated / (l.sequence_parallel ? t : 1.0) + sharded / t;
  if (!l.flash_attention && l.recompute == RECOMPUTE_NONE) {
    const double scores = static_cast<double>(l.micro_batch) * (s.heads / t) *
                          (static_cast<double>(s.seq) / l.cp) * s.seq;
    bytes += scores * (s.dropout ? 5.0 : 2.0);
  }
  return bytes;
}

}  // namespace

ShardedStateBytes StateBytesPerParam(const StepContext& ctx, int zero_stage,
                                     Offload offload, double shards) {
  ModelStateOptions o;
  o.profile = PROFILE_MEMWALL;
  o.dtype = ctx.dtype;
  o.optimizer = ctx.optimizer;
  o.zero_stage = zero_stage;
  o.offload = offload;
  return ShardedBytesPerParam(o, static_cast<int64_t>(shards));
}

double ModelStatesBytes(const StepContext& ctx, const ParallelLayout& l) {
  const StageParams p = MaxStageParams(ctx.shape, l);
  const double shards = static_cast<double>(l.dp * l.cp);
  const ShardedStateBytes dense =
      StateBytesPerParam(ctx, l.zero_stage, l.offload, shards);
  const ShardedStateBytes expert = StateBytesPerParam(
      ctx, l.zero_stage, l.offload, std::max(1.0, shards / l.ep));
  return p.dense * (dense.weights + dense.gradients + dense.optimizer) +
         p.expert * (expert.weights + expert.gradients + expert.optimizer);
}

RankMemory EstimateRankMemory(const StepContext& ctx, const ParallelLayout& l) {
  const TransformerShape& s = ctx.shape;
  RankMemory r;
  const StageParams p = MaxStageParams(s, l);
  const double shards = static_cast<double>(l.dp * l.cp);
  const ShardedStateBytes dense =
      StateBytesPerParam(ctx, l.zero_stage, l.offload, shards);
  const ShardedStateBytes expert = StateBytesPerParam(
      ctx, l.zero_stage, l.offload, std::max(1.0, shards / l.ep));
  r.weights_bytes = p.dense * dense.weights + p.expert * expert.weights;
  r.gradients_bytes = p.dense * dense.gradients + p.expert * expert.gradients;
  r.optimizer_bytes = p.dense * dense.optimizer + p.expert * expert.optimizer;
  r.host_bytes = p.dense * dense.host + p.expert * expert.host;
  // ZeRO-3 keeps the layer in use and the prefetched next one gathered; the
  // gradient bucket is held twice while it is being reduced.
  if (l.zero_stage >= 3 || l.offload == OFFLOAD_PARAMS) {
    r.other_bytes += 2.0 * p.layer_max * ctx.param_bytes;
  }
  if (shards > 1) {
    r.other_bytes += 2.0 * std::min(p.dense, kGradientBucketParams) *
                     ctx.grad_bytes_per_param;
  }

  const double m =
      static_cast<double>(ctx.global_batch) / (l.dp * l.micro_batch);
  const double pp = static_cast<double>(l.pp);
  const double layers = static_cast<double>(s.layers) / pp;
  const double moe_share =
      s.layers > 0 ? static_cast<double>(s.moe_layers) / s.layers : 0;
  const double per_layer =
      (1 - moe_share) * LayerActivationBytes(s, l, static_cast<double>(s.ffn)) +
      (moe_share > 0
           ? moe_share * LayerActivationBytes(
                             s, l, static_cast<double>(s.expert_ffn) * s.top_k)
           : 0.0);
  const double tokens = static_cast<double>(l.micro_batch) * s.seq / l.cp;
  const double t = static_cast<double>(l.tp);
  // First stage: min(m, p) micro-batches in flight under 1F1B, times 1 +
  // (p-1)/(p v) when interleaved (Korthikanti Sec. 4.2.3; Megatron schedules.py
  // warm-up).
  double in_flight = std::min(m, pp);
  if (l.vpp > 1)
    in_flight = std::min(m * l.vpp, pp) * (1.0 + (pp - 1) / (pp * l.vpp));
  double first = in_flight * layers * per_layer;
  // Full recompute rebuilds one layer's activations during backward.
  if (l.recompute == RECOMPUTE_FULL) {
    ParallelLayout none = l;
    none.recompute = RECOMPUTE_NONE;
    first += LayerActivationBytes(s, none, static_cast<double>(s.ffn));
  }
  // Last stage: one micro-batch, plus the fp32 logits and the output-layer
  // input (Korthikanti Sec. 4.3: 4sbV/t + 2sbh/t). With p = 1 both are on the
  // same stage.
  const double logits =
      4.0 * tokens * s.vocab / t + 2.0 * tokens * s.hidden / t;
  double last = layers * per_layer + logits;
  if (l.pp == 1) {
    first += logits;
    last = first;
  }
  r.activations_bytes = std::max(first, last);
  r.stage = last > first ? static_cast<int>(l.pp - 1) : 0;
  r.in_flight_micro_batches = last > first ? 1.0 : in_flight;
  r.total_bytes = r.weights_bytes + r.gradients_bytes + r.optimizer_bytes +
                  r.activations_bytes + r.other_bytes;
  return r;
}

MemoryReport ToMemoryReport(const StepContext& ctx, const RankMemory& r,
                            const ParallelLayout& l) {
  MemoryReport report;
  report.set_profile("memwall-search");
  *report.mutable_layout() = ToProto(l);
  report.set_gpus(l.gpus());
  report.set_params(static_cast<int64_t>(ctx.shape.total_params));
  StageMemory* stage = report.add_stages();
  stage->set_stage(r.stage);
  stage->set_num_layers(ctx.shape.layers / l.pp);
  const StageParams p = MaxStageParams(ctx.shape, l);
  stage->set_params(static_cast<int64_t>(p.dense + p.expert));
  stage->set_weights_bytes(static_cast<int64_t>(r.weights_bytes));
  stage->set_gradients_bytes(static_cast<int64_t>(r.gradients_bytes));
  stage->set_optimizer_bytes(static_cast<int64_t>(r.optimizer_bytes));
  stage->set_activations_bytes(static_cast<int64_t>(r.activations_bytes));
  stage->set_other_bytes(static_cast<int64_t>(r.other_bytes));
  stage->set_total_bytes(static_cast<int64_t>(r.total_bytes));
  stage->set_host_bytes(static_cast<int64_t>(r.host_bytes));
  stage->set_in_flight_micro_batches(r.in_flight_micro_batches);
  const double capacity = ctx.cluster.usable_hbm_bytes();
  stage->set_fits(r.total_bytes <= capacity);
  report.set_peak_bytes(static_cast<int64_t>(r.total_bytes));
  report.set_peak_stage(r.stage);
  report.set_capacity_bytes(static_cast<int64_t>(capacity));
  report.set_fits(r.total_bytes <= capacity);
  report.add_notes(
      "peak stage only (first or last); Megatron accounting: 16-bit weights, "
      "fp32 "
      "gradients, fp32 master weights and moments");
  return report;
}

}  // namespace memwall
