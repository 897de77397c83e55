// Golden bit patterns: IEEE 754-2008 binary16 (checked with Python's struct 'e'
// format) and bfloat16 (the upper 16 bits of binary32, round to nearest even;
// worked by hand).
#include "runtime/dtype.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace memwall::runtime {
namespace {

struct HalfCase {
  float value;
  uint16_t bits;
};

TEST(DtypeTest, FloatToHalfMatchesIeeeBinary16) {
  const HalfCase cases[] = {
      {1.0f, 0x3c00},    {0.5f, 0x3800},     {2048.0f, 0x6800},
      {2049.0f, 0x6800},  // tie to even
      {2050.0f, 0x6801}, {65504.0f, 0x7bff}, {-3.0f, 0xc200},
  };
  for (const HalfCase& c : cases) {
    EXPECT_EQ(FloatToHalf(c.value), c.bits) << c.value;
  }
  EXPECT_EQ(HalfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(HalfToFloat(0xc200), -3.0f);
  EXPECT_EQ(HalfToFloat(0x7bff), 65504.0f);
}

TEST(DtypeTest, FloatToBFloat16RoundsToNearestEven) {
  const HalfCase cases[] = {
      {1.0f, 0x3f80},   {256.0f, 0x4380}, {257.0f, 0x4380},  // tie to even
      {258.0f, 0x4381}, {-3.0f, 0xc040},
  };
  for (const HalfCase& c : cases) {
    EXPECT_EQ(FloatToBFloat16(c.value), c.bits) << c.value;
  }
  EXPECT_EQ(BFloat16ToFloat(0x4381), 258.0f);
}

TEST(DtypeTest, EveryIntegerUpToTheLimitIsExact) {
  for (DataType type : {DataType::kFloat16, DataType::kBFloat16}) {
    uint16_t buffer[1];
    for (int64_t v = 0; v <= ExactIntegerLimit(type); ++v) {
      StoreElement(type, 0, static_cast<double>(v), buffer);
      ASSERT_EQ(LoadElement(type, 0, buffer), static_cast<double>(v))
          << TypeName(type);
    }
    // One past the limit is not representable (the limit is tight).
    StoreElement(type, 0, static_cast<double>(ExactIntegerLimit(type) + 1),
                 buffer);
    EXPECT_NE(LoadElement(type, 0, buffer), ExactIntegerLimit(type) + 1.0)
        << TypeName(type);
  }
}

TEST(DtypeTest, ParsesNamesAndRejectsOthers) {
  EXPECT_EQ(*ParseDataType("bf16"), DataType::kBFloat16);
  EXPECT_EQ(*ParseDataType("half"), DataType::kFloat16);
  EXPECT_EQ(TypeName(DataType::kFloat32), "float");
  EXPECT_EQ(ElementSize(DataType::kBFloat16), 2);
  const auto bad = ParseDataType("fp8");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("--dtype=fp8"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace memwall::runtime
