#include "planner/search/state_bound.h"

#include <algorithm>

namespace memwall {
namespace {

// Dense parameters are sharded by ZeRO over DP x CP; expert parameters over
// the expert-data-parallel ranks, DP x TP x CP / (EP x ETP).
struct StageStateBytes {
  ShardedStateBytes dense, expert;
  StageParams params;
};

StageStateBytes StageStates(const StepContext& ctx, const ParallelLayout& l) {
  const double shards = static_cast<double>(l.dp * l.cp);
  return StageStateBytes{
      StateBytesPerParam(ctx, l.zero_stage, l.offload, shards),
      StateBytesPerParam(
          ctx, l.zero_stage, l.offload,
          static_cast<double>(std::max<int64_t>(1, l.expert_dp()))),
      MaxStageParams(ctx.shape, l)};
}

}  // namespace

ShardedStateBytes StateBytesPerParam(const StepContext& ctx, int zero_stage,
                                     Offload offload, double shards) {
  ModelStateOptions o;
  o.profile = PROFILE_MEMWALL;
  o.dtype = StatesDtype(ctx.dtype, ctx.mixed_precision, ctx.stack);
  o.optimizer = ctx.optimizer;
  o.zero_stage = zero_stage;
  o.offload = offload;
  o.mixed_precision = ctx.mixed_precision;
  o.main_grad_dtype = ctx.main_grad_dtype;
  return ShardedBytesPerParam(o, static_cast<int64_t>(shards));
}

double ModelStatesBytes(const StepContext& ctx, const ParallelLayout& l) {
  const StageStateBytes s = StageStates(ctx, l);
  return s.params.dense *
             (s.dense.weights + s.dense.gradients + s.dense.optimizer) +
         s.params.expert *
             (s.expert.weights + s.expert.gradients + s.expert.optimizer);
}

double HostStateBytes(const StepContext& ctx, const ParallelLayout& l) {
  const StageStateBytes s = StageStates(ctx, l);
  return s.params.dense * s.dense.host + s.params.expert * s.expert.host;
}

}  // namespace memwall
