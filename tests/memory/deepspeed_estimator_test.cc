// DeepSpeed's documented t5-3b example (DeepSpeed
// docs/code-docs/source/memory.rst): P = 2851M, largest layer 32M, 1 node x 8
// GPUs, GiB.
#include "planner/memory/deepspeed_estimator.h"

#include "common/units.h"
#include "gtest/gtest.h"

namespace memwall {
namespace {

DeepSpeedInput T5() {
  DeepSpeedInput in;
  in.params = 2851e6;
  in.largest_layer = 32e6;
  in.nodes = 1;
  in.gpus_per_node = 8;
  return in;
}

TEST(DeepSpeedEstimator, Zero2) {
  const DeepSpeedEstimate offload = DeepSpeedZero2(T5(), true);
  EXPECT_NEAR(ToGiB(offload.cpu_bytes_per_node), 127.45, 0.005);
  EXPECT_NEAR(ToGiB(offload.gpu_bytes), 5.31, 0.005);
  const DeepSpeedEstimate none = DeepSpeedZero2(T5(), false);
  EXPECT_NEAR(ToGiB(none.cpu_bytes_per_node), 127.45, 0.005);
  // Current code (2P + 18P/N) [D]: 11.28; the docs print the pre-#5099 4P +
  // 16P/N: 15.93.
  EXPECT_NEAR(ToGiB(none.gpu_bytes), 11.28, 0.005);
  EXPECT_NEAR(ToGiB(DeepSpeedZero2(T5(), false, true).gpu_bytes), 15.93, 0.005);
}

TEST(DeepSpeedEstimator, Zero3) {
  struct Row {
    bool offload_params, offload_optimizer, zero_init;
    double cpu_gib, gpu_gib;
  } rows[] = {
      {true, true, true, 71.69, 0.12},  {true, true, false, 127.45, 0.12},
      {false, true, true, 63.72, 0.78}, {false, true, false, 127.45, 0.78},
      {false, false, true, 1.43, 6.09}, {false, false, false, 127.45, 6.09},
  };
  for (const Row& r : rows) {
    const DeepSpeedEstimate e = DeepSpeedZero3(
        T5(), r.offload_params, r.offload_optimizer, r.zero_init);
    EXPECT_NEAR(ToGiB(e.cpu_bytes_per_node), r.cpu_gib, 0.005)
        << r.offload_params << r.offload_optimizer << r.zero_init;
    EXPECT_NEAR(ToGiB(e.gpu_bytes), r.gpu_gib, 0.005)
        << r.offload_params << r.offload_optimizer << r.zero_init;
  }
}

}  // namespace
}  // namespace memwall
