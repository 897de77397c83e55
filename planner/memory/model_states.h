// Bytes per parameter of the model states (weights, gradients, optimizer
// states) under an accounting profile: the one place these rules live, shared
// by transformers and layer graphs. Sources: ZeRO paper §3.1/§5 (16-byte
// family), Megatron-LM dist_optimizer.md (18 or 6 + 12/d), DeepSpeed estimators
// (stage_1_and_2.py, stage3.py), the founding tables (fp32, no gradient term).
// See docs/memory.md.
#ifndef MEMWALL_PLANNER_MEMORY_MODEL_STATES_H_
#define MEMWALL_PLANNER_MEMORY_MODEL_STATES_H_

#include <cstdint>

#include "proto/training.pb.h"

namespace memwall {

// Unsharded bytes per parameter of each state.
struct StateBytes {
  double weights = 0;    // the working copy used by forward/backward
  double gradients = 0;  // gradient buffers kept across the step
  double optimizer = 0;  // master weights and optimizer moments
};

// Bytes per parameter for one rank after sharding by ZeRO / the distributed
// optimizer.
struct ShardedStateBytes {
  double weights = 0;
  double gradients = 0;
  double optimizer = 0;
  // Host (CPU) bytes per parameter per rank when states are offloaded.
  double host = 0;
  double device_total() const { return weights + gradients + optimizer; }
};

struct ModelStateOptions {
  Profile profile = PROFILE_MEMWALL;
  Dtype dtype = BF16;
  Optimizer optimizer = ADAM;
  int zero_stage = 0;
  bool distributed_optimizer =
      false;  // Megatron: shards the optimizer states like ZeRO-1
  Offload offload = OFFLOAD_NONE;
  // The memwall profile's 16-bit state layouts (ignored by the other
  // profiles and by fp32/fp16 training): parameter remainders instead of an
  // fp32 master copy, and the gradient buffer's dtype (unset: fp32).
  MixedPrecision mixed_precision = MIXED_PRECISION_UNSPECIFIED;
  Dtype main_grad_dtype = DTYPE_UNSPECIFIED;
};

// Unsharded bytes per parameter for a profile, dtype and optimizer.
StateBytes BytesPerParam(Profile profile, Dtype dtype, Optimizer optimizer);

// Unsharded bytes per parameter for the options: BytesPerParam, then the
// memwall profile's 16-bit layouts (MIXED_PRECISION_PARAM_REMAINDERS keeps
// 2 B of the master instead of 4; main_grad_dtype=BF16 a 2-byte gradient
// buffer instead of fp32 main grads).
StateBytes BytesPerParam(const ModelStateOptions& options);

// How 16-bit training keeps its states, resolved: an unset mixed_precision is
// the stack's (PyTorch FSDP's MixedPrecision for the fsdp stack, Megatron's
// master weights otherwise).
inline MixedPrecision ResolvedMixedPrecision(MixedPrecision mixed_precision,
                                             Stack stack) {
  if (mixed_precision != MIXED_PRECISION_UNSPECIFIED) return mixed_precision;
  return stack == STACK_FSDP ? MIXED_PRECISION_FSDP
                             : MIXED_PRECISION_MASTER_WEIGHTS;
}

// The dtype model states are priced at: torch.autocast and PyTorch FSDP keep
// fp32 weights (the master copy) and fp32 gradients, so their states are fp32
// training's (4 + 4 + 8 with Adam).
inline Dtype StatesDtype(Dtype dtype, MixedPrecision mixed_precision,
                         Stack stack) {
  const MixedPrecision m = ResolvedMixedPrecision(mixed_precision, stack);
  return m == MIXED_PRECISION_AUTOCAST || m == MIXED_PRECISION_FSDP ? FP32
                                                                    : dtype;
}

// Per-rank bytes per parameter when `shard_degree` ranks (the ZeRO /
// distributed-optimizer data-parallel group) share the states: ZeRO-1 shards
// the optimizer, ZeRO-2 also the gradients, ZeRO-3 also the weights; offload
// moves optimizer (and weights) to host.
ShardedStateBytes ShardedBytesPerParam(const ModelStateOptions& options,
                                       int64_t shard_degree);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MEMORY_MODEL_STATES_H_
