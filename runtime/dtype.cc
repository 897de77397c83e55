#include "runtime/dtype.h"

#include <cmath>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace memwall::runtime {

int64_t ElementSize(DataType type) {
  switch (type) {
    case DataType::kFloat32:
    case DataType::kInt32:
      return 4;
    case DataType::kFloat16:
    case DataType::kBFloat16:
      return 2;
  }
  return 4;
}

std::string TypeName(DataType type) {
  switch (type) {
    case DataType::kFloat32:
      return "float";
    case DataType::kFloat16:
      return "half";
    case DataType::kBFloat16:
      return "bfloat16";
    case DataType::kInt32:
      return "int32";
  }
  return "?";
}

int64_t ExactIntegerLimit(DataType type) {
  switch (type) {
    case DataType::kFloat32:
      return int64_t{1} << 24;
    case DataType::kFloat16:
      return 2048;
    case DataType::kBFloat16:
      return 256;
    case DataType::kInt32:
      return (int64_t{1} << 31) - 1;
  }
  return 0;
}

absl::StatusOr<DataType> ParseDataType(const std::string& text) {
  if (text == "float32" || text == "float") return DataType::kFloat32;
  if (text == "float16" || text == "half") return DataType::kFloat16;
  if (text == "bfloat16" || text == "bf16") return DataType::kBFloat16;
  if (text == "int32" || text == "int") return DataType::kInt32;
  return absl::InvalidArgumentError(absl::StrCat(
      "--dtype=", text, " is not one of float32, float16, bfloat16, int32"));
}

uint16_t FloatToHalf(float value) {
  uint32_t f;
  std::memcpy(&f, &value, 4);
  const uint32_t sign = (f >> 16) & 0x8000u;
  const int32_t exponent = static_cast<int32_t>((f >> 23) & 0xff) - 127 + 15;
  uint32_t mantissa = f & 0x7fffffu;
  if (((f >> 23) & 0xff) == 0xff) {  // inf or nan
    return static_cast<uint16_t>(sign | 0x7c00u | (mantissa ? 0x200u : 0u));
  }
  if (exponent >= 31) return static_cast<uint16_t>(sign | 0x7c00u);
  if (exponent <= 0) {
    if (exponent < -10) return static_cast<uint16_t>(sign);
    mantissa |= 0x800000u;
    const int shift = 14 - exponent;
    uint32_t half = mantissa >> shift;
    const uint32_t rest = mantissa & ((1u << shift) - 1);
    const uint32_t halfway = 1u << (shift - 1);
    if (rest > halfway || (rest == halfway && (half & 1u))) ++half;
    return static_cast<uint16_t>(sign | half);
  }
  uint32_t half =
      sign | (static_cast<uint32_t>(exponent) << 10) | (mantissa >> 13);
  const uint32_t rest = mantissa & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) ++half;
  return static_cast<uint16_t>(half);
}

float HalfToFloat(uint16_t bits) {
  const uint32_t sign = (bits & 0x8000u) << 16;
  const uint32_t exponent = (bits >> 10) & 0x1fu;
  const uint32_t mantissa = bits & 0x3ffu;
  float magnitude;
  if (exponent == 0) {
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    magnitude = mantissa ? NAN : INFINITY;
  } else {
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400u),
                           static_cast<int>(exponent) - 25);
  }
  return sign ? -magnitude : magnitude;
}

uint16_t FloatToBFloat16(float value) {
  uint32_t f;
  std::memcpy(&f, &value, 4);
  if ((f & 0x7fffffffu) > 0x7f800000u)
    return static_cast<uint16_t>((f >> 16) | 0x40u);
  const uint32_t rounding = 0x7fffu + ((f >> 16) & 1u);
  return static_cast<uint16_t>((f + rounding) >> 16);
}

float BFloat16ToFloat(uint16_t bits) {
  const uint32_t f = static_cast<uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &f, 4);
  return value;
}

void StoreElement(DataType type, int64_t index, double value, void* data) {
  switch (type) {
    case DataType::kFloat32:
      static_cast<float*>(data)[index] = static_cast<float>(value);
      return;
    case DataType::kInt32:
      static_cast<int32_t*>(data)[index] = static_cast<int32_t>(value);
      return;
    case DataType::kFloat16:
      static_cast<uint16_t*>(data)[index] =
          FloatToHalf(static_cast<float>(value));
      return;
    case DataType::kBFloat16:
      static_cast<uint16_t*>(data)[index] =
          FloatToBFloat16(static_cast<float>(value));
      return;
  }
}

double LoadElement(DataType type, int64_t index, const void* data) {
  switch (type) {
    case DataType::kFloat32:
      return static_cast<const float*>(data)[index];
    case DataType::kInt32:
      return static_cast<const int32_t*>(data)[index];
    case DataType::kFloat16:
      return HalfToFloat(static_cast<const uint16_t*>(data)[index]);
    case DataType::kBFloat16:
      return BFloat16ToFloat(static_cast<const uint16_t*>(data)[index]);
  }
  return 0;
}

}  // namespace memwall::runtime
