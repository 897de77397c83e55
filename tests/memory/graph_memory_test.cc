// Layer-graph memory: the seed profile reproduces the founding table's
// ResNet-152 row, ZeRO shards the states over DP, pipeline stages partition the
// layers, and tensor parallelism is refused.
#include "planner/memory/graph_memory.h"

#include <string>

#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/memory/graph_split.h"
#include "planner/model/zoo.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::StatusIs;
using ::testing::HasSubstr;

TrainingSpec Fp32(Optimizer opt, int64_t global_batch) {
  TrainingSpec t;
  t.set_dtype(FP32);
  t.set_optimizer(opt);
  t.set_global_batch(global_batch);
  return t;
}

// "AI and Memory Wall" memory table, ResNet152 at batch 32: 0.22 / 0.22 / 5.14
// / 5.58 GiB. Parameters 60,192,808 (torchvision); params = 4 B x N, optimizer
// = 4 B x N (SGD momentum).
TEST(GraphMemory, SeedProfileResNet152) {
  MEMWALL_ASSERT_OK_AND_ASSIGN(ModelSpec m, LoadModel("resnet152-v1"));
  ParallelLayout l;
  l.micro_batch = 32;
  MEMWALL_ASSERT_OK_AND_ASSIGN(
      MemoryReport r,
      BuildGraphMemoryReport(m, Fp32(SGD_MOMENTUM, 32), PROFILE_SEED, l,
                             nullptr, StageBalance::kCompute));
  ASSERT_EQ(r.stages_size(), 1);
  const StageMemory& s = r.stages(0);
  EXPECT_EQ(s.weights_bytes(), 4 * 60192808LL);
  EXPECT_EQ(s.optimizer_bytes(), 4 * 60192808LL);
  EXPECT_EQ(s.gradients_bytes(), 0);
  EXPECT_NEAR(s.activations_bytes() / double(1 << 30), 5.14, 0.01);
  // The seed's 5.58 adds its rounded cells (0.22 + 0.22 + 5.14); unrounded
  // 0.224 + 0.224 + 5.144 = 5.593.
  EXPECT_NEAR(s.total_bytes() / double(1 << 30), 5.593, 0.002);
}

// ZeRO-1 over dp = 4 divides the Adam states (8 B/param under the seed profile)
// by 4; ZeRO-3 also the weights.
TEST(GraphMemory, ZeroShardsStatesOverDp) {
  MEMWALL_ASSERT_OK_AND_ASSIGN(ModelSpec m, LoadModel("vgg19"));
  ParallelLayout l;
  l.dp = 4;
  l.micro_batch = 8;
  l.zero_stage = 1;
  MEMWALL_ASSERT_OK_AND_ASSIGN(
      MemoryReport z1,
      BuildGraphMemoryReport(m, Fp32(ADAM, 32), PROFILE_SEED, l, nullptr,
                             StageBalance::kCompute));
  EXPECT_EQ(z1.stages(0).optimizer_bytes(), 8 * 143667240LL / 4);
  EXPECT_EQ(z1.stages(0).weights_bytes(), 4 * 143667240LL);
  l.zero_stage = 3;
  MEMWALL_ASSERT_OK_AND_ASSIGN(
      MemoryReport z3,
      BuildGraphMemoryReport(m, Fp32(ADAM, 32), PROFILE_SEED, l, nullptr,
                             StageBalance::kCompute));
  EXPECT_EQ(z3.stages(0).weights_bytes(), 4 * 143667240LL / 4);
}

TEST(GraphMemory, PipelineStagesPartitionTheModel) {
  MEMWALL_ASSERT_OK_AND_ASSIGN(ModelSpec m, LoadModel("densenet201"));
  ParallelLayout l;
  l.pp = 4;
  l.micro_batch = 4;
  for (StageBalance b : {StageBalance::kCompute, StageBalance::kMemory}) {
    MEMWALL_ASSERT_OK_AND_ASSIGN(
        MemoryReport r, BuildGraphMemoryReport(m, Fp32(SGD_MOMENTUM, 64),
                                               PROFILE_SEED, l, nullptr, b));
    ASSERT_EQ(r.stages_size(), 4);
    int64_t params = 0, layers = 0;
    for (const StageMemory& s : r.stages()) {
      EXPECT_GT(s.num_layers(), 0);
      params += s.params();
      layers += s.num_layers();
    }
    EXPECT_EQ(params, 20013928);
    EXPECT_EQ(layers, m.graph().layers_size());
    // 1F1B: stage s holds pp - s micro-batches (16 per step here).
    EXPECT_EQ(r.stages(0).in_flight_micro_batches(), 4);
    EXPECT_EQ(r.stages(3).in_flight_micro_batches(), 1);
  }
}

TEST(GraphMemory, TensorParallelismRefused) {
  MEMWALL_ASSERT_OK_AND_ASSIGN(ModelSpec m, LoadModel("resnet152"));
  ParallelLayout l;
  l.tp = 2;
  EXPECT_THAT(BuildGraphMemoryReport(m, Fp32(ADAM, 1), PROFILE_MEMWALL, l,
                                     nullptr, StageBalance::kCompute),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--tp=2 is not available for a layer-graph")));
}

// Host-resident tables leave device memory: Baidu RecSys-E keeps
// its 2.5e12-parameter table (10 TB fp32) on the host.
TEST(GraphMemory, HostResidentTable) {
  MEMWALL_ASSERT_OK_AND_ASSIGN(ModelSpec m, LoadModel("baidu-recsys-e"));
  ParallelLayout l;
  MEMWALL_ASSERT_OK_AND_ASSIGN(
      MemoryReport r, BuildGraphMemoryReport(m, Fp32(ADAM, 1), PROFILE_SEED, l,
                                             nullptr, StageBalance::kCompute));
  EXPECT_LT(r.stages(0).weights_bytes(), 1LL << 30);
  EXPECT_GE(r.stages(0).host_bytes(), 4 * 2500000000000LL);
}

// Linear partition by hand: {1,2,3,4,5} in 2 runs is best as {1,2,3 | 4,5} (max
// 9).
TEST(SplitStages, MinimizesTheHeaviestRun) {
  const auto s = SplitStages({1, 2, 3, 4, 5}, 2);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0], std::make_pair(0, 3));
  EXPECT_EQ(s[1], std::make_pair(3, 5));
  // As many stages as layers: one layer each, even with zero weights.
  const auto one_each = SplitStages({0, 0, 0}, 3);
  ASSERT_EQ(one_each.size(), 3u);
  EXPECT_EQ(one_each[2], std::make_pair(2, 3));
}

}  // namespace
}  // namespace memwall
