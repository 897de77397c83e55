#include "planner/timing/step_time.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "planner/layout/layout_groups.h"
#include "planner/layout/stage_split.h"
#include "planner/timing/collective_time.h"
#include "planner/timing/gradient_buckets.h"

namespace memwall {
namespace {

double DtypeBytes(Dtype dtype) {
  switch (dtype) {
    case FP32:
      return 4.0;
    case FP8:
      return 1.0;
    default:
      return 2.0;
  }
}

}  // namespace

absl::StatusOr<StepContext> MakeStepContext(const TransformerShape& shape,
                                            const ClusterParams& cluster,
                                            const TrainingSpec& training) {
  if (training.global_batch() <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("training.global_batch=", training.global_batch(),
                     " must be positive"));
  }
  StepContext ctx;
  ctx.shape = shape;
  ctx.cluster = cluster;
  ctx.global_batch = training.global_batch();
  ctx.param_bytes =
      DtypeBytes(training.dtype()) == 1.0 ? 2.0 : DtypeBytes(training.dtype());
  ctx.grad_bytes_per_param = ctx.param_bytes;
  switch (training.optimizer()) {
    case SGD:
      ctx.optimizer_bytes_per_param =
          4 + 4 + 4 + ctx.param_bytes;  // master rw, grad
      break;
    case SGD_MOMENTUM:
      ctx.optimizer_bytes_per_param = 8 + 8 + 4 + ctx.param_bytes;
      break;
    default:
      ctx.optimizer_bytes_per_param = 24 + 4 + ctx.param_bytes;
  }
  ctx.dtype = training.dtype() == DTYPE_UNSPECIFIED ? BF16 : training.dtype();
  ctx.mixed_precision = training.mixed_precision();
  ctx.main_grad_dtype = training.main_grad_dtype();
  ctx.optimizer = training.optimizer() == OPTIMIZER_UNSPECIFIED
                      ? ADAM
                      : training.optimizer();
  ctx.stack =
      training.stack() == STACK_UNSPECIFIED ? STACK_MEGATRON : training.stack();
  ctx.model_flops_per_step =
      ModelFlopsPerStep(shape, static_cast<double>(training.global_batch()));
  ctx.train_tokens = training.train_tokens();
  return ctx;
}

StageLoad StageLoadOf(const TransformerShape& s, const ParallelLayout& l) {
  const PipelineSplit split(s.layers, l);
  const LayoutParamTerms terms = s.stage_params.Terms(l);
  StageLoad load;
  const auto mix = [&](int64_t stage, double* dense, double* moe) {
    const StageParamCounts n = s.stage_params.Count(split, terms, stage, false);
    *moe =
        static_cast<double>(n.layers[static_cast<int>(LayerKind::kMoe)] +
                            n.layers[static_cast<int>(LayerKind::kDecoderMoe)]);
    *dense = static_cast<double>(n.num_layers) - *moe;
  };
  mix(l.pp - 1, &load.last_dense, &load.last_moe);
  mix(split.LongestStage(), &load.longest_dense, &load.longest_moe);
  const StageParamCounts most = s.stage_params.MaxStage(split, terms);
  load.params =
      StageParams{most.dense, most.expert, s.stage_params.LayerMax(l)};
  load.groups[0] = GroupsOf(l, ScheduleOrder(false));
  load.groups[1] = GroupsOf(l, ScheduleOrder(true));
  return load;
}

PacingLayers PacingLayersOf(const MicroBatchCosts& c, const StageLoad& load) {
  // The slowest stage paces the pipeline: the last (its layers plus the output
  // layer) or, when stages split unevenly, a longer one.
  const auto fb = [&](double dense, double moe) {
    return dense * (c.dense_forward_s + c.dense_backward_s) +
           moe * (c.moe_forward_s + c.moe_backward_s);
  };
  const double logits_fb = c.logits_forward_s + c.logits_backward_s;
  const bool last_paces = fb(load.last_dense, load.last_moe) + logits_fb >=
                          fb(load.longest_dense, load.longest_moe);
  PacingLayers pace;
  pace.dense = last_paces ? load.last_dense : load.longest_dense;
  pace.moe = last_paces ? load.last_moe : load.longest_moe;
  pace.logits = last_paces ? 1.0 : 0.0;
  return pace;
}

StageParams MaxStageParams(const TransformerShape& s, const ParallelLayout& l) {
  return StageLoadOf(s, l).params;
}

