// Model-state bytes against the ZeRO paper (arXiv 1910.02054) and Megatron's
// dist_optimizer.md table (§2.2).
#include "planner/memory/model_states.h"

#include <cmath>

#include "gtest/gtest.h"

namespace memwall {
namespace {

double ZeroGB(double psi, int stage, int64_t n_d) {
  ModelStateOptions o;
  o.profile = PROFILE_ZERO;
  o.dtype = FP16;
  o.optimizer = ADAM;
  o.zero_stage = stage;
  return ShardedBytesPerParam(o, n_d).device_total() * psi / 1e9;
}

// ZeRO Fig. 1 / §5 [P]: 7.5B parameters, N_d = 64: 120 GB, 31.4 GB, 16.6
// GB, 1.9 GB.
TEST(ModelStates, ZeroFigure1) {
  EXPECT_NEAR(ZeroGB(7.5e9, 0, 64), 120, 0.05);
  EXPECT_NEAR(ZeroGB(7.5e9, 1, 64), 31.4, 0.05);
  EXPECT_NEAR(ZeroGB(7.5e9, 2, 64), 16.6, 0.05);
  EXPECT_NEAR(ZeroGB(7.5e9, 3, 64), 1.9, 0.05);
}

// ZeRO Table 1 (per-device GB; P_os / P_os+g / P_os+g+p), as listed in
// the paper, within one unit of the last printed digit (some cells are
// truncated, e.g. 257.75 -> 257), or 0.1% for the four-digit cells.
TEST(ModelStates, ZeroTable1) {
  struct Cell {
    double psi;
    int64_t n_d;
    double os, os_g, os_g_p;
    int decimals;
  } cells[] = {
      {7.5e9, 1, 120, 120, 120, 0},      {7.5e9, 4, 52.5, 41.3, 30, 1},
      {7.5e9, 16, 35.6, 21.6, 7.5, 1},   {7.5e9, 64, 31.4, 16.6, 1.88, 1},
      {7.5e9, 256, 30.4, 15.4, 0.47, 1}, {7.5e9, 1024, 30.1, 15.1, 0.12, 1},
      {128e9, 1, 2048, 2048, 2048, 0},   {128e9, 4, 896, 704, 512, 0},
      {128e9, 16, 608, 368, 128, 0},     {128e9, 64, 536, 284, 32, 0},
      {128e9, 256, 518, 263, 8, 0},      {128e9, 1024, 513, 257, 2, 0},
      {1e12, 1, 16000, 16000, 16000, 0}, {1e12, 4, 7000, 5500, 4000, 0},
      {1e12, 16, 4750, 2875, 1000, 0},   {1e12, 64, 4187, 2218, 250, 0},
      {1e12, 256, 4046, 2054, 62.5, 1},  {1e12, 1024, 4011, 2013, 15.6, 1},
  };
  for (const Cell& c : cells) {
    const double stage3_decimals = c.os_g_p < 2 ? 2 : c.decimals;
    const auto tol = [](double v, double decimals) {
      return std::max(std::pow(10, -decimals) + 1e-9, 1e-3 * v);
    };
    EXPECT_NEAR(ZeroGB(c.psi, 1, c.n_d), c.os, tol(c.os, c.decimals))
        << c.psi << " " << c.n_d;
    EXPECT_NEAR(ZeroGB(c.psi, 2, c.n_d), c.os_g, tol(c.os_g, c.decimals))
        << c.psi << " " << c.n_d;
    EXPECT_NEAR(ZeroGB(c.psi, 3, c.n_d), c.os_g_p,
                tol(c.os_g_p, stage3_decimals))
        << c.psi << " " << c.n_d;
  }
}

// Megatron dist_optimizer.md: bytes per parameter without / with the
// distributed optimizer: fp16 20 / 4 + 16/d, bf16 18 / 6 + 12/d, fp32 16 / 8 +
// 8/d.
TEST(ModelStates, MegatronDistributedOptimizerTable) {
  struct Row {
    Dtype dtype;
    double plain, unsharded, sharded;
  } rows[] = {{FP16, 20, 4, 16}, {BF16, 18, 6, 12}, {FP32, 16, 8, 8}};
  for (const Row& r : rows) {
    ModelStateOptions o;
    o.profile = PROFILE_MEGATRON;
    o.dtype = r.dtype;
    o.optimizer = ADAM;
    EXPECT_DOUBLE_EQ(ShardedBytesPerParam(o, 1).device_total(), r.plain);
    o.distributed_optimizer = true;
    EXPECT_DOUBLE_EQ(ShardedBytesPerParam(o, 8).device_total(),
                     r.unsharded + r.sharded / 8);
  }
}

// The founding tables (AI and Memory Wall README): fp32 weights, no gradients,
// optimizer 2x the weights for Adam and 1x for SGD-momentum.
TEST(ModelStates, SeedConvention) {
  const StateBytes adam = BytesPerParam(PROFILE_SEED, FP32, ADAM);
  EXPECT_EQ(adam.weights, 4);
  EXPECT_EQ(adam.gradients, 0);
  EXPECT_EQ(adam.optimizer, 8);
  EXPECT_EQ(BytesPerParam(PROFILE_SEED, FP32, SGD_MOMENTUM).optimizer, 4);
}

// Eleuther "Transformer Math 101": mixed-precision AdamW 16 bytes (2 + 2 + 12);
// SGD with momentum keeps 8 bytes of optimizer state (fp32 copy + momentum).
TEST(ModelStates, ZeroFamilyOptimizers) {
  EXPECT_EQ(BytesPerParam(PROFILE_ZERO, BF16, ADAM).optimizer, 12);
  EXPECT_EQ(BytesPerParam(PROFILE_ZERO, BF16, SGD_MOMENTUM).optimizer, 8);
  EXPECT_EQ(BytesPerParam(PROFILE_ZERO, FP32, ADAM).optimizer, 8);
}

// apex DistributedFusedAdam with store_param_remainders (its StateBucket:
// an int16 remainder shard and fp32 exp_avg / exp_avg_sq shards) keeps 2 + 8
// bytes per parameter of optimizer state; grad_sync_dtype=bf16 (or Megatron-
// core grad_reduce_in_fp32=False) a 2-byte gradient buffer.
TEST(ModelStates, ParamRemaindersAndBf16Grads) {
  ModelStateOptions o;
  o.profile = PROFILE_MEMWALL;
  o.dtype = BF16;
  o.zero_stage = 1;
  o.mixed_precision = MIXED_PRECISION_PARAM_REMAINDERS;
  StateBytes b = BytesPerParam(o);
  EXPECT_EQ(b.weights, 2);
  EXPECT_EQ(b.gradients, 4);
  EXPECT_EQ(b.optimizer, 10);
  o.main_grad_dtype = BF16;
  EXPECT_EQ(BytesPerParam(o).gradients, 2);
  const ShardedStateBytes s = ShardedBytesPerParam(o, 8);
  EXPECT_DOUBLE_EQ(s.device_total(), 2 + 2 + 10.0 / 8);
  // Master weights with a bf16 buffer: 2 + 2 + 12/d.
  o.mixed_precision = MIXED_PRECISION_MASTER_WEIGHTS;
  EXPECT_DOUBLE_EQ(ShardedBytesPerParam(o, 2).device_total(), 2 + 2 + 6);
  // FP8 trains bf16 weights: the same layouts.
  o.dtype = FP8;
  o.mixed_precision = MIXED_PRECISION_PARAM_REMAINDERS;
  EXPECT_EQ(BytesPerParam(o).optimizer, 10);
  // Other profiles and fp32 training keep their own rules.
  o.profile = PROFILE_MEGATRON;
  EXPECT_EQ(BytesPerParam(o).optimizer, 12);
  EXPECT_EQ(BytesPerParam(o).gradients, 4);
  o.profile = PROFILE_MEMWALL;
  o.dtype = FP32;
  EXPECT_EQ(BytesPerParam(o).optimizer, 8);
  EXPECT_EQ(BytesPerParam(o).gradients, 4);
}

TEST(ModelStates, OffloadMovesStatesToHost) {
  ModelStateOptions o;
  o.profile = PROFILE_ZERO;
  o.dtype = BF16;
  o.zero_stage = 3;
  o.offload = OFFLOAD_PARAMS;
  const ShardedStateBytes s = ShardedBytesPerParam(o, 4);
  EXPECT_EQ(s.weights, 0);
  EXPECT_EQ(s.optimizer, 0);
  EXPECT_DOUBLE_EQ(s.host, 2.0 / 4 + 12.0 / 4);
}

}  // namespace
}  // namespace memwall
