#include "planner/validation/evaluate_run.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status.h"
#include "planner/layout/parallel_layout.h"
#include "planner/memory/evaluator.h"
#include "planner/model/zoo.h"
#include "planner/timing/cluster_params.h"
#include "planner/validation/measured.h"

namespace memwall {

ScheduleOptions ScheduleOf(const ValidationRun& run) {
  ScheduleOptions o;
  o.tp_overlap = run.tp_overlap();
  return o;
}

std::string ValidationLayoutText(const Layout& l) {
  std::string s = absl::StrFormat("t%dp%dd%d", l.tp(), l.pp(), l.dp());
  if (l.cp() > 1) absl::StrAppendFormat(&s, "c%d", l.cp());
  if (l.vpp() > 1) absl::StrAppendFormat(&s, "v%d", l.vpp());
  absl::StrAppendFormat(&s, "b%d", l.micro_batch());
  if (l.zero_stage() > 0) absl::StrAppendFormat(&s, "z%d", l.zero_stage());
  if (l.recompute() == RECOMPUTE_FULL) s += "F";
  if (l.recompute() == RECOMPUTE_SELECTIVE) s += "S";
  return s;
}

absl::StatusOr<ClusterSpec> ClusterOfRun(const LoadedRun& r) {
  absl::StatusOr<ClusterSpec> cluster = LoadCluster(r.run.cluster());
  if (!cluster.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(RowLabel(r), ": cluster=\"", r.run.cluster(),
                     "\": ", cluster.status().message()));
  }
  return cluster;
}

absl::StatusOr<ValidationCase> EvaluateRun(const LoadedRun& r,
                                           const ClusterSpec& cluster) {
  const ValidationRun& run = r.run;
  const TrainingSpec& training = run.training();
  auto in_row = [&](const absl::Status& s) {
    return absl::Status(s.code(), absl::StrCat(RowLabel(r), ": ", s.message()));
  };
  absl::StatusOr<TransformerShape> shape =
      ShapeFromModel(r.model, training.seq_len());
  if (!shape.ok()) return in_row(shape.status());
  absl::StatusOr<ClusterParams> params =
      ClusterParamsFromSpec(cluster, training.dtype(), run.stack());
  if (!params.ok()) return in_row(params.status());
  absl::StatusOr<StepContext> ctx = MakeStepContext(*shape, *params, training);
  if (!ctx.ok()) return in_row(ctx.status());
  const ParallelLayout layout = FromProto(run.layout());
  const StepTime time = EvaluateStepTime(*ctx, layout, ScheduleOf(run));

  ValidationCase c;
  c.set_name(run.name());
  c.set_source(absl::StrCat(run.source(), ", ", run.table()));
  c.set_source_key(r.source_key);
  c.set_cluster(cluster.name());
  c.set_stack(run.stack());
  c.set_dtype(training.dtype());
  c.set_seq_len(training.seq_len());
  *c.mutable_layout() = ToProto(layout);
  c.set_gpus(run.gpus());
  c.set_global_batch(training.global_batch());
  const double measured = MeasuredStepTime(run, *shape);
  c.set_published_step_time_s(measured);
  c.set_predicted_step_time_s(time.step_time_s);
  c.set_error(time.step_time_s / measured - 1.0);
  *c.mutable_time() = ToTimeBreakdown(*ctx, time, layout);
  // TFLOP/s per GPU as the source counts FLOPs, measured and predicted.
  const double flops = SourceFlopsPerStep(run, *shape);
  const double gpus = static_cast<double>(run.gpus());
  c.set_published_tflops_per_gpu(flops / (measured * gpus) / 1e12);
  c.set_predicted_tflops_per_gpu(flops / (time.step_time_s * gpus) / 1e12);

  absl::StatusOr<MemoryEvaluator> memory =
      MemoryEvaluator::Create(r.model, training, PROFILE_MEMWALL, &cluster);
  if (!memory.ok()) return in_row(memory.status());
  const PeakMemory peak = memory->EvaluatePeak(layout);
  c.set_fits(peak.fits);
  c.set_peak_memory_bytes(peak.peak_bytes);
  c.set_fit_exception(run.fit_exception());
  return c;
}

absl::StatusOr<ValidationReport> BuildValidationReport(
    const std::vector<LoadedRun>& runs, const ClusterSpec* cluster) {
  ValidationReport report;
  if (cluster != nullptr) report.set_cluster(cluster->name());
  std::map<std::string, ClusterSpec> clusters;
  std::map<std::string, int> source_index;
  double sum = 0;
  double max = 0;
  for (const LoadedRun& r : runs) {
    const ClusterSpec* on = cluster;
    if (on == nullptr) {
      auto it = clusters.find(r.run.cluster());
      if (it == clusters.end()) {
        MEMWALL_ASSIGN_OR_RETURN(ClusterSpec spec, ClusterOfRun(r));
        it = clusters.emplace(r.run.cluster(), std::move(spec)).first;
      }
      on = &it->second;
    }
    MEMWALL_ASSIGN_OR_RETURN(ValidationCase c, EvaluateRun(r, *on));
    const double e = std::abs(c.error());
    sum += e;
    max = std::max(max, e);
    auto [it, added] =
        source_index.emplace(r.source_key, report.sources_size());
    if (added) report.add_sources()->set_source_key(r.source_key);
    ValidationSourceSummary* s = report.mutable_sources(it->second);
    s->set_rows(s->rows() + 1);
    s->set_mean_abs_error(s->mean_abs_error() + e);  // a sum until the end
    s->set_max_abs_error(std::max(s->max_abs_error(), e));
    s->set_fits(s->fits() + (c.fits() ? 1 : 0));
    *report.add_cases() = std::move(c);
  }
  for (ValidationSourceSummary& s : *report.mutable_sources()) {
    s.set_mean_abs_error(s.mean_abs_error() / static_cast<double>(s.rows()));
  }
  if (!runs.empty()) {
    report.set_mean_abs_error(sum / static_cast<double>(runs.size()));
  }
  report.set_max_abs_error(max);
  return report;
}

}  // namespace memwall