StepTime EvaluateStepTime(const StepContext& ctx, const MicroBatchCosts& c,
                          const ParallelLayout& l, const ScheduleOptions& o,
                          const StageLoad& load) {
  const ClusterParams& cl = ctx.cluster;
  StepTime out;
  const double m =
      static_cast<double>(ctx.global_batch) / (l.dp * l.micro_batch);
  const double p = static_cast<double>(l.pp);
  const double v = static_cast<double>(l.vpp);
  const LayoutGroups& groups = load.groups[o.pp_inside_dp ? 1 : 0];
  const PacingLayers pace = PacingLayersOf(c, load);
  const double logits = pace.logits;
  const double dense = pace.dense;
  const double moe = pace.moe;
  const double layers = dense + moe;
  const double fwd = dense * c.dense_forward_s + moe * c.moe_forward_s +
                     logits * c.logits_forward_s;
  const double bwd = dense * c.dense_backward_s + moe * c.moe_backward_s +
                     logits * c.logits_backward_s;
  double recompute = 0;
  double recompute_tp = 0;
  double recompute_flops = 0;
  if (l.recompute == RECOMPUTE_FULL) {
    // The whole forward of every layer again, with its TP collectives (ZeRO
    // Sec. 8).
    recompute = dense * c.dense_forward_s + moe * c.moe_forward_s;
    recompute_tp = layers * c.tp_forward_s;
    recompute_flops = ctx.model_flops_per_step / 3.0;
  } else if (l.recompute == RECOMPUTE_SELECTIVE && !l.flash_attention) {
    // With flash attention no score tensors are saved, so there is nothing to
    // redo.
    recompute = layers * c.attention_core_forward_s;
    recompute_flops = ctx.shape.layers * c.attention_core_flops * l.tp * l.cp *
                      (static_cast<double>(ctx.global_batch) / l.micro_batch);
  }
  const double tp_link =
      layers * (c.tp_forward_s + c.tp_backward_s) + recompute_tp;
  double tp = tp_link;
  double tp_exposed = tp_link;  // of the collectives themselves
  if (o.tp_overlap && l.sequence_parallel && l.tp <= cl.gpus_per_node) {
    // Collectives split into chunks and pipelined with the GEMMs that consume
    // or produce them (Megatron-LM --tp-comm-overlap, Transformer Engine
    // userbuffers); what the GEMMs cannot cover stays exposed, at least the
    // last chunk of each pipelined reduce-scatter. The split GEMMs cost more
    // than whole ones.
    const double ov = cl.overlap_efficiency;
    const double forward =
        std::max(c.tp_overlap_tail_s, c.tp_forward_s - ov * c.dense_forward_s);
    const double backward =
        std::max(0.0, c.tp_backward_s - ov * c.dense_backward_s);
    const bool again = recompute_tp > 0;
    tp_exposed = layers * (forward + backward + (again ? forward : 0.0));
    const double passes = again ? 2.0 : 1.0;
    tp = tp_exposed +
         dense * (c.tp_overlap_forward_split_s * passes +
                  c.tp_overlap_backward_split_s) +
         moe * (c.tp_overlap_moe_forward_split_s * passes +
                c.tp_overlap_moe_backward_split_s);
  }
  const double cp = layers * (c.cp_forward_s + c.cp_backward_s);
  const double ep = moe * (c.ep_forward_s + c.ep_backward_s);
  const double per_mb = fwd + bwd + recompute + tp + cp + ep;

  out.forward_s = m * fwd;
  out.backward_s = m * bwd;
  out.recompute_s = m * recompute;
  out.tp_comm_s = m * tp;
  out.cp_comm_s = m * cp;
  out.ep_comm_s = m * ep;
  out.bubble_s = BubbleFraction(p, v, m) * m * per_mb;
  if (l.pp > 1) {
    // DeepSpeed's pipeline engine sends the whole activation from every TP
    // rank; Megatron scatters it over TP and gathers on arrival (Narayanan
    // Sec. 4.1).
    const double whole = ctx.stack == STACK_DEEPSPEED ? l.tp : 1.0;
    const double send =
        SendRecvTime(cl, groups.pp.stride, c.pp_message_bytes * whole);
    // Each micro-batch crosses each of a rank's v chunk boundaries forward and
    // backward; the warm-up and drain add p - 1 more on the critical path.
    out.pp_comm_s = 2.0 * (m * v + p - 1) * send;
  }

  // Data parallelism: gradients reduced over DP x CP (experts over DP x CP /
  // EP).
  const StageParams& sp = load.params;
  const int64_t dp_group = l.dp * l.cp;
  double dp_time = 0;
  double bucket_time = 0;
  double zero3_first = 0;  // the first layer's gather, never hidden
  if (dp_group > 1) {
    const GroupShape dp = groups.dp_cp;
    const double gb = ctx.grad_bytes_per_param;
    const double bucket_params =
        GradientBucketParams(ctx.stack, l.dp, sp.layer_max, o.dp_overlap);
    const GradientBuckets dense = SplitIntoBuckets(sp.dense, bucket_params);
    // ZeRO 0: all-reduce; ZeRO 1-2: reduce-scatter + all-gather of the same
    // volume; ZeRO-3: reduce-scatter only here, the gathers come below (ZeRO
    // Sec. 7). Times are planner/comm's.
    const auto reduce = [&](GroupShape g, double bytes) {
      if (l.zero_stage == 0) return AllReduceTime(cl, g, bytes);
      const double rs = ReduceScatterTime(cl, g, bytes);
      return l.zero_stage == 3 ? rs : rs + AllGatherTime(cl, g, bytes);
    };
    // One collective per bucket (gradient_buckets.h), each paying latency;
    // `full` is one full bucket's time.
    const auto reduce_buckets = [&](GroupShape g, const GradientBuckets& b,
                                    double full) {
      const double last = b.last_params > 0 ? reduce(g, b.last_params * gb) : 0;
      return b.full * full + last;
    };
    // ZeRO-2/3 keep only their gradient shard, so every micro-batch's backward
    // reduce-scatters its gradients (DeepSpeed stage_1_and_2.py, stage3.py);
    // ZeRO-0/1 accumulate locally and reduce once per step.
    const double reductions = l.zero_stage >= 2 ? m : 1.0;
    bucket_time = reduce(dp, dense.bucket_params * gb);
    dp_time = reductions * reduce_buckets(dp, dense, bucket_time);
    if (sp.expert > 0 && groups.expert_dp.size > 1) {
      const GradientBuckets expert = SplitIntoBuckets(sp.expert, bucket_params);
      const GroupShape g = groups.expert_dp;
      dp_time +=
          reductions *
          reduce_buckets(g, expert, reduce(g, expert.bucket_params * gb));
    }
    if (l.zero_stage == 3) {
      // Parameters gathered before each micro-batch's forward and backward.
      const double params = (sp.dense + sp.expert) * ctx.param_bytes;
      out.zero3_gather_s = 2.0 * m * AllGatherTime(cl, dp, params);
      zero3_first = AllGatherTime(cl, dp, sp.layer_max * ctx.param_bytes);
    }
  }
  out.dp_comm_s = dp_time;
  // The ZeRO-3 gathers and the gradient reduction share the DP group's links
  // and the compute that hides them: together they hide behind at most
  // overlap x (forward + backward). Gathers are prefetched one layer ahead, so
  // only the first is exposed when the budget suffices; gradient buckets
  // reduce while backward runs (the last micro-batch's for ZeRO-0/1, every
  // micro-batch's for ZeRO-2/3) and the last bucket is always exposed.
  const double ov = cl.overlap_efficiency;
  double budget = ov * (out.forward_s + out.backward_s);
  // TP collectives hidden by --tp_overlap (their kernels take SMs and HBM
  // from the GEMMs beside them: NeMo's userbuffers configs give the pipelined
  // and bulk overlaps 2-24 SMs).
  double hidden = m * (tp_link - tp_exposed);
  const double hidden_gathers =
      std::clamp(out.zero3_gather_s - zero3_first, 0.0, budget);
  out.zero3_exposed_s = out.zero3_gather_s - hidden_gathers;
  budget -= hidden_gathers;
  double hidden_dp = 0;
  if (dp_group > 1 && o.dp_overlap) {
    // Megatron's --overlap-param-gather also hides the ZeRO-1/2 parameter
    // all-gather behind the next step's first forward.
    const bool param_gather =
        ctx.stack == STACK_MEGATRON && (l.zero_stage == 1 || l.zero_stage == 2);
    const double window =
        (l.zero_stage >= 2 ? m : 1.0) * bwd + (param_gather ? fwd : 0.0);
    hidden_dp =
        std::clamp(dp_time - bucket_time, 0.0, std::min(ov * window, budget));
  }
  out.dp_exposed_s = dp_time - hidden_dp;
  hidden += hidden_gathers + hidden_dp;
  // Compute running beside communication is slowed by its SM and HBM use.
  out.overlap_slowdown_s = cl.overlap_slowdown * hidden;

  // Optimizer step over the local (ZeRO-sharded) parameters, memory bound.
  const double shard = l.zero_stage >= 1 ? static_cast<double>(dp_group) : 1.0;
  const double local_params =
      sp.dense / shard +
      sp.expert / static_cast<double>(std::max<int64_t>(1, l.expert_dp()));
  const double hbm = cl.hbm_bandwidth_bytes_per_s * cl.hbm_efficiency;
  if (l.offload == OFFLOAD_NONE) {
    out.optimizer_s = local_params * ctx.optimizer_bytes_per_param / hbm;
  } else if (cl.host_bandwidth_bytes_per_s > 0) {
    // ZeRO-Offload: gradients to the host, updated weights back, over PCIe
    // (ZeRO-Offload Sec. 4).
    out.offload_s = local_params *
                    (ctx.grad_bytes_per_param + ctx.param_bytes) /
                    cl.host_bandwidth_bytes_per_s;
    // The optimizer step runs on the node's CPUs for all its GPUs' shards,
    // streaming the same bytes per parameter as on the GPU through host DRAM
    // (the cluster's streaming efficiency applied). ZeRO-Offload's step is not
    // overlapped with GPU compute (its one-step delayed update is optional).
    if (cl.host_memory_bandwidth_bytes_per_s > 0) {
      const double gpus_on_node =
          static_cast<double>(std::min<int64_t>(cl.gpus_per_node, l.gpus()));
      out.optimizer_s =
          local_params * gpus_on_node * ctx.optimizer_bytes_per_param /
          (cl.host_memory_bandwidth_bytes_per_s * cl.hbm_efficiency);
    }
    if (l.offload == OFFLOAD_PARAMS) {
      const double stream = 2.0 * m * (sp.dense + sp.expert) * ctx.param_bytes /
                            cl.host_bandwidth_bytes_per_s;
      out.offload_s +=
          std::max(0.0, stream - cl.overlap_efficiency *
                                     (out.forward_s + out.backward_s));
    }
  }
  out.step_time_s = out.forward_s + out.backward_s + out.recompute_s +
                    out.tp_comm_s + out.cp_comm_s + out.ep_comm_s +
                    out.bubble_s + out.pp_comm_s + out.dp_exposed_s +
                    out.zero3_exposed_s + out.optimizer_s + out.offload_s +
                    out.overlap_slowdown_s;
  out.hardware_flops = ctx.model_flops_per_step + recompute_flops;
  return out;
}

