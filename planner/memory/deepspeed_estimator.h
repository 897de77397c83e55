// DeepSpeed's model-state estimators, exactly as coded (bytes; DeepSpeed prints
// GiB): `estimate_zero2_model_states_mem_needs`
// (deepspeed/runtime/zero/stage_1_and_2.py) and
// `estimate_zero3_model_states_mem_needs` (deepspeed/runtime/zero/stage3.py),
// with the additional_buffer_factor 1.5 and int() truncation. They exclude
// activations.
#ifndef MEMWALL_PLANNER_MEMORY_DEEPSPEED_ESTIMATOR_H_
#define MEMWALL_PLANNER_MEMORY_DEEPSPEED_ESTIMATOR_H_

#include <cstdint>

namespace memwall {

struct DeepSpeedEstimate {
  double gpu_bytes = 0;           // per GPU
  double cpu_bytes_per_node = 0;  // host memory per node
  double largest_layer_bytes =
      0;  // ZeRO-3: 4 x largest layer (gathered fp16 params + grads)
};

struct DeepSpeedInput {
  double params = 0;         // total parameters (shared tensors once)
  double largest_layer = 0;  // largest module's own parameters
  int64_t nodes = 1;
  int64_t gpus_per_node = 1;
  double buffer_factor = 1.5;  // additional_buffer_factor
};

// ZeRO-2. `pre_pr5099` selects the formula before DeepSpeed PR #5099 (2024-06),
// which the docs still print: GPU 4P + int(16P/N) instead of 2P + int(18P/N).
DeepSpeedEstimate DeepSpeedZero2(const DeepSpeedInput& in, bool cpu_offload,
                                 bool pre_pr5099 = false);

// ZeRO-3 with parameters and/or optimizer offloaded, and zero.Init or not.
DeepSpeedEstimate DeepSpeedZero3(const DeepSpeedInput& in, bool offload_params,
                                 bool offload_optimizer, bool zero_init);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MEMORY_DEEPSPEED_ESTIMATOR_H_
