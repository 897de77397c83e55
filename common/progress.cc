#include "common/progress.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace memwall {

Progress::Progress(std::string label, std::ostream* out, double delay_s)
    : label_(std::move(label)),
      out_(out),
      delay_s_(delay_s),
      start_(std::chrono::steady_clock::now()),
      last_(start_),
      end_with_newline_(out == &std::cerr && !isatty(STDERR_FILENO)) {}

Progress::~Progress() { Clear(); }

void Progress::Update(int64_t done, int64_t total, const std::string& unit) {
  if (out_ == nullptr) return;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < delay_s_) return;
  if (shown_ > 0 && now - last_ < std::chrono::milliseconds(100) &&
      done < total) {
    return;
  }
  last_ = now;
  const double percent =
      total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total)
                : 0.0;
  std::string line = absl::StrFormat("%s: %d/%d %s (%.0f%%), %.1f s", label_,
                                     done, total, unit, percent, elapsed);
  const size_t width = line.size();
  if (width < shown_) line.append(shown_ - width, ' ');
  *out_ << '\r' << line << std::flush;
  shown_ = width;
}

void Progress::Clear() {
  if (out_ == nullptr || shown_ == 0) return;
  if (end_with_newline_) {
    *out_ << '\n' << std::flush;
  } else {
    *out_ << '\r' << std::string(shown_, ' ') << '\r' << std::flush;
  }
  shown_ = 0;
}

bool Progress::StderrIsInteractive() {
  if (!isatty(STDERR_FILENO)) return false;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && *ci != '\0') return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

absl::StatusOr<ProgressMode> ParseProgressMode(const std::string& value) {
  if (value == "auto") return ProgressMode::kAuto;
  if (value == "always") return ProgressMode::kAlways;
  if (value == "never") return ProgressMode::kNever;
  return absl::InvalidArgumentError(
      absl::StrCat("--progress=", value, " is not one of auto, always, never"));
}

std::ostream* ProgressStream(ProgressMode mode, bool rank0, bool auto_ok) {
  if (!rank0 || mode == ProgressMode::kNever) return nullptr;
  if (mode == ProgressMode::kAlways) return &std::cerr;
  return Progress::StderrIf(auto_ok);
}

double Progress::DefaultDelay() {
  const char* text = std::getenv("MEMWALL_PROGRESS_DELAY_S");
  if (text == nullptr || *text == '\0') return 1.0;
  char* end = nullptr;
  const double value = std::strtod(text, &end);
  return *end == '\0' && value >= 0 ? value : 1.0;
}

std::ostream* Progress::StderrIf(bool enabled) {
  return enabled && StderrIsInteractive() ? &std::cerr : nullptr;
}

}  // namespace memwall
