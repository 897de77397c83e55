// A progress line on stderr for long work (a large plan search, a sweep). It
// shows only where someone is watching: stderr is a terminal, TERM is not
// "dumb" and CI is unset; the caller adds its own conditions (rank 0, no
// machine-readable output). Nothing appears before `delay_s`, so quick runs
// stay silent; updates are throttled to 10 a second and the line is erased
// when the work ends.
#ifndef MEMWALL_COMMON_PROGRESS_H_
#define MEMWALL_COMMON_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"

namespace memwall {

// memwall-run's --progress: `auto` (an interactive stderr, plus the command's
// own conditions), `always` (under mpirun, whose forwarding hides the
// terminal from the ranks) or `never`.
enum class ProgressMode { kAuto, kAlways, kNever };
absl::StatusOr<ProgressMode> ParseProgressMode(const std::string& value);
// Where a rank's progress goes: nowhere off rank 0; std::cerr for kAlways;
// for kAuto, std::cerr when `auto_ok` and stderr is interactive.
std::ostream* ProgressStream(ProgressMode mode, bool rank0, bool auto_ok);

class Progress {
 public:
  // Disabled when `out` is null: every call is then a no-op.
  Progress(std::string label, std::ostream* out,
           double delay_s = DefaultDelay());
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // "label: done/total unit (p%), 1.2 s"; call from one thread.
  void Update(int64_t done, int64_t total, const std::string& unit);
  // Erases the line (before other output to the same terminal, and at the end).
  void Clear();

  // True when stderr is an interactive terminal and CI is unset.
  static bool StderrIsInteractive();
  // &std::cerr when `enabled` and StderrIsInteractive(), else null.
  static std::ostream* StderrIf(bool enabled);
  // Seconds before the line appears: MEMWALL_PROGRESS_DELAY_S when set to a
  // number >= 0 (tests use 0), else 1.
  static double DefaultDelay();

 private:
  std::string label_;
  std::ostream* out_;
  double delay_s_;
  std::chrono::steady_clock::time_point start_, last_;
  size_t shown_ = 0;  // width of the line on screen, 0 = none
  // stderr that is not a terminal (--progress=always under mpirun, a pipe): the
  // last line is ended with a newline rather than erased, so that forwarders
  // that pass whole lines (Open MPI's) keep it.
  bool end_with_newline_ = false;
};

}  // namespace memwall

#endif  // MEMWALL_COMMON_PROGRESS_H_
