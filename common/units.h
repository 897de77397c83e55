// Units. memwall keeps memory in bytes (int64), bandwidth in bytes/s, time in
// seconds and FLOPs in double. GiB = 2^30 (what DeepSpeed, PyTorch and
// nvidia-smi print), GB = 1e9 (the ZeRO paper, nccl-tests), MiB = 2^20
// (Megatron's "MB").
#ifndef MEMWALL_COMMON_UNITS_H_
#define MEMWALL_COMMON_UNITS_H_

#include <cstdint>
#include <string>

namespace memwall {

inline constexpr int64_t kKiB = int64_t{1} << 10;
inline constexpr int64_t kMiB = int64_t{1} << 20;
inline constexpr int64_t kGiB = int64_t{1} << 30;
inline constexpr int64_t kTiB = int64_t{1} << 40;
inline constexpr double kGB = 1e9;
inline constexpr double kTB = 1e12;

inline double ToGiB(double bytes) { return bytes / static_cast<double>(kGiB); }
inline double ToMiB(double bytes) { return bytes / static_cast<double>(kMiB); }
inline double ToGB(double bytes) { return bytes / kGB; }

// "12.34 GiB" with two decimals.
std::string FormatGiB(double bytes);
// A count with an SI suffix: 174.58B, 6.74B, 340M, 25.6K.
std::string FormatCount(double count);
// FLOPs with an SI suffix: 3.14 PFLOP, 740 TFLOP.
std::string FormatFlops(double flops);
// Bandwidth in GB/s (1e9 bytes/s) without the unit, as nccl-tests prints it:
// two decimals, or four below 1 GB/s (emulated clusters).
std::string FormatGBPerS(double bytes_per_s);
// Seconds as microseconds without the unit, as memwall-run's table prints
// them: two decimals below 10 ms, one below 1 s, none above.
std::string FormatMicroseconds(double seconds);
// Seconds as "12.3 ms", "1.42 s", "3.1 us".
std::string FormatSeconds(double seconds);

// Parses "1K", "4M", "1G", "512" (powers of two, as nccl-tests' -b/-e), or
// "80GiB", "40GB". Returns -1 when `text` is not a size.
int64_t ParseByteSize(const std::string& text);

}  // namespace memwall

#endif  // MEMWALL_COMMON_UNITS_H_
