// Gradient buckets: each training stack reduces data-parallel gradients as
// one collective per bucket of parameters, so the step's reduction is
// `full` collectives of `bucket_params` plus one of the remainder, each paying
// the collective's latency. Bucket sizes are the stacks' defaults
// (docs/timing.md, "Gradient buckets"): Megatron-LM core
// DistributedDataParallel max(40M, 1M x DP) parameters with
// --overlap-grad-reduce and one bucket without it; DeepSpeed ZeRO
// reduce_bucket_size 5e8 elements; PyTorch FSDP one reduce-scatter per wrapped
// unit (a transformer layer).
#ifndef MEMWALL_PLANNER_TIMING_GRADIENT_BUCKETS_H_
#define MEMWALL_PLANNER_TIMING_GRADIENT_BUCKETS_H_

#include <cstdint>

#include "proto/training.pb.h"

namespace memwall {

// Megatron-LM core's default bucket: max(40M, 1M x data-parallel size)
// parameters (DistributedDataParallelConfig.bucket_size).
inline constexpr double kMegatronBucketParams = 40e6;
inline constexpr double kMegatronBucketParamsPerDpRank = 1e6;
// DeepSpeed ZeRO's reduce_bucket_size default, in elements.
inline constexpr double kDeepSpeedBucketParams = 5e8;

// Parameters per bucket for `stack`; `dp` is the data-parallel size (without
// CP, as Megatron's default reads it), `layer_params` one layer's parameters
// on the stage (FSDP's unit), `overlap` whether the reduction overlaps
// backward (Megatron buckets only then).
double GradientBucketParams(Stack stack, int64_t dp, double layer_params,
                            bool overlap);

struct GradientBuckets {
  double full = 0;  // buckets of bucket_params parameters
  double bucket_params = 0;
  double last_params = 0;  // the remainder's bucket; 0 when none
  double calls() const { return full + (last_params > 0 ? 1 : 0); }
};

// `params` split into buckets of at most `bucket_params`; every bucket but
// the last is full. params <= 0 gives no bucket.
GradientBuckets SplitIntoBuckets(double params, double bucket_params);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_TIMING_GRADIENT_BUCKETS_H_
