#include "common/checked.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace memwall {
namespace {

// The float-to-int conversion that once turned 1/1e-9 headroom into -2^63.
TEST(CheckedTest, BytesFromDoubleSaturatesInsteadOfWrapping) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(BytesFromDouble(0.4), 0);
  EXPECT_EQ(BytesFromDouble(0.5), 1);
  EXPECT_EQ(BytesFromDouble(85899345920.0), 85899345920);
  EXPECT_EQ(BytesFromDouble(-3), 0);
  EXPECT_EQ(BytesFromDouble(1e30), kMaxCountedBytes);
  EXPECT_EQ(BytesFromDouble(inf), kMaxCountedBytes);
  EXPECT_EQ(BytesFromDouble(-inf), 0);
  EXPECT_EQ(BytesFromDouble(std::nan("")), kMaxCountedBytes);
  EXPECT_EQ(BytesFromDouble(static_cast<double>(kMaxCountedBytes)),
            kMaxCountedBytes);
}

// The stage total that once overflowed with reserved_bytes = 9e18.
TEST(CheckedTest, SumsSaturateAtTheCap) {
  EXPECT_EQ(AddBytes(2, 3), 5);
  EXPECT_EQ(AddBytes(kMaxCountedBytes, 1), kMaxCountedBytes);
  EXPECT_EQ(AddBytes(int64_t{7} << 60, int64_t{7} << 60), kMaxCountedBytes);
  EXPECT_EQ(AddBytes(std::numeric_limits<int64_t>::max(), 1), kMaxCountedBytes);
  EXPECT_EQ(AddBytes(-5, 2), 0);
  EXPECT_EQ(SumBytes({1, 2, 3}), 6);
  EXPECT_EQ(SumBytes({kMaxCountedBytes, kMaxCountedBytes, kMaxCountedBytes}),
            kMaxCountedBytes);
  EXPECT_EQ(MulBytes(int64_t{1} << 40, 8), int64_t{1} << 43);
  EXPECT_EQ(MulBytes(int64_t{1} << 40, int64_t{1} << 30), kMaxCountedBytes);
}

// nodes x gpus_per_node once wrapped 2305843009213693953 x 8 to 8.
TEST(CheckedTest, ProductsReportOverflow) {
  EXPECT_EQ(CheckedMul(1 << 20, 1 << 20), int64_t{1} << 40);
  EXPECT_FALSE(CheckedMul(2305843009213693953, 8).has_value());
  EXPECT_EQ(CheckedProduct({8, 8, 2}), 128);
  EXPECT_FALSE(CheckedProduct({8, 9000000000000000000, 1}).has_value());
}

}  // namespace
}  // namespace memwall
