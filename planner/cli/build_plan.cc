#include "planner/cli/build_plan.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/units.h"
#include "planner/report/plan_report.h"
#include "planner/search/fit.h"

namespace memwall {

absl::StatusOr<PlanReport> BuildPlan(const PlanRequest& request) {
  if (!request.gpus) {
    return absl::InvalidArgumentError("--gpus (or --nodes) is required");
  }
  MEMWALL_ASSIGN_OR_RETURN(const StepContext ctx, MakeContext(request));
  const int64_t gpus = *request.gpus;
  const SearchConstraints& c = request.constraints;
  SearchResult result;
  if (c.tp && c.pp) {
    MEMWALL_ASSIGN_OR_RETURN(const ParallelLayout layout,
                             GivenLayout(ctx, gpus, c));
    const ScheduleOptions options = CompleteSchedule(c);
    MEMWALL_ASSIGN_OR_RETURN(
        const ScoredLayout scored,
        ScoreLayout(ctx, *request.options.memory, layout, options));
    result.space_size = 1;
    result.evaluated = 1;
    result.best.push_back(scored);
    if (scored.memory.fits) {
      result.feasible = 1;
    } else {
      result.rejected[kRejectActivations] = 1;
    }
  } else {
    MEMWALL_ASSIGN_OR_RETURN(result,
                             SearchLayouts(ctx, gpus, c, request.options));
  }
  PlanReport report =
      BuildPlanReport(ctx, *request.options.memory, request.model.name(),
                      request.cluster.name(), gpus, request.training, result);
  if (result.feasible == 0 && !result.best.empty()) {
    report.set_found(false);
    const MemoryReport& m = report.candidates(0).memory();
    report.add_notes(absl::StrCat(
        "the given layout does not fit: peak ", FormatGiB(m.peak_bytes()),
        " (stage ", m.peak_stage(), ") > ", FormatGiB(m.capacity_bytes()),
        " (memwall fit shows changes that fit)"));
  }
  return report;
}

}  // namespace memwall
