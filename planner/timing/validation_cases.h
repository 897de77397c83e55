// Published, measured training runs the step-time model is checked against:
// Narayanan et al. 2021 Table 1 and Korthikanti et al. 2022 Table 5 (both
// A100-80GB, GPT models with s = 2048 and V = 51200). Each case carries its
// source and what the paper leaves out.
#ifndef MEMWALL_PLANNER_TIMING_VALIDATION_CASES_H_
#define MEMWALL_PLANNER_TIMING_VALIDATION_CASES_H_

#include <cstdint>
#include <vector>

#include "planner/layout/parallel_layout.h"
#include "proto/model.pb.h"
#include "proto/training.pb.h"

namespace memwall {

struct PublishedRun {
  const char* name;
  const char* source;
  int64_t hidden;
  int64_t heads;
  int64_t layers;
  int64_t gpus;
  int64_t global_batch;
  ParallelLayout layout;
  // Seconds per iteration as published, or derived from the published TFLOP/s
  // per GPU through the paper's own FLOP count (Narayanan App. A, 96 B s l h^2
  // (...)).
  double step_time_s;
  double tflops_per_gpu;  // as published; 0 when not published
  const char* note;
};

// The cluster every case ran on and the case list.
inline constexpr const char* kValidationCluster = "dgx-a100-80g";
const std::vector<PublishedRun>& PublishedRuns();

// GPT-style model of a case: LayerNorm, GeLU, biases, learned positions, tied
// embeddings, dropout, V = 51200, s = 2048 (Narayanan 2021 Sec. 5; Korthikanti
// 2022 Sec. 6).
ModelSpec PublishedRunModel(const PublishedRun& run);
TrainingSpec PublishedRunTraining(const PublishedRun& run);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_TIMING_VALIDATION_CASES_H_
