// Range-checked arithmetic for byte and count totals. Byte counts are held in
// [0, kMaxCountedBytes] (2^60 B = 1 EiB, far beyond any GPU or host memory):
// conversions from double saturate there (NaN and infinity included), and sums
// saturate there, so a total never wraps and never turns negative. A value at
// the cap reads "at least 1 EiB". Counts (GPUs, layers) use CheckedMul, which
// reports overflow instead of wrapping.
#ifndef MEMWALL_COMMON_CHECKED_H_
#define MEMWALL_COMMON_CHECKED_H_

#include <cstdint>
#include <initializer_list>
#include <optional>

namespace memwall {

inline constexpr int64_t kMaxCountedBytes = int64_t{1} << 60;

// Nearest integer in [0, kMaxCountedBytes]: NaN, +infinity and anything at or
// above the cap give the cap; negative values give 0. Branch-free (two
// min/max instructions): the memory model calls it millions of times.
inline int64_t BytesFromDouble(double bytes) {
  constexpr double kCap = static_cast<double>(kMaxCountedBytes);
  bytes = bytes < kCap ? bytes : kCap;  // NaN fails the test: the cap
  bytes = bytes > 0 ? bytes : 0;
  return static_cast<int64_t>(bytes + 0.5);
}

// `bytes` clamped to at most kMaxCountedBytes. A sum of at most seven byte
// counts that are each in [0, kMaxCountedBytes] cannot overflow int64 (7 x
// 2^60 < 2^63), so hot paths add such terms plainly and cap the total.
inline int64_t CapBytes(int64_t bytes) {
  return bytes < kMaxCountedBytes ? bytes : kMaxCountedBytes;
}

// a + b clamped to [0, kMaxCountedBytes]; never overflows, whatever the
// inputs.
inline int64_t AddBytes(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) {
    return a > 0 ? kMaxCountedBytes : 0;
  }
  if (sum > kMaxCountedBytes) return kMaxCountedBytes;
  return sum < 0 ? 0 : sum;
}

inline int64_t SumBytes(std::initializer_list<int64_t> terms) {
  int64_t total = 0;
  for (int64_t t : terms) total = AddBytes(total, t);
  return total;
}

// bytes x count clamped to [0, kMaxCountedBytes] (count >= 0).
inline int64_t MulBytes(int64_t bytes, int64_t count) {
  int64_t product = 0;
  if (__builtin_mul_overflow(bytes, count, &product) ||
      product > kMaxCountedBytes) {
    return kMaxCountedBytes;
  }
  return product < 0 ? 0 : product;
}

// a x b, or nullopt when it does not fit in int64.
inline std::optional<int64_t> CheckedMul(int64_t a, int64_t b) {
  int64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) return std::nullopt;
  return product;
}

// The product of all factors, or nullopt when any partial product overflows.
inline std::optional<int64_t> CheckedProduct(
    std::initializer_list<int64_t> factors) {
  int64_t product = 1;
  for (int64_t f : factors) {
    const std::optional<int64_t> next = CheckedMul(product, f);
    if (!next) return std::nullopt;
    product = *next;
  }
  return product;
}

}  // namespace memwall

#endif  // MEMWALL_COMMON_CHECKED_H_
