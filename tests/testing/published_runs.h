// Test fixtures: the Narayanan 2021 Table 1 and Korthikanti 2022 Table 5 rows
// of validation/ (embedded), in the order the timing tests index them:
// narayanan-1.7b, -18.4b, -145.6b, then korthikanti 22B, 175B, 530B and 1T,
// each with full recomputation and with SP + selective recomputation.
#ifndef MEMWALL_TESTS_TESTING_PUBLISHED_RUNS_H_
#define MEMWALL_TESTS_TESTING_PUBLISHED_RUNS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "planner/layout/parallel_layout.h"
#include "planner/validation/measured.h"
#include "planner/validation/runs.h"
#include "proto/model.pb.h"
#include "proto/training.pb.h"

namespace memwall {

struct PublishedRun {
  std::string name;
  ModelSpec model;
  TrainingSpec training;
  ParallelLayout layout;
  int64_t gpus = 0;
  int64_t global_batch = 0;
  double step_time_s = 0;  // measured, or from the source's TFLOP/s
};

inline const std::vector<PublishedRun>& PublishedRuns() {
  static const auto* runs = [] {
    auto* out = new std::vector<PublishedRun>;
    const std::vector<LoadedRun> all = LoadRuns("").value();
    for (const char* file :
         {"narayanan-2021-table1", "korthikanti-2022-table5"}) {
      for (const LoadedRun& r : all) {
        if (r.source_key != file) continue;
        PublishedRun p;
        p.name = r.run.name();
        p.model = r.model;
        p.training = r.run.training();
        p.layout = FromProto(r.run.layout());
        p.gpus = r.run.gpus();
        p.global_batch = r.run.training().global_batch();
        p.step_time_s = MeasuredStepTime(
            r.run, ShapeFromModel(r.model, r.run.training().seq_len()).value());
        out->push_back(std::move(p));
      }
    }
    return out;
  }();
  return *runs;
}

inline const ModelSpec& PublishedRunModel(const PublishedRun& run) {
  return run.model;
}
inline const TrainingSpec& PublishedRunTraining(const PublishedRun& run) {
  return run.training;
}

}  // namespace memwall

#endif  // MEMWALL_TESTS_TESTING_PUBLISHED_RUNS_H_
