// Bytes per parameter of weights, gradients and optimizer states per profile
// (see model_states.h and docs/memory.md for the source of each number).
#include "planner/memory/model_states.h"

namespace memwall {
namespace {

double DtypeBytes(Dtype dtype) {
  switch (dtype) {
    case FP32:
      return 4;
    case FP8:  // FP8 GEMMs, bf16 parameters (Transformer Engine keeps
               // high-precision weights)
    case BF16:
    case FP16:
    default:
      return 2;
  }
}

// Optimizer moments per parameter in fp32: Adam m and v, SGD momentum, plain
// SGD none.
double Moments(Optimizer optimizer) {
  switch (optimizer) {
    case ADAM:
      return 8;
    case SGD_MOMENTUM:
      return 4;
    default:
      return 0;
  }
}

}  // namespace

StateBytes BytesPerParam(Profile profile, Dtype dtype, Optimizer optimizer) {
  StateBytes b;
  const bool mixed = dtype != FP32;
  // fp32 master weights exist only in mixed precision.
  const double master = mixed ? 4 : 0;
  switch (profile) {
    case PROFILE_SEED:
      // Founding tables: fp32 weights, no gradient term, optimizer = moments
      // only.
      b.weights = 4;
      b.gradients = 0;
      b.optimizer = Moments(optimizer);
      break;
    case PROFILE_ZERO:
      // ZeRO §3.1: 16-bit weights and gradients, K = 12 (fp32 copy, m, v) for
      // Adam.
      b.weights = DtypeBytes(dtype);
      b.gradients = DtypeBytes(dtype);
      b.optimizer = master + Moments(optimizer);
      break;
    case PROFILE_DEEPSPEED:
      // DeepSpeed estimators: 18 = 2 fp16 grad + 4 fp32 grad + 4 fp32 param + 8
      // Adam, plus the 2-byte fp16 parameter.
      b.weights = DtypeBytes(dtype);
      b.gradients = mixed ? DtypeBytes(dtype) + 4 : 4;
      b.optimizer = master + Moments(optimizer);
      break;
    case PROFILE_MEGATRON:
    case PROFILE_MEMWALL:
    default:
      // Megatron dist_optimizer.md: bf16 param + fp32 main grad (6) + fp32
      // master, m, v (12) = 18; fp16: param + fp16 grad (4), master + fp32 grad
      // copy + m + v (16) = 20; fp32: param + grad (8), m + v (8) = 16.
      b.weights = DtypeBytes(dtype);
      if (dtype == FP16) {
        b.gradients = 2;
        b.optimizer = 4 + 4 + Moments(optimizer);
      } else {
        b.gradients = 4;
        b.optimizer = master + Moments(optimizer);
      }
      break;
  }
  return b;
}

StateBytes BytesPerParam(const ModelStateOptions& o) {
  StateBytes b = BytesPerParam(o.profile, o.dtype, o.optimizer);
  const bool sixteen_bit = o.dtype == BF16 || o.dtype == FP8;
  if (o.profile != PROFILE_MEMWALL || !sixteen_bit) return b;
  if (o.main_grad_dtype == BF16) b.gradients = 2;
  if (o.mixed_precision == MIXED_PRECISION_PARAM_REMAINDERS) {
    // apex DistributedFusedAdam (store_param_remainders): an int16 shard of
    // the fp32 master's low bits, fp32 moments.
    b.optimizer = 2 + Moments(o.optimizer);
  }
  return b;
}

ShardedStateBytes ShardedBytesPerParam(const ModelStateOptions& o,
                                       int64_t shard_degree) {
  const StateBytes b = BytesPerParam(o);
  const double n = static_cast<double>(shard_degree < 1 ? 1 : shard_degree);
  const int stage =
      o.zero_stage < 1 && o.distributed_optimizer ? 1 : o.zero_stage;
  ShardedStateBytes s;
  s.weights = stage >= 3 ? b.weights / n : b.weights;
  s.gradients = stage >= 2 ? b.gradients / n : b.gradients;
  s.optimizer = stage >= 1 ? b.optimizer / n : b.optimizer;
  if (o.profile == PROFILE_DEEPSPEED && stage == 3 && o.dtype != FP32) {
    // stage3.py counts 18 bytes per parameter over N: only the fp32 gradient
    // partition is kept (the fp16 gradients are reduce-scattered as they are
    // produced).
    s.gradients = 4 / n;
  }
  if (o.offload == OFFLOAD_OPTIMIZER || o.offload == OFFLOAD_PARAMS) {
    // ZeRO-Offload: fp32 master, moments and the fp32 gradient copy live in
    // host memory; the device keeps the 16-bit gradients (the DeepSpeed
    // estimators count none on the device).
    const bool none_on_device =
        o.dtype == FP32 || o.profile == PROFILE_DEEPSPEED;
    const double device_grad = none_on_device ? 0 : 2 / (stage >= 2 ? n : 1);
    s.host = s.optimizer + (s.gradients - device_grad);
    s.optimizer = 0;
    s.gradients = device_grad;
  }
  if (o.offload == OFFLOAD_PARAMS) {
    // ZeRO-Infinity: the (sharded) parameters too.
    s.host += s.weights;
    s.weights = 0;
  }
  return s;
}

}  // namespace memwall
