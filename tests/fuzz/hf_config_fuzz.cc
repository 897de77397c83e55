// Hugging Face config.json import: any input either fails with a status or
// yields a model that passes validation and whose memory report passes the
// report check (finite numbers, non-negative quantities).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/report_check.h"
#include "planner/memory/memory_report.h"
#include "planner/model/import/hf_config.h"
#include "planner/model/validate_transformer.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace memwall;  // NOLINT: fuzz entry point
  const std::string json(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<HfImport> imported = ImportHfConfig(json, "fuzz.json");
  if (!imported.ok() || !imported->model.has_transformer()) return 0;
  if (!ValidateModel(imported->model).ok()) return 0;
  TrainingSpec training;
  training.set_seq_len(
      std::min<int64_t>(imported->model.transformer().max_seq_len(), 4096));
  training.set_global_batch(8);
  training.set_dtype(BF16);
  training.set_optimizer(ADAM);
  ParallelLayout layout;
  layout.dp = 8;
  absl::StatusOr<MemoryReport> report = BuildMemoryReport(
      imported->model, training, PROFILE_MEMWALL, layout, nullptr);
  if (report.ok()) MEMWALL_FUZZ_CHECK(CheckReportValues(*report).ok());
  return 0;
}
