// Element types of the synthetic collectives (float32, float16, bfloat16,
// int32) and the conversions the correctness check needs. Inputs are small
// integers, which every one of these types holds exactly: float16 up to 2048,
// bfloat16 up to 256 (8 significand bits).
#ifndef MEMWALL_RUNTIME_DTYPE_H_
#define MEMWALL_RUNTIME_DTYPE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace memwall::runtime {

enum class DataType { kFloat32, kFloat16, kBFloat16, kInt32 };

// Bytes per element.
int64_t ElementSize(DataType type);
// The name nccl-tests prints in its "type" column: float, half, bfloat16,
// int32.
std::string TypeName(DataType type);
// The largest integer m such that every integer in [0, m] is exact in `type`.
int64_t ExactIntegerLimit(DataType type);
// Parses float32|float|float16|half|bfloat16|bf16|int32|int.
absl::StatusOr<DataType> ParseDataType(const std::string& text);

// IEEE binary16 and bfloat16 conversions, round to nearest even.
uint16_t FloatToHalf(float value);
float HalfToFloat(uint16_t bits);
uint16_t FloatToBFloat16(float value);
float BFloat16ToFloat(uint16_t bits);

// Writes `value` (an integer) as element `index` of a buffer of `type`.
void StoreElement(DataType type, int64_t index, double value, void* data);
// Reads element `index` as a double.
double LoadElement(DataType type, int64_t index, const void* data);

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_DTYPE_H_
