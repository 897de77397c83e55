// memwall fit: the fewest GPUs (whole nodes) of a cluster on which a model
// trains, with the layout; or, for a given layout (--gpus with --tp/--pp/...),
// whether it fits, what exceeds memory by how much, and the single changes that
// make it fit.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status.h"
#include "common/units.h"
#include "planner/cli/commands.h"
#include "planner/cli/output.h"
#include "planner/cli/plan_request.h"
#include "planner/report/html/pages.h"
#include "planner/report/plan_report.h"
#include "planner/search/fit.h"

namespace memwall {
namespace {

// Node counts `fit` tries when the cluster does not say how many it has.
constexpr int64_t kDefaultMaxNodes = 4096;

}  // namespace

absl::Status RunFit(const Flags& flags) {
  MEMWALL_ASSIGN_OR_RETURN(const Format format, GetFormat(flags, false, true));
  MEMWALL_ASSIGN_OR_RETURN(PlanRequest request, ParsePlanRequest(flags, false));
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("fit"));
  MEMWALL_ASSIGN_OR_RETURN(const StepContext ctx, MakeContext(request));
  FitReport report;
  report.set_model(request.model.name());
  report.set_cluster(request.cluster.name());
  const MemoryEvaluator& memory = *request.options.memory;
  const int64_t capacity = memory.capacity_bytes();
  report.set_capacity_bytes(capacity);
  std::string table;
  request.options.top_k = 1;

  if (request.gpus && request.constraints.any()) {
    const int64_t gpus = *request.gpus;
    MEMWALL_ASSIGN_OR_RETURN(const ParallelLayout layout,
                             GivenLayout(ctx, gpus, request.constraints));
    MEMWALL_ASSIGN_OR_RETURN(
        const ScoredLayout given,
        ScoreLayout(ctx, memory, layout, ScheduleOptions{}));
    const Candidate candidate =
        ToCandidate(ctx, memory, report.cluster(), given, 1);
    *report.mutable_best() = candidate;
    report.set_fits(given.memory.fits);
    table = absl::StrFormat("# %s on %d GPUs of %s: %s\n", report.model(), gpus,
                            report.cluster(), LayoutSummary(candidate));
    absl::StrAppendFormat(
        &table, "peak memory (stage %d): %s of %s\n", given.memory.peak_stage,
        PeakStageLine(candidate.memory()), FormatGiB(capacity));
    if (report.fits()) {
      report.set_min_gpus(gpus);
      absl::StrAppendFormat(&table, "fits; step %.3f s, MFU %.1f%%\n",
                            candidate.step_time_s(), 100 * candidate.mfu());
    } else {
      report.set_excess_bytes(given.memory.peak_bytes - capacity);
      absl::StrAppendFormat(&table, "does not fit: exceeds memory by %s\n",
                            FormatGiB(given.memory.peak_bytes - capacity));
      const std::vector<LayoutFix> fixes =
          SingleChangeFixes(ctx, memory, layout);
      for (const LayoutFix& f : fixes) {
        FitChange* change = report.add_changes();
        change->set_change(f.change);
        *change->mutable_layout() = ToProto(f.layout);
        change->set_peak_bytes(f.memory.peak_bytes);
      }
      if (fixes.empty()) {
        absl::StrAppend(&table, "no single change makes it fit\n");
        report.add_notes("no single change makes the layout fit");
        const std::optional<LayoutFix> fix = FewestChangesFix(
            ctx, gpus, request.constraints, layout, request.options);
        if (fix.has_value()) {
          FitChange* change = report.add_changes();
          change->set_change(fix->change);
          *change->mutable_layout() = ToProto(fix->layout);
          change->set_peak_bytes(fix->memory.peak_bytes);
          absl::StrAppendFormat(
              &table,
              "fewest changes that fit, keeping the given flags "
              "(peak %s):\n  %s\n",
              FormatGiB(fix->memory.peak_bytes), fix->change);
        } else {
          const std::string why = absl::StrCat(
              "no layout with the given flags fits on ", gpus,
              " GPUs; run `memwall fit` without --gpus for the fewest GPUs");
          report.add_notes(why);
          absl::StrAppend(&table, why, "\n");
        }
      } else {
        absl::StrAppend(
            &table,
            "single changes that fit (peak memory after the change):\n");
        for (const FitChange& f : report.changes()) {
          absl::StrAppendFormat(&table, "  %-28s %s\n", f.change(),
                                FormatGiB(f.peak_bytes()));
        }
      }
    }
    MEMWALL_RETURN_IF_ERROR(PrintReport(
        format, report, table, [&] { return html::FitPage(report, table); }));
    return absl::OkStatus();
  }

  const int64_t per_node = request.cluster.gpus_per_node();
  int64_t max_nodes = request.cluster.num_nodes() > 0
                          ? request.cluster.num_nodes()
                          : kDefaultMaxNodes;
  if (request.gpus) max_nodes = std::max<int64_t>(1, *request.gpus / per_node);
  MEMWALL_ASSIGN_OR_RETURN(const MinGpusResult min,
                           MinimumGpus(ctx, per_node, max_nodes,
                                       request.constraints, request.options));
  report.set_min_gpus(min.gpus);
  report.set_fits(min.gpus > 0);
  if (min.gpus > 0) {
    const Candidate best =
        ToCandidate(ctx, memory, report.cluster(), min.search.best.front(), 1);
    *report.mutable_best() = best;
    table = absl::StrFormat(
        "# %s on %s: fits on %d GPUs (%d nodes of %d), global batch %d\n"
        "layout: %s\nstep %.3f s, MFU %.1f%%, peak memory (stage %d) %s of %s\n"
        "(%d node counts searched)\n",
        report.model(), report.cluster(), min.gpus, min.gpus / per_node,
        per_node, ctx.global_batch, LayoutSummary(best), best.step_time_s(),
        100 * best.mfu(), best.memory().peak_stage(),
        PeakStageLine(best.memory()), FormatGiB(capacity),
        min.node_counts_tried);
  } else {
    const std::string why =
        absl::StrCat("no layout of ", report.model(), " fits on up to ",
                     max_nodes * per_node, " GPUs (", max_nodes, " nodes) of ",
                     report.cluster(), " at global batch ", ctx.global_batch);
    report.add_notes(why);
    table = absl::StrCat("# ", why, "\n");
  }
  MEMWALL_RETURN_IF_ERROR(PrintReport(
      format, report, table, [&] { return html::FitPage(report, table); }));
  return absl::OkStatus();
}

}  // namespace memwall
