// DeepSpeed's estimators as coded (see deepspeed_estimator.h).
#include "planner/memory/deepspeed_estimator.h"

#include <algorithm>
#include <cmath>

namespace memwall {

DeepSpeedEstimate DeepSpeedZero2(const DeepSpeedInput& in, bool cpu_offload,
                                 bool pre_pr5099) {
  const double p = in.params;
  const double n = static_cast<double>(in.nodes * in.gpus_per_node);
  const double n_g = static_cast<double>(in.gpus_per_node);
  DeepSpeedEstimate e;
  if (cpu_offload) {
    e.gpu_bytes = 2 * p;
    e.cpu_bytes_per_node = p * std::max(4 * n, 16.0) * in.buffer_factor;
  } else {
    e.gpu_bytes = pre_pr5099 ? 4 * p + std::floor(16 * p / n)
                             : 2 * p + std::floor(18 * p / n);
    e.cpu_bytes_per_node = p * 4 * n_g * in.buffer_factor;
  }
  return e;
}

DeepSpeedEstimate DeepSpeedZero3(const DeepSpeedInput& in, bool offload_params,
                                 bool offload_optimizer, bool zero_init) {
  const double p = in.params;
  const double nodes = static_cast<double>(in.nodes);
  const double n = static_cast<double>(in.nodes * in.gpus_per_node);
  const double n_g = static_cast<double>(in.gpus_per_node);
  const double f = in.buffer_factor;
  DeepSpeedEstimate e;
  e.largest_layer_bytes = 4 * in.largest_layer;
  if (offload_params) {
    e.gpu_bytes = e.largest_layer_bytes;
    e.cpu_bytes_per_node =
        zero_init ? p * 18 * f / nodes : p * std::max(4 * n_g, 18 / nodes) * f;
  } else if (offload_optimizer) {
    e.gpu_bytes = e.largest_layer_bytes + std::floor(2 * p / n);
    e.cpu_bytes_per_node =
        zero_init ? p * 16 * f / nodes : p * std::max(4 * n_g, 16 / nodes) * f;
  } else {
    e.gpu_bytes = e.largest_layer_bytes + std::floor(18 * p / n);
    e.cpu_bytes_per_node =
        zero_init ? in.largest_layer * 4 * n_g * f : p * 4 * n_g * f;
  }
  return e;
}

}  // namespace memwall