MicroBatchKey KeyOf(const ParallelLayout& l) {
  MicroBatchKey key;
  key.tp = l.tp;
  key.cp = l.cp;
  key.ep = l.ep;
  key.etp = l.expert_tp();
  key.micro_batch = l.micro_batch;
  key.sequence_parallel = l.sequence_parallel;
  key.flash_attention = l.flash_attention;
  return key;
}

StepTime EvaluateStepTime(const StepContext& ctx, const MicroBatchCosts& c,
                          const ParallelLayout& l, const ScheduleOptions& o) {
  return EvaluateStepTime(ctx, c, l, o, StageLoadOf(ctx.shape, l));
}

StepTime EvaluateStepTime(const StepContext& ctx, const ParallelLayout& l,
                          const ScheduleOptions& o) {
  return EvaluateStepTime(
      ctx, ComputeMicroBatchCosts(ctx.shape, ctx.cluster, KeyOf(l)), l, o);
}

TimeBreakdown ToTimeBreakdown(const StepContext& ctx, const StepTime& t,
                              const ParallelLayout& l) {
  TimeBreakdown b;
  b.set_forward_s(t.forward_s);
  b.set_backward_s(t.backward_s);
  b.set_recompute_s(t.recompute_s);
  b.set_tp_comm_s(t.tp_comm_s);
  b.set_cp_comm_s(t.cp_comm_s);
  b.set_ep_comm_s(t.ep_comm_s);
  b.set_pp_comm_s(t.pp_comm_s);
  b.set_bubble_s(t.bubble_s);
  b.set_dp_comm_s(t.dp_comm_s);
  b.set_dp_exposed_s(t.dp_exposed_s);
  b.set_zero3_gather_s(t.zero3_gather_s);
  b.set_zero3_exposed_s(t.zero3_exposed_s);
  b.set_optimizer_s(t.optimizer_s);
  b.set_offload_s(t.offload_s);
  b.set_overlap_slowdown_s(t.overlap_slowdown_s);
  b.set_step_time_s(t.step_time_s);
  const double tokens = static_cast<double>(ctx.global_batch) * ctx.shape.seq;
  b.set_tokens_per_s(tokens / t.step_time_s);
  b.set_model_flops(ctx.model_flops_per_step);
  b.set_hardware_flops(t.hardware_flops);
  const double capacity =
      t.step_time_s * static_cast<double>(l.gpus()) * ctx.cluster.peak_flops;
  b.set_mfu(ctx.model_flops_per_step / capacity);
  b.set_hfu(t.hardware_flops / capacity);
  return b;
}

}  // namespace memwall
