#include "planner/timing/step_comm.h"

#include <algorithm>

#include "planner/layout/layout_groups.h"
#include "planner/timing/collective_time.h"
#include "planner/timing/gradient_buckets.h"

namespace memwall {

double MicroBatches(const StepContext& ctx, const ParallelLayout& l) {
  return static_cast<double>(ctx.global_batch) / (l.dp * l.micro_batch);
}

std::vector<StepCommOpValue> StepCommOps(const StepContext& ctx,
                                         const MicroBatchCosts& c,
                                         const ParallelLayout& l,
                                         const ScheduleOptions& o) {
  const ClusterParams& cl = ctx.cluster;
  const double m = MicroBatches(ctx, l);
  const StageLoad load = StageLoadOf(ctx.shape, l);
  const PacingLayers pace = PacingLayersOf(c, load);
  const double layers = pace.dense + pace.moe;
  const LayoutGroups& groups = load.groups[o.pp_inside_dp ? 1 : 0];
  std::vector<StepCommOpValue> ops;
  const auto add = [&](const char* cls, Collective op, const char* group,
                       GroupShape shape, double bytes, double calls,
                       const char* phase) {
    if (calls <= 0) return;
    ops.push_back(StepCommOpValue{cls, op, group, shape, bytes, calls, phase,
                                  CommTime(cl, op, shape, bytes)});
  };

  if (l.tp > 1) {
    const GroupShape tp = groups.tp;
    const double per_pass = 2 * layers * m;
    const bool full = l.recompute == RECOMPUTE_FULL;
    const std::vector<Collective> ops_of_pass =
        l.sequence_parallel
            ? std::vector<Collective>{Collective::kAllGather,
                                      Collective::kReduceScatter}
            : std::vector<Collective>{Collective::kAllReduce};
    for (const Collective op : ops_of_pass) {
      add("tp", op, "tp", tp, c.tp_message_bytes, per_pass, "forward");
      if (full)
        add("tp", op, "tp", tp, c.tp_message_bytes, per_pass, "recompute");
      add("tp", op, "tp", tp, c.tp_message_bytes, per_pass, "backward");
    }
  }
  if (l.cp > 1) {
    const GroupShape hop{2, c.cp_hop_stride};
    const double steps = static_cast<double>(l.cp - 1) * layers * m;
    add("cp", Collective::kSendRecv, "cp", hop, c.cp_chunk_bytes, steps,
        "forward");
    add("cp", Collective::kSendRecv, "cp", hop, c.cp_chunk_bytes, 2 * steps,
        "backward");
  }
  if (l.ep > 1 && c.ep_message_bytes > 0) {
    const GroupShape ep = groups.ep;
    add("ep", Collective::kAllToAll, "ep", ep, c.ep_message_bytes,
        2 * pace.moe * m, "forward");
    add("ep", Collective::kAllToAll, "ep", ep, c.ep_message_bytes,
        2 * pace.moe * m, "backward");
  }
  if (l.pp > 1) {
    const int64_t stride = groups.pp.stride;
    const double sends = m * static_cast<double>(l.vpp) + l.pp - 1;
    add("pp", Collective::kSendRecv, "pp", GroupShape{2, stride},
        c.pp_message_bytes, sends, "forward");
    add("pp", Collective::kSendRecv, "pp", GroupShape{2, stride},
        c.pp_message_bytes, sends, "backward");
  }

  const int64_t dp_group = l.dp * l.cp;
  if (dp_group > 1) {
    const StageParams& sp = load.params;
    const GroupShape dp = groups.dp_cp;
    // ZeRO-2/3 reduce every micro-batch's gradients during its backward;
    // ZeRO-0/1 once, after the last.
    const double reductions = l.zero_stage >= 2 ? m : 1.0;
    const char* phase = l.zero_stage >= 2 ? "backward" : "step";
    // One collective per gradient bucket (gradient_buckets.h): the full
    // buckets as one entry, the remainder's as another; reduce-scatters (or
    // all-reduces) first, then the all-gathers of the updated parameters.
    const double bucket_params =
        GradientBucketParams(ctx.stack, l.dp, sp.layer_max, o.dp_overlap);
    const double gb = ctx.grad_bytes_per_param;
    const auto reduce = [&](const char* group, GroupShape g, double params) {
      const GradientBuckets b = SplitIntoBuckets(params, bucket_params);
      const double last_calls = b.last_params > 0 ? reductions : 0;
      const Collective first = l.zero_stage == 0 ? Collective::kAllReduce
                                                 : Collective::kReduceScatter;
      add("dp", first, group, g, b.bucket_params * gb, reductions * b.full,
          phase);
      add("dp", first, group, g, b.last_params * gb, last_calls, phase);
      if (l.zero_stage == 1 || l.zero_stage == 2) {
        add("dp", Collective::kAllGather, group, g, b.bucket_params * gb,
            reductions * b.full, phase);
        add("dp", Collective::kAllGather, group, g, b.last_params * gb,
            last_calls, phase);
      }
    };
    reduce("dp_cp", dp, sp.dense);
    if (sp.expert > 0 && groups.expert_dp.size > 1) {
      reduce("expert_dp", groups.expert_dp, sp.expert);
    }
    if (l.zero_stage == 3) {
      const double params = (sp.dense + sp.expert) * ctx.param_bytes;
      add("zero3", Collective::kAllGather, "dp_cp", dp, params, m, "forward");
      add("zero3", Collective::kAllGather, "dp_cp", dp, params, m, "backward");
    }
  }
  return ops;
}

StepCommOp ToProto(const StepCommOpValue& v) {
  StepCommOp p;
  p.set_comm_class(v.comm_class);
  p.set_op(CollectiveName(v.op));
  p.set_group(v.group);
  p.set_group_size(v.shape.size);
  p.set_group_stride(v.shape.stride);
  p.set_bytes(v.bytes);
  p.set_calls_per_step(v.calls_per_step);
  p.set_phase(v.phase);
  p.set_time_s(v.time_s);
  p.set_step_time_s(v.calls_per_step * v.time_s);
  return p;
}

}  // namespace memwall
