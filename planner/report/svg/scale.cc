#include "planner/report/svg/scale.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"

namespace memwall {
namespace svg {

Scale Scale::Linear(double d0, double d1, double r0, double r1) {
  Scale s;
  s.d0_ = d0;
  s.d1_ = d1;
  s.r0_ = r0;
  s.r1_ = r1;
  return s;
}

Scale Scale::Log(double d0, double d1, double r0, double r1, double base) {
  Scale s = Linear(std::max(d0, 1e-300), std::max(d1, 1e-300), r0, r1);
  s.log_ = true;
  s.base_ = base;
  return s;
}

double Scale::operator()(double value) const {
  double a = d0_, b = d1_, v = value;
  if (log_) {
    if (value <= 0) return r0_;
    a = std::log(a);
    b = std::log(b);
    v = std::log(v);
  }
  if (b == a) return r0_;
  return r0_ + (v - a) / (b - a) * (r1_ - r0_);
}

std::vector<double> Scale::Ticks(int max_count) const {
  return log_ ? LogTicks(d0_, d1_, base_, max_count)
              : NiceTicks(d0_, d1_, max_count);
}

double NiceStep(double lo, double hi, int max_count) {
  const double span = std::abs(hi - lo);
  max_count = std::max(2, max_count);
  if (!(span > 0) || !std::isfinite(span)) return 1;
  const double raw = span / (max_count - 1);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * power >= raw) return m * power;
  }
  return 10 * power;
}

std::vector<double> NiceTicks(double lo, double hi, int max_count) {
  if (hi < lo) std::swap(lo, hi);
  const double step = NiceStep(lo, hi, max_count);
  std::vector<double> ticks;
  const double eps = step * 1e-9;
  for (double k = std::ceil((lo - eps) / step); k * step <= hi + eps; ++k) {
    const double v = k * step;
    ticks.push_back(std::abs(v) < eps ? 0.0 : v);
  }
  return ticks;
}

double NiceCeiling(double hi, int max_count) {
  if (!(hi > 0)) return 1;
  const double step = NiceStep(0, hi, max_count);
  return std::ceil(hi / step - 1e-9) * step;
}

std::vector<double> LogTicks(double lo, double hi, double base, int max_count) {
  if (hi < lo) std::swap(lo, hi);
  std::vector<double> ticks;
  if (!(lo > 0) || !(base > 1)) return ticks;
  const double lb = std::log(base);
  const int k0 = static_cast<int>(std::ceil(std::log(lo) / lb - 1e-9));
  const int k1 = static_cast<int>(std::floor(std::log(hi) / lb + 1e-9));
  const int n = k1 - k0 + 1;
  if (n <= 0) return ticks;
  const int every =
      std::max(1, (n + std::max(1, max_count) - 1) / std::max(1, max_count));
  for (int k = k0; k <= k1; ++k) {
    if ((k - k0) % every == 0) ticks.push_back(std::pow(base, k));
  }
  return ticks;
}

std::string FormatNumber(double v) {
  if (v == 0) return "0";
  const double a = std::abs(v);
  if (a >= 1e15 || a < 1e-3) return absl::StrFormat("%.2g", v);
  if (a >= 1e12) return absl::StrFormat("%gT", v / 1e12);
  if (a >= 1e9) return absl::StrFormat("%gG", v / 1e9);
  if (a >= 1e6) return absl::StrFormat("%gM", v / 1e6);
  if (a >= 1e4) return absl::StrFormat("%gk", v / 1e3);
  return absl::StrFormat("%.4g", v);
}

std::string FormatBytes(double bytes) {
  static const char* const kUnits[] = {"B",   "KiB", "MiB", "GiB",
                                       "TiB", "PiB", "EiB"};
  int u = 0;
  while (std::abs(bytes) >= 1024 && u < 6) {
    bytes /= 1024;
    ++u;
  }
  return absl::StrFormat("%g %s", bytes, kUnits[u]);
}

}  // namespace svg
}  // namespace memwall
