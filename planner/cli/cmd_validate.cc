// memwall validate: predicted vs published step time for the published runs of
// planner/timing/validation_cases.h, with the error of each and the mean.
#include <cmath>
#include <iostream>

#include "absl/strings/str_format.h"
#include "common/status.h"
#include "planner/cli/commands.h"
#include "planner/cli/output.h"
#include "planner/model/zoo.h"
#include "planner/report/html/pages.h"
#include "planner/timing/step_time.h"
#include "planner/timing/validation_cases.h"
#include "proto/plan.pb.h"

namespace memwall {

absl::StatusOr<ValidationReport> BuildValidationReport(
    const ClusterSpec& cluster) {
  ValidationReport report;
  report.set_cluster(cluster.name());
  double sum = 0;
  double max = 0;
  for (const PublishedRun& run : PublishedRuns()) {
    const TrainingSpec training = PublishedRunTraining(run);
    MEMWALL_ASSIGN_OR_RETURN(
        const TransformerShape shape,
        ShapeFromModel(PublishedRunModel(run), training.seq_len()));
    MEMWALL_ASSIGN_OR_RETURN(const ClusterParams params,
                             ClusterParamsFromSpec(cluster, training.dtype()));
    MEMWALL_ASSIGN_OR_RETURN(const StepContext ctx,
                             MakeStepContext(shape, params, training));
    const StepTime time = EvaluateStepTime(ctx, run.layout);
    ValidationCase* c = report.add_cases();
    c->set_name(run.name);
    c->set_source(run.source);
    *c->mutable_layout() = ToProto(run.layout);
    c->set_gpus(run.gpus);
    c->set_global_batch(run.global_batch);
    c->set_published_step_time_s(run.step_time_s);
    c->set_predicted_step_time_s(time.step_time_s);
    c->set_error(time.step_time_s / run.step_time_s - 1.0);
    c->set_published_tflops_per_gpu(run.tflops_per_gpu);
    *c->mutable_time() = ToTimeBreakdown(ctx, time, run.layout);
    // TFLOP/s per GPU as the source counts it: Narayanan includes the recompute
    // forward.
    const double flops = run.tflops_per_gpu > 0 ? run.tflops_per_gpu * 1e12 *
                                                      run.gpus * run.step_time_s
                                                : c->time().model_flops();
    c->set_predicted_tflops_per_gpu(flops / (time.step_time_s * run.gpus) /
                                    1e12);
    sum += std::abs(c->error());
    max = std::max(max, std::abs(c->error()));
  }
  report.set_mean_abs_error(sum / report.cases_size());
  report.set_max_abs_error(max);
  return report;
}

absl::Status RunValidate(const Flags& flags) {
  MEMWALL_ASSIGN_OR_RETURN(const Format format, GetFormat(flags, false, true));
  MEMWALL_ASSIGN_OR_RETURN(const std::string cluster_name,
                           flags.GetString("cluster", kValidationCluster));
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("validate"));
  MEMWALL_ASSIGN_OR_RETURN(const ClusterSpec cluster,
                           LoadCluster(cluster_name));
  MEMWALL_ASSIGN_OR_RETURN(const ValidationReport report,
                           BuildValidationReport(cluster));
  std::string table = absl::StrFormat(
      "# predicted vs published step time on %s (one set of cluster "
      "efficiencies)\n"
      "%-30s %5s %9s %9s %8s %8s %8s %7s\n",
      cluster.name(), "case", "gpus", "layout", "published", "predicted",
      "error", "tflops", "mfu");
  for (const ValidationCase& c : report.cases()) {
    const std::string layout = absl::StrFormat(
        "t%dp%dd%d", c.layout().tp(), c.layout().pp(), c.layout().dp());
    absl::StrAppendFormat(
        &table, "%-30s %5d %9s %8.3fs %8.3fs %+7.1f%% %8.1f %6.1f%%\n",
        c.name(), c.gpus(), layout, c.published_step_time_s(),
        c.predicted_step_time_s(), 100 * c.error(),
        c.predicted_tflops_per_gpu(), 100 * c.time().mfu());
  }
  absl::StrAppendFormat(&table, "mean |error| %.1f%%, max |error| %.1f%%\n",
                        100 * report.mean_abs_error(),
                        100 * report.max_abs_error());
  absl::StrAppend(&table, "sources:\n");
  for (const PublishedRun& run : PublishedRuns()) {
    absl::StrAppendFormat(&table, "  %s: %s; %s\n", run.name, run.source,
                          run.note);
  }
  MEMWALL_RETURN_IF_ERROR(PrintReport(
      format, report, table, [&] { return html::ValidatePage(report); }));
  return absl::OkStatus();
}

}  // namespace memwall
