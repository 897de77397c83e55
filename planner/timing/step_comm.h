// The collectives of one training step, as a list: what the step-time model
// (step_time.h) prices, one entry per (class, collective, group, size, phase)
// with its calls per step and the time of one call. The plan report carries it
// so that `memwall-run replay` runs exactly the communication the planner
// priced, without the model. Counts are those of the pacing stage
// (PacingLayersOf) with m micro-batches: per layer two TP/SP collectives each
// way (Narayanan 2021 Sec. 2.3; Korthikanti 2022 Sec. 4.2.2), two EP
// all-to-alls each way per MoE layer, cp - 1 ring hops forward and 2(cp - 1)
// backward, 2(m v + p - 1) pipeline messages, the data-parallel reductions of
// ZeRO Sec. 7 one collective per gradient bucket (gradient_buckets.h) and the
// ZeRO-3 gathers (docs/timing.md, "The step's communication").
#ifndef MEMWALL_PLANNER_TIMING_STEP_COMM_H_
#define MEMWALL_PLANNER_TIMING_STEP_COMM_H_

#include <vector>

#include "planner/comm/collective.h"
#include "planner/comm/placement.h"
#include "planner/timing/step_time.h"
#include "proto/plan.pb.h"

namespace memwall {

struct StepCommOpValue {
  const char* comm_class = "";  // tp, cp, ep, pp, dp, zero3
  Collective op = Collective::kAllReduce;
  // The LayoutGroups member that runs it (planner/layout/layout_groups.h): tp,
  // cp, ep, pp, dp_cp, expert_dp.
  const char* group = "";
  GroupShape shape;
  double bytes = 0;
  double calls_per_step = 0;
  const char* phase = "";  // forward, recompute, backward, step
  double time_s = 0;       // one call
};

// `costs` must be ComputeMicroBatchCosts for the layout's key; the layout must
// be valid for the context. Link time: the sum over a class of calls x time
// is the breakdown's tp_comm_s (without --tp_overlap), ep_comm_s, pp_comm_s,
// dp_comm_s and zero3_gather_s; cp is the ring's full time, of which the
// breakdown counts the part attention does not hide.
std::vector<StepCommOpValue> StepCommOps(const StepContext& ctx,
                                         const MicroBatchCosts& costs,
                                         const ParallelLayout& layout,
                                         const ScheduleOptions& options);

// Micro-batches per step: global batch / (dp x micro-batch).
double MicroBatches(const StepContext& ctx, const ParallelLayout& layout);

StepCommOp ToProto(const StepCommOpValue& op);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_TIMING_STEP_COMM_H_
