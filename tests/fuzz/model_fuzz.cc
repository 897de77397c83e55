// Text-proto model loading: any input either fails with a status or yields a
// model whose memory (every profile, a few layouts) and step time are finite,
// non-negative and self-consistent.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/report_check.h"
#include "common/textproto.h"
#include "planner/memory/evaluator.h"
#include "planner/memory/graph_memory.h"
#include "planner/memory/memory_report.h"
#include "planner/model/validate_transformer.h"
#include "planner/model/zoo.h"
#include "planner/timing/step_time.h"
#include "proto/model.pb.h"
#include "tests/fuzz/fuzz_check.h"

namespace memwall {
namespace {

void CheckTransformer(const ModelSpec& model, const ClusterSpec& cluster) {
  TrainingSpec training;
  training.set_seq_len(
      std::min<int64_t>(model.transformer().max_seq_len(), 4096));
  training.set_global_batch(16);
  training.set_dtype(BF16);
  training.set_optimizer(ADAM);
  for (Profile profile : {PROFILE_MEMWALL, PROFILE_MEGATRON, PROFILE_DEEPSPEED,
                          PROFILE_ZERO, PROFILE_SEED}) {
    absl::StatusOr<MemoryEvaluator> e =
        MemoryEvaluator::Create(model, training, profile, &cluster);
    if (!e.ok()) continue;
    for (const auto& [tp, pp, zero] :
         {std::tuple{1, 1, 0}, std::tuple{2, 2, 1}, std::tuple{1, 4, 3}}) {
      ParallelLayout l;
      l.tp = l.etp = tp;
      l.pp = pp;
      l.zero_stage = zero;
      l.dp = 2;
      if (!e->CheckLayout(l, l.gpus()).ok()) continue;
      const MemoryBreakdown m = e->Evaluate(l);
      const PeakMemory p = e->EvaluatePeak(l);
      MEMWALL_FUZZ_CHECK(p.peak_bytes == m.peak_bytes);
      for (int i = 0; i < m.num_stages; ++i) {
        MEMWALL_FUZZ_CHECK(m.stages[i].total_bytes >= 0);
        MEMWALL_FUZZ_CHECK(m.stages[i].total_bytes <= m.peak_bytes);
      }
      MEMWALL_FUZZ_CHECK(m.fits == (m.peak_bytes <= m.capacity_bytes));
      absl::StatusOr<MemoryReport> report =
          BuildMemoryReport(model, training, profile, l, &cluster);
      MEMWALL_FUZZ_CHECK(report.ok());
      MEMWALL_FUZZ_CHECK(CheckReportValues(*report).ok());
      if (profile != PROFILE_MEMWALL) continue;
      absl::StatusOr<TransformerShape> shape =
          ShapeFromModel(model, training.seq_len());
      absl::StatusOr<ClusterParams> params =
          ClusterParamsFromSpec(cluster, BF16);
      if (!shape.ok() || !params.ok()) continue;
      absl::StatusOr<StepContext> ctx =
          MakeStepContext(*shape, *params, training);
      if (!ctx.ok()) continue;
      const StepTime t = EvaluateStepTime(*ctx, l);
      MEMWALL_FUZZ_CHECK(std::isfinite(t.step_time_s) && t.step_time_s > 0);
    }
  }
}

void CheckGraph(const ModelSpec& model, const ClusterSpec& cluster) {
  TrainingSpec training;
  training.set_seq_len(1);
  training.set_global_batch(8);
  training.set_dtype(FP32);
  training.set_optimizer(SGD_MOMENTUM);
  ParallelLayout l;
  l.dp = 2;
  absl::StatusOr<MemoryReport> report = BuildGraphMemoryReport(
      model, training, PROFILE_MEMWALL, l, &cluster, StageBalance::kCompute);
  if (report.ok()) MEMWALL_FUZZ_CHECK(CheckReportValues(*report).ok());
}

}  // namespace
}  // namespace memwall

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace memwall;  // NOLINT: fuzz entry point
  static const ClusterSpec* cluster =
      new ClusterSpec(LoadCluster("dgx-a100-80g").value());
  ModelSpec model;
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (!MergeTextProto(text, "fuzz", &model).ok()) return 0;
  if (model.has_transformer()) {
    if (ValidateModel(model).ok()) CheckTransformer(model, *cluster);
  } else if (model.has_graph()) {
    CheckGraph(model, *cluster);
  }
  return 0;
}
