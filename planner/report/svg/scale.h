// Scales and ticks for the report charts: a data interval mapped onto a pixel
// interval, linearly or by logarithm, and the tick values an axis shows.
// Linear ticks are 1, 2 or 5 x 10^k apart (Heckbert, "Nice numbers for graph
// labels", Graphics Gems, 1990); log ticks are whole powers of the base,
// thinned to a whole-power step so that at most `max_count` remain.
#ifndef MEMWALL_PLANNER_REPORT_SVG_SCALE_H_
#define MEMWALL_PLANNER_REPORT_SVG_SCALE_H_

#include <string>
#include <vector>

namespace memwall {
namespace svg {

class Scale {
 public:
  // [d0, d1] -> [r0, r1]; a zero-width domain maps everything to r0.
  static Scale Linear(double d0, double d1, double r0, double r1);
  // log(v) from [log d0, log d1] -> [r0, r1]; d0 and d1 are clamped to > 0
  // and values <= 0 map to r0.
  static Scale Log(double d0, double d1, double r0, double r1,
                   double base = 10);

  double operator()(double value) const;
  double domain_min() const { return d0_; }
  double domain_max() const { return d1_; }
  bool is_log() const { return log_; }
  double base() const { return base_; }

  // Tick values inside the domain, ascending: NiceTicks or LogTicks.
  std::vector<double> Ticks(int max_count) const;

 private:
  double d0_ = 0, d1_ = 1, r0_ = 0, r1_ = 1, base_ = 10;
  bool log_ = false;
};

// The 1/2/5 x 10^k step that puts at most `max_count` ticks in [lo, hi].
double NiceStep(double lo, double hi, int max_count);
// Multiples of NiceStep inside [lo, hi] (within rounding), ascending.
std::vector<double> NiceTicks(double lo, double hi, int max_count);
// The smallest multiple of NiceStep(0, hi, max_count) that is >= hi: a linear
// axis from 0 ends on a tick.
double NiceCeiling(double hi, int max_count);
// Powers base^k inside [lo, hi], every j-th power so at most `max_count`.
std::vector<double> LogTicks(double lo, double hi, double base, int max_count);

// A tick label: "0", "2.5", "1e+06"-free compact text ("1M", "20k" for counts
// is the caller's choice; this keeps up to 3 significant digits).
std::string FormatNumber(double value);
// A byte size on a power-of-two axis: "512 B", "4 KiB", "1 GiB".
std::string FormatBytes(double bytes);

}  // namespace svg
}  // namespace memwall

#endif  // MEMWALL_PLANNER_REPORT_SVG_SCALE_H_
