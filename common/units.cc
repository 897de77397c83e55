#include "common/units.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "absl/strings/str_format.h"

namespace memwall {

std::string FormatGiB(double bytes) {
  return absl::StrFormat("%.2f GiB", ToGiB(bytes));
}

std::string FormatCount(double count) {
  const double a = std::fabs(count);
  if (a >= 1e12) return absl::StrFormat("%.2fT", count / 1e12);
  if (a >= 1e9) return absl::StrFormat("%.2fB", count / 1e9);
  if (a >= 1e6) return absl::StrFormat("%.2fM", count / 1e6);
  if (a >= 1e3) return absl::StrFormat("%.2fK", count / 1e3);
  return absl::StrFormat("%.0f", count);
}

std::string FormatFlops(double flops) {
  const double a = std::fabs(flops);
  if (a >= 1e18) return absl::StrFormat("%.2f EFLOP", flops / 1e18);
  if (a >= 1e15) return absl::StrFormat("%.2f PFLOP", flops / 1e15);
  if (a >= 1e12) return absl::StrFormat("%.2f TFLOP", flops / 1e12);
  if (a >= 1e9) return absl::StrFormat("%.2f GFLOP", flops / 1e9);
  if (a >= 1e6) return absl::StrFormat("%.2f MFLOP", flops / 1e6);
  return absl::StrFormat("%.0f FLOP", flops);
}

std::string FormatGBPerS(double bytes_per_s) {
  const double gb = ToGB(bytes_per_s);
  // Two literal formats: clang requires StrFormat's format to be constant.
  return gb < 1 ? absl::StrFormat("%.4f", gb) : absl::StrFormat("%.2f", gb);
}

std::string FormatMicroseconds(double seconds) {
  const double us = seconds * 1e6;
  if (us < 1e4) return absl::StrFormat("%.2f", us);
  if (us < 1e6) return absl::StrFormat("%.1f", us);
  return absl::StrFormat("%.0f", us);
}

std::string FormatSeconds(double seconds) {
  const double a = std::fabs(seconds);
  if (a >= 86400 * 2) return absl::StrFormat("%.1f days", seconds / 86400);
  if (a >= 1) return absl::StrFormat("%.3f s", seconds);
  if (a >= 1e-3) return absl::StrFormat("%.3f ms", seconds * 1e3);
  return absl::StrFormat("%.2f us", seconds * 1e6);
}

int64_t ParseByteSize(const std::string& text) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0])))
    return -1;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  std::string suffix(end);
  double scale = 1;
  if (suffix.empty() || suffix == "B") {
    scale = 1;
  } else if (suffix == "K" || suffix == "KiB") {
    scale = static_cast<double>(kKiB);
  } else if (suffix == "M" || suffix == "MiB") {
    scale = static_cast<double>(kMiB);
  } else if (suffix == "G" || suffix == "GiB") {
    scale = static_cast<double>(kGiB);
  } else if (suffix == "T" || suffix == "TiB") {
    scale = static_cast<double>(kTiB);
  } else if (suffix == "KB") {
    scale = 1e3;
  } else if (suffix == "MB") {
    scale = 1e6;
  } else if (suffix == "GB") {
    scale = 1e9;
  } else if (suffix == "TB") {
    scale = 1e12;
  } else {
    return -1;
  }
  const double bytes = value * scale;
  if (!(bytes >= 0) || bytes > 9.0e18) return -1;
  return static_cast<int64_t>(std::llround(bytes));
}

}  // namespace memwall
