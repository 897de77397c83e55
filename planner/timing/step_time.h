// Step time of a layout: the pipeline schedule (1F1B or interleaved) over the
// per-layer micro-batch costs, plus the bubble, pipeline send/recv,
// data-parallel gradient reduction overlapped with backward, ZeRO-3 parameter
// gathers, the optimizer step and offload transfers; then tokens/s, MFU, HFU
// and days to train. Sources: Narayanan 2021 Sec. 2.2 (bubble (p-1)/(v m)),
// ZeRO Sec. 7 (communication volumes), Korthikanti 2022 App. A (MFU/HFU);
// details in docs/timing.md.
#ifndef MEMWALL_PLANNER_TIMING_STEP_TIME_H_
#define MEMWALL_PLANNER_TIMING_STEP_TIME_H_

#include "absl/status/statusor.h"
#include "planner/layout/layout_groups.h"
#include "planner/layout/parallel_layout.h"
#include "planner/timing/cluster_params.h"
#include "planner/timing/micro_batch_costs.h"
#include "planner/timing/transformer_shape.h"
#include "proto/plan.pb.h"
#include "proto/training.pb.h"

namespace memwall {

// Everything layout-independent, computed once.
struct StepContext {
  TransformerShape shape;
  ClusterParams cluster;
  int64_t global_batch = 0;
  double grad_bytes_per_param =
      2;                   // gradients are reduced in the training dtype
  double param_bytes = 2;  // working copy of the weights
  // Bytes the optimizer step reads and writes per local parameter (Adam: fp32
  // master, two moments read and written, gradient read, 16-bit weight
  // written).
  double optimizer_bytes_per_param = 30;
  // Training dtype and optimizer (planner/memory's state rules read them).
  Dtype dtype = BF16;
  MixedPrecision mixed_precision = MIXED_PRECISION_UNSPECIFIED;
  Dtype main_grad_dtype = DTYPE_UNSPECIFIED;  // the gradient buffer's (memory)
  Optimizer optimizer = ADAM;
  // The training framework (TrainingSpec.stack; docs/timing.md "Training
  // stacks").
  Stack stack = STACK_MEGATRON;
  double model_flops_per_step = 0;
  double train_tokens = 0;
};

absl::StatusOr<StepContext> MakeStepContext(const TransformerShape& shape,
                                            const ClusterParams& cluster,
                                            const TrainingSpec& training);

// Seconds of one step, by mechanism; exposed parts add up to step_time_s.
struct StepTime {
  double forward_s = 0;
  double backward_s = 0;
  double recompute_s = 0;
  double tp_comm_s = 0;
  double cp_comm_s = 0;
  double ep_comm_s = 0;
  double pp_comm_s = 0;
  double bubble_s = 0;
  double dp_comm_s = 0;
  double dp_exposed_s = 0;
  double zero3_gather_s = 0;
  double zero3_exposed_s = 0;
  double optimizer_s = 0;
  double offload_s = 0;
  // Compute slowed by the communication hidden behind it.
  double overlap_slowdown_s = 0;
  double step_time_s = 0;
  double hardware_flops = 0;
};

// Pipeline bubble as a fraction of the ideal time: (p - 1) / (v m) (Narayanan
// Sec. 2.2).
inline double BubbleFraction(double p, double v, double m) {
  return (p - 1) / (v * m);
}

// Scheduling choices beyond the degrees: Megatron-LM's --tp-comm-overlap (needs
// sequence parallelism) and --overlap-grad-reduce, and the rank order (default
// TP, CP, EP, DP, PP from innermost; `pp_inside_dp` puts PP inside DP, so DP
// groups span more nodes).
// Parameters held by one rank of the most loaded stage (of the first, the last
// and the longest), dense and expert.
struct StageParams {
  double dense = 0;      // sharded over TP, replicated over DP x CP
  double expert = 0;     // sharded over TP and EP
  double layer_max = 0;  // one layer's share (ZeRO-3 gather granularity)
};
// Where a layout's layers and parameters sit, as the step time reads them
// (planner/model/stage_params.h on planner/layout/stage_split.h): the layers
// of the last and the longest stage (dense and MoE), and the most loaded
// stage's parameters. It depends on the degrees and the split only, so the
// search computes it once per layout and reuses it across schedules.
struct StageLoad {
  double last_dense = 0, last_moe = 0;
  double longest_dense = 0, longest_moe = 0;
  StageParams params;
  // planner/layout/layout_groups.h's groups in the default order and with PP
  // inside DP (ScheduleOptions::pp_inside_dp).
  LayoutGroups groups[2];
};
StageLoad StageLoadOf(const TransformerShape& shape,
                      const ParallelLayout& layout);

// The pipeline stage that paces a step (the last, with the output layer, or a
// longer one): its dense and MoE layers, and whether it runs the output layer
// (1) or not (0).
struct PacingLayers {
  double dense = 0;
  double moe = 0;
  double logits = 0;
};
PacingLayers PacingLayersOf(const MicroBatchCosts& costs,
                            const StageLoad& load);

// `costs` must be ComputeMicroBatchCosts for the layout's key; the layout must
// be valid for the context (degrees divide, global batch = dp * micro_batch *
// m).
StepTime EvaluateStepTime(const StepContext& ctx, const MicroBatchCosts& costs,
                          const ParallelLayout& layout,
                          const ScheduleOptions& options = {});

// Convenience: computes the micro-batch costs, then the step time.
StepTime EvaluateStepTime(const StepContext& ctx, const ParallelLayout& layout,
                          const ScheduleOptions& options = {});
StepTime EvaluateStepTime(const StepContext& ctx, const MicroBatchCosts& costs,
                          const ParallelLayout& layout,
                          const ScheduleOptions& options,
                          const StageLoad& load);
MicroBatchKey KeyOf(const ParallelLayout& layout);

StageParams MaxStageParams(const TransformerShape& shape,
                           const ParallelLayout& layout);

// The report message: breakdown, tokens/s, MFU, HFU.
TimeBreakdown ToTimeBreakdown(const StepContext& ctx, const StepTime& time,
                              const ParallelLayout& layout);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_TIMING_STEP_TIME_H_
