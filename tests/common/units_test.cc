#include "common/units.h"

#include "gtest/gtest.h"

namespace memwall {
namespace {

TEST(UnitsTest, ParsesByteSizesLikeNcclTests) {
  EXPECT_EQ(ParseByteSize("8"), 8);
  EXPECT_EQ(ParseByteSize("1K"), 1024);
  EXPECT_EQ(ParseByteSize("64M"), 64 * 1024 * 1024);
  EXPECT_EQ(ParseByteSize("80GB"), 80000000000);
  EXPECT_EQ(ParseByteSize("80GiB"), 80 * kGiB);
  EXPECT_EQ(ParseByteSize("x"), -1);
  EXPECT_EQ(ParseByteSize("12Q"), -1);
  EXPECT_EQ(ParseByteSize("99999999999T"), -1);
}

TEST(UnitsTest, Formats) {
  EXPECT_EQ(FormatGiB(1.5 * kGiB), "1.50 GiB");
  EXPECT_EQ(FormatCount(174.58e9), "174.58B");
  EXPECT_EQ(FormatFlops(3.14e15), "3.14 PFLOP");
  EXPECT_EQ(FormatSeconds(0.0125), "12.500 ms");
}

}  // namespace
}  // namespace memwall
