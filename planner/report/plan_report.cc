#include "planner/report/plan_report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/enum_names.h"
#include "common/units.h"
#include "planner/memory/memory_report.h"
#include "planner/timing/step_comm.h"
#include "planner/validation/mechanisms.h"

namespace memwall {

Candidate ToCandidate(const StepContext& ctx, const MemoryEvaluator& memory,
                      const std::string& cluster_name, const ScoredLayout& s,
                      int rank) {
  Candidate c;
  c.set_rank(rank);
  Layout layout = ToProto(s.layout);
  layout.set_order(s.options.pp_inside_dp ? "tp-cp-ep-pp-dp"
                                          : "tp-cp-ep-dp-pp");
  *c.mutable_layout() = layout;
  // Every stage, as `memwall memory` reports this layout.
  MemoryReport* m = c.mutable_memory();
  *m = ToMemoryReport(memory, s.layout, memory.Evaluate(s.layout), nullptr);
  m->set_cluster(cluster_name);
  *m->mutable_layout() = layout;
  *c.mutable_time() = ToTimeBreakdown(ctx, s.time, s.layout);
  c.set_step_time_s(s.time.step_time_s);
  c.set_mfu(c.time().mfu());
  if (ctx.train_tokens > 0) {
    c.set_days_to_train(ctx.train_tokens / c.time().tokens_per_s() / 86400.0);
  }
  c.set_tp_overlap(s.options.tp_overlap);
  c.set_dp_overlap(s.options.dp_overlap);
  const MicroBatchCosts costs =
      ComputeMicroBatchCosts(ctx.shape, ctx.cluster, KeyOf(s.layout));
  for (const StepCommOpValue& op :
       StepCommOps(ctx, costs, s.layout, s.options)) {
    *c.add_comm_ops() = ToProto(op);
  }
  c.set_micro_batches(static_cast<int64_t>(MicroBatches(ctx, s.layout)));
  for (std::string& m :
       UnvalidatedMechanisms(ctx, s.layout, s.options, cluster_name)) {
    c.add_unvalidated(std::move(m));
  }
  return c;
}

PlanReport BuildPlanReport(const StepContext& ctx,
                           const MemoryEvaluator& memory,
                           const std::string& model, const std::string& cluster,
                           int64_t gpus, const TrainingSpec& training,
                           const SearchResult& result) {
  PlanReport report;
  report.set_model(model);
  report.set_cluster(cluster);
  report.set_gpus(gpus);
  *report.mutable_training() = training;
  report.set_peak_flops_per_gpu(ctx.cluster.peak_flops);
  int rank = 1;
  for (const ScoredLayout& s : result.best) {
    *report.add_candidates() = ToCandidate(ctx, memory, cluster, s, rank++);
  }
  report.set_found(!result.best.empty());
  SearchStats* stats = report.mutable_search();
  stats->set_space_size(result.space_size);
  stats->set_evaluated(result.evaluated);
  stats->set_feasible(result.feasible);
  stats->set_seconds(result.seconds);
  stats->set_threads(result.threads);
  for (const SampledLayout& p : result.landscape) {
    Candidate c;
    *c.mutable_layout() = ToProto(p.layout);
    c.mutable_layout()->set_order(p.options.pp_inside_dp ? "tp-cp-ep-pp-dp"
                                                         : "tp-cp-ep-dp-pp");
    c.set_tp_overlap(p.options.tp_overlap);
    c.set_dp_overlap(p.options.dp_overlap);
    LandscapePoint* out = stats->add_landscape();
    out->set_step_time_s(p.step_time_s);
    out->set_peak_bytes(p.peak_bytes);
    out->set_layout(LayoutSummary(c));
  }
  if (result.indivisible_degree_tuples > 0) {
    RejectionCount* r = stats->add_rejected();
    r->set_reason(
        "indivisible degree tuples (tp, cp, pp, dp, ep), outside space_size");
    r->set_count(result.indivisible_degree_tuples);
  }
  for (int i = 0; i < kNumRejectReasons; ++i) {
    if (result.rejected[i] == 0) continue;
    RejectionCount* r = stats->add_rejected();
    r->set_reason(RejectReasonName(static_cast<RejectReason>(i)));
    r->set_count(result.rejected[i]);
  }
  if (!report.found()) {
    report.add_notes(absl::StrCat(
        "no layout of ", model, " fits ", gpus, " GPUs of ", cluster,
        result.space_size > 0
            ? " (every layout exceeds memory; see the rejection counts)"
        : result.indivisible_degree_tuples > 0
            ? absl::StrCat(" (no split of ", gpus,
                           " GPUs into tp x cp x pp x dp fits the model and "
                           "the batch: dp must divide --global_batch=",
                           training.global_batch(),
                           ", tp the heads, cp the sequence, pp at most the "
                           "layers and at most 256)")
            : std::string(" (the fixed flags leave no layout to evaluate)")));
  }
  return report;
}

std::string PeakStageLine(const MemoryReport& m) {
  const StageMemory& s = m.stages(m.peak_stage());
  return absl::StrFormat(
      "weights %s + gradients %s + optimizer %s + activations %s + other %s = "
      "%s",
      FormatGiB(s.weights_bytes()), FormatGiB(s.gradients_bytes()),
      FormatGiB(s.optimizer_bytes()), FormatGiB(s.activations_bytes()),
      FormatGiB(s.other_bytes()), FormatGiB(s.total_bytes()));
}

std::string LayoutSummary(const Candidate& c) {
  const Layout& l = c.layout();
  std::string s = absl::StrFormat("t%d p%d", l.tp(), l.pp());
  if (l.vpp() > 1) absl::StrAppend(&s, " v", l.vpp());
  absl::StrAppend(&s, " d", l.dp());
  if (l.cp() > 1) absl::StrAppend(&s, " c", l.cp());
  if (l.ep() > 1) absl::StrAppend(&s, " e", l.ep());
  absl::StrAppendFormat(&s, " mb%d z%d %s", l.micro_batch(), l.zero_stage(),
                        EnumName(l.recompute()));
  if (l.sequence_parallel()) absl::StrAppend(&s, " sp");
  if (l.flash_attention()) absl::StrAppend(&s, " flash");
  if (l.offload() != OFFLOAD_NONE)
    absl::StrAppend(&s, " off=", EnumName(l.offload()));
  if (c.tp_overlap()) absl::StrAppend(&s, " tpov");
  if (!c.dp_overlap() && l.dp() * std::max<int64_t>(1, l.cp()) > 1) {
    absl::StrAppend(&s, " no-dpov");
  }
  if (l.order() == "tp-cp-ep-pp-dp") absl::StrAppend(&s, " pp<dp");
  return s;
}

std::string PlanTable(const PlanReport& r) {
  std::string out = absl::StrFormat(
      "# %s on %d GPUs of %s, global batch %d, seq %d\n", r.model(), r.gpus(),
      r.cluster(), r.training().global_batch(), r.training().seq_len());
  for (const std::string& n : r.notes())
    absl::StrAppend(&out, "note: ", n, "\n");
  if (r.candidates_size() > 0) {
    int width = 6;  // the layout column fits the longest summary
    for (const Candidate& c : r.candidates()) {
      width = std::max(width, static_cast<int>(LayoutSummary(c).size()));
    }
    absl::StrAppendFormat(&out, "%-4s %-*s %9s %6s %6s %10s %10s %9s\n", "rank",
                          width, "layout", "step", "mfu", "hfu", "tokens/s",
                          "peak mem", "days");
    for (const Candidate& c : r.candidates()) {
      absl::StrAppendFormat(
          &out, "%-4d %-*s %8.3fs %5.1f%% %5.1f%% %10.0f %10s %9s\n", c.rank(),
          width, LayoutSummary(c), c.step_time_s(), 100 * c.mfu(),
          100 * c.time().hfu(), c.time().tokens_per_s(),
          FormatGiB(static_cast<double>(c.memory().peak_bytes())),
          c.days_to_train() > 0 ? absl::StrFormat("%.1f", c.days_to_train())
                                : std::string("-"));
    }
    for (const Candidate& c : r.candidates()) {
      if (c.unvalidated_size() == 0) continue;
      absl::StrAppendFormat(&out, "rank %d unvalidated: %s\n", c.rank(),
                            absl::StrJoin(c.unvalidated(), ", "));
    }
    const Candidate& b = r.candidates(0);
    const TimeBreakdown& t = b.time();
    absl::StrAppendFormat(&out,
                          "\nbest: step %.3f s = forward %.3f + backward %.3f "
                          "+ recompute %.3f + tp %.3f + cp "
                          "%.3f + ep %.3f + pp %.3f + bubble %.3f + dp exposed "
                          "%.3f (of %.3f) + zero3 %.3f (of %.3f) + "
                          "optimizer %.3f + offload %.3f + overlap slowdown "
                          "%.3f\n",
                          t.step_time_s(), t.forward_s(), t.backward_s(),
                          t.recompute_s(), t.tp_comm_s(), t.cp_comm_s(),
                          t.ep_comm_s(), t.pp_comm_s(), t.bubble_s(),
                          t.dp_exposed_s(), t.dp_comm_s(), t.zero3_exposed_s(),
                          t.zero3_gather_s(), t.optimizer_s(), t.offload_s(),
                          t.overlap_slowdown_s());
    absl::StrAppendFormat(&out, "best: memory of stage %d = %s of %s\n",
                          b.memory().peak_stage(), PeakStageLine(b.memory()),
                          FormatGiB(b.memory().capacity_bytes()));
  }
  const SearchStats& s = r.search();
  absl::StrAppendFormat(
      &out,
      "\nsearch: %d layouts in the space, %d evaluated, %d fit; %.3f s on %d "
      "thread(s)\n",
      s.space_size(), s.evaluated(), s.feasible(), s.seconds(), s.threads());
  for (const RejectionCount& rc : s.rejected()) {
    absl::StrAppendFormat(&out, "  rejected %12d  %s\n", rc.count(),
                          rc.reason());
  }
  return out;
}

}  // namespace memwall
