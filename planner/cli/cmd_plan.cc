// memwall plan: the fastest layouts of a model on N GPUs of a cluster that fit
// in memory, with memory and step-time breakdowns; or, when --tp and --pp are
// both given, that one layout (other options at their defaults unless given).
#include "absl/strings/str_cat.h"
#include "common/progress.h"
#include "common/status.h"
#include "planner/cli/build_plan.h"
#include "planner/cli/commands.h"
#include "planner/cli/output.h"
#include "planner/cli/plan_request.h"
#include "planner/report/html/plan_page.h"
#include "planner/report/plan_report.h"

namespace memwall {
namespace {

// Fitted layouts sampled for the HTML page's landscape: enough to show its
// shape, few enough to keep a page small.
constexpr int64_t kHtmlLandscapePoints = 3000;
constexpr int64_t kMaxLandscapePoints = 1000000;

}  // namespace

absl::Status RunPlan(const Flags& flags) {
  MEMWALL_ASSIGN_OR_RETURN(const Format format, GetFormat(flags, false, true));
  MEMWALL_ASSIGN_OR_RETURN(PlanRequest request, ParsePlanRequest(flags, true));
  MEMWALL_ASSIGN_OR_RETURN(
      const int64_t landscape,
      flags.GetInt("landscape",
                   format == Format::kHtml ? kHtmlLandscapePoints : 0));
  if (landscape < 0 || landscape > kMaxLandscapePoints) {
    return absl::InvalidArgumentError(absl::StrCat("--landscape=", landscape,
                                                   " must be in [0, ",
                                                   kMaxLandscapePoints, "]"));
  }
  request.options.landscape_points = static_cast<int>(landscape);
  // A progress line for searches that run past a second, where a person
  // watches the terminal (not for JSON or text-proto output).
  Progress progress(
      "searching layouts",
      Progress::StderrIf(format == Format::kTable || format == Format::kHtml));
  request.options.on_progress = [&progress](int64_t done, int64_t total) {
    progress.Update(done, total, "degree tuples");
  };
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("plan"));
  MEMWALL_ASSIGN_OR_RETURN(const PlanReport report, BuildPlan(request));
  progress.Clear();
  MEMWALL_RETURN_IF_ERROR(PrintReport(format, report, PlanTable(report),
                                      [&] { return html::PlanPage(report); }));
  return absl::OkStatus();
}

}  // namespace memwall
