// Text-proto cluster loading: any input either fails validation with a status
// or yields a cluster on which the network model, the GPU count, memory and
// step time are finite (denormal bandwidths and efficiencies once gave NaN).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/textproto.h"
#include "planner/comm/cluster_validate.h"
#include "planner/comm/network_model.h"
#include "planner/memory/evaluator.h"
#include "planner/model/zoo.h"
#include "planner/timing/step_time.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace memwall;  // NOLINT: fuzz entry point
  static const ModelSpec* model = new ModelSpec(LoadModel("gpt1").value());
  ClusterSpec cluster;
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (!MergeTextProto(text, "fuzz", &cluster).ok()) return 0;
  if (!ValidateCluster(cluster).ok()) return 0;
  MEMWALL_FUZZ_CHECK(BuildNetworkModel(cluster).ok());
  absl::StatusOr<int64_t> gpus = ResolveGpuCount(cluster, std::nullopt, 2);
  if (gpus.ok()) MEMWALL_FUZZ_CHECK(*gpus > 0);
  TrainingSpec training;
  training.set_seq_len(512);
  training.set_global_batch(16);
  training.set_dtype(BF16);
  training.set_optimizer(ADAM);
  absl::StatusOr<MemoryEvaluator> e =
      MemoryEvaluator::Create(*model, training, PROFILE_MEMWALL, &cluster);
  MEMWALL_FUZZ_CHECK(e.ok());
  ParallelLayout l;
  l.dp = 2;
  l.tp = l.etp = 2;
  l.pp = 2;
  if (e->CheckLayout(l, l.gpus()).ok()) {
    const MemoryBreakdown m = e->Evaluate(l);
    MEMWALL_FUZZ_CHECK(m.peak_bytes > 0);
    MEMWALL_FUZZ_CHECK(m.fits == (m.peak_bytes <= m.capacity_bytes));
  }
  absl::StatusOr<ClusterParams> params = ClusterParamsFromSpec(cluster, BF16);
  if (!params.ok()) return 0;
  absl::StatusOr<StepContext> ctx =
      MakeStepContext(ShapeFromModel(*model, 512).value(), *params, training);
  if (!ctx.ok()) return 0;
  const StepTime t = EvaluateStepTime(*ctx, l);
  MEMWALL_FUZZ_CHECK(std::isfinite(t.step_time_s) && t.step_time_s > 0);
  return 0;
}
