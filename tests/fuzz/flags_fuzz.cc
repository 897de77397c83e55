// Flag parsing and the memory command's request: the input is one argument
// per line. Any input either fails with a status or yields a report whose
// every number is finite and every quantity non-negative.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "common/flags.h"
#include "common/report_check.h"
#include "planner/cli/request.h"
#include "planner/memory/memory_report.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace memwall;  // NOLINT: fuzz entry point
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> words = absl::StrSplit(text, '\n');
  if (words.size() > 64) return 0;
  std::vector<const char*> argv;
  for (const std::string& w : words) argv.push_back(w.c_str());
  absl::StatusOr<Flags> flags =
      Flags::Parse(static_cast<int>(argv.size()), argv.data(), 0);
  if (!flags.ok()) return 0;
  absl::StatusOr<Request> request = ParseRequest(*flags);
  if (!request.ok()) return 0;
  absl::StatusOr<ParallelLayout> layout = ResolveLayout(*request);
  if (!layout.ok() || !request->model.has_transformer()) return 0;
  // Large but valid layouts are legitimate; keep one input's cost bounded.
  if (layout->pp > 64) return 0;
  absl::StatusOr<MemoryReport> report =
      BuildMemoryReport(request->model, request->training, request->profile,
                        *layout, request->cluster_or_null());
  if (report.ok()) MEMWALL_FUZZ_CHECK(CheckReportValues(*report).ok());
  return 0;
}
