// memwall validate: predicted vs measured step time for the published runs of
// validation/ (or a user's --runs), per row and per source, and whether memwall
// predicts each run fits (planner/validation).
#include <cmath>
#include <iostream>

#include "absl/strings/str_format.h"
#include "common/status.h"
#include "planner/cli/commands.h"
#include "planner/cli/output.h"
#include "planner/model/zoo.h"
#include "planner/report/html/pages.h"
#include "planner/timing/compute_efficiency.h"
#include "planner/validation/evaluate_run.h"
#include "planner/validation/runs.h"
#include "proto/plan.pb.h"

namespace memwall {
absl::Status RunValidate(const Flags& flags) {
  MEMWALL_ASSIGN_OR_RETURN(const Format format, GetFormat(flags, false, true));
  MEMWALL_ASSIGN_OR_RETURN(const std::string runs_path,
                           flags.GetString("runs", ""));
  MEMWALL_ASSIGN_OR_RETURN(const std::string source,
                           flags.GetString("source", ""));
  MEMWALL_ASSIGN_OR_RETURN(const std::string cluster_name,
                           flags.GetString("cluster", ""));
  MEMWALL_ASSIGN_OR_RETURN(const bool all, flags.GetBool("all", false));
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("validate"));
  MEMWALL_ASSIGN_OR_RETURN(std::vector<LoadedRun> runs, LoadRuns(runs_path));
  MEMWALL_ASSIGN_OR_RETURN(runs, FilterRuns(std::move(runs), source));
  std::optional<ClusterSpec> cluster;
  if (!cluster_name.empty()) {
    MEMWALL_ASSIGN_OR_RETURN(cluster, LoadCluster(cluster_name));
  }
  MEMWALL_ASSIGN_OR_RETURN(
      const ValidationReport report,
      BuildValidationReport(runs, cluster ? &*cluster : nullptr));

  std::string table = absl::StrFormat(
      "# predicted vs measured step time%s; one efficiency set per cluster, "
      "nothing fitted per row\n"
      "%-44s %5s %-16s %-8s %-4s %9s %9s %7s %6s %4s\n",
      cluster ? absl::StrCat(" on ", cluster->name()) : "", "run", "gpus",
      "layout", "stack", "prec", "measured", "predicted", "error", "mfu",
      "fits");
  int shown = 0;
  for (const ValidationCase& c : report.cases()) {
    // Without --all, the table shows rows of sources with few rows and the
    // rows off by more than 10%; JSON and text proto always hold every row.
    const bool worth = std::abs(c.error()) > 0.10 || !c.fits();
    if (!all && report.cases_size() > 40 && !worth) continue;
    ++shown;
    absl::StrAppendFormat(
        &table,
        "%-44s %5d %-16s %-8s %-4s %8.3fs %8.3fs %+6.1f%% %5.1f%% %4s\n",
        c.name(), c.gpus(), ValidationLayoutText(c.layout()),
        StackName(c.stack()),
        c.dtype() == FP8 ? "fp8" : (c.dtype() == FP16 ? "fp16" : "bf16"),
        c.published_step_time_s(), c.predicted_step_time_s(), 100 * c.error(),
        100 * c.time().mfu(),
        c.fits() ? "yes" : (c.fit_exception().empty() ? "NO" : "no*"));
  }
  if (shown < report.cases_size()) {
    absl::StrAppendFormat(&table,
                          "(%d rows within 10%% not shown; --all shows them)\n",
                          report.cases_size() - shown);
  }
  absl::StrAppendFormat(&table, "\n%-36s %5s %12s %11s %6s\n", "source", "rows",
                        "mean |error|", "max |error|", "fit");
  for (const ValidationSourceSummary& s : report.sources()) {
    absl::StrAppendFormat(&table, "%-36s %5d %11.1f%% %10.1f%% %3d/%d\n",
                          s.source_key(), s.rows(), 100 * s.mean_abs_error(),
                          100 * s.max_abs_error(), s.fits(), s.rows());
  }
  absl::StrAppendFormat(&table,
                        "all: %d rows, mean |error| %.1f%%, max |error| "
                        "%.1f%%\n",
                        report.cases_size(), 100 * report.mean_abs_error(),
                        100 * report.max_abs_error());
  MEMWALL_RETURN_IF_ERROR(PrintReport(
      format, report, table, [&] { return html::ValidatePage(report); }));
  return absl::OkStatus();
}

}  // namespace memwall
