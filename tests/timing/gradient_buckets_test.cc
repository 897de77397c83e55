// Bucket sizes against the stacks' published defaults, and the split of a
// stage's parameters into buckets against hand arithmetic.
#include "planner/timing/gradient_buckets.h"

#include <gtest/gtest.h>

#include <cmath>

namespace memwall {
namespace {

// Megatron-LM core DistributedDataParallel: bucket_size defaults to
// max(40000000, 1000000 * data-parallel size) parameters, and to one bucket
// (None) without overlap_grad_reduce.
TEST(GradientBucketsTest, MegatronDefault) {
  EXPECT_DOUBLE_EQ(GradientBucketParams(STACK_MEGATRON, 8, 1e9, true), 40e6);
  EXPECT_DOUBLE_EQ(GradientBucketParams(STACK_MEGATRON, 40, 1e9, true), 40e6);
  EXPECT_DOUBLE_EQ(GradientBucketParams(STACK_MEGATRON, 64, 1e9, true), 64e6);
  EXPECT_DOUBLE_EQ(GradientBucketParams(STACK_MEGATRON, 1024, 1e9, true),
                   1024e6);
  EXPECT_TRUE(std::isinf(GradientBucketParams(STACK_MEGATRON, 64, 1e9, false)));
}

// DeepSpeed ZeRO reduce_bucket_size: 5e8 elements by default; FSDP reduces
// each wrapped unit (one layer) on its own.
TEST(GradientBucketsTest, DeepSpeedAndFsdp) {
  EXPECT_DOUBLE_EQ(GradientBucketParams(STACK_DEEPSPEED, 8, 1e9, true), 5e8);
  EXPECT_DOUBLE_EQ(GradientBucketParams(STACK_DEEPSPEED, 8, 1e9, false), 5e8);
  EXPECT_DOUBLE_EQ(GradientBucketParams(STACK_FSDP, 8, 3e8, true), 3e8);
}

TEST(GradientBucketsTest, Split) {
  GradientBuckets b = SplitIntoBuckets(100e6, 40e6);
  EXPECT_DOUBLE_EQ(b.full, 2);
  EXPECT_DOUBLE_EQ(b.bucket_params, 40e6);
  EXPECT_DOUBLE_EQ(b.last_params, 20e6);
  EXPECT_DOUBLE_EQ(b.calls(), 3);

  b = SplitIntoBuckets(80e6, 40e6);  // divides evenly: no remainder bucket
  EXPECT_DOUBLE_EQ(b.full, 2);
  EXPECT_DOUBLE_EQ(b.last_params, 0);
  EXPECT_DOUBLE_EQ(b.calls(), 2);

  b = SplitIntoBuckets(10e6, 40e6);  // smaller than a bucket: one of itself
  EXPECT_DOUBLE_EQ(b.full, 1);
  EXPECT_DOUBLE_EQ(b.bucket_params, 10e6);
  EXPECT_DOUBLE_EQ(b.calls(), 1);

  b = SplitIntoBuckets(10e6, INFINITY);  // no bucketing: one collective
  EXPECT_DOUBLE_EQ(b.full, 1);
  EXPECT_DOUBLE_EQ(b.bucket_params, 10e6);

  EXPECT_DOUBLE_EQ(SplitIntoBuckets(0, 40e6).calls(), 0);
  // Huge values stay finite.
  b = SplitIntoBuckets(1e18, 40e6);
  EXPECT_DOUBLE_EQ(b.full, 2.5e10);
  EXPECT_DOUBLE_EQ(b.last_params, 0);
}

}  // namespace
}  // namespace memwall
