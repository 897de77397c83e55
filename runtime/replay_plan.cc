#include "runtime/replay_plan.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "google/protobuf/util/json_util.h"
#include "planner/comm/collective.h"
#include "runtime/predict.h"

namespace memwall::runtime {
namespace {

// Sizes and counts a replay can hold: one call's buffers within 2^40 bytes,
// at most 10^8 calls of one op and 10^7 micro-batches per step.
constexpr double kMaxBytes = 1099511627776.0;
constexpr double kMaxCalls = 1e8;
constexpr double kMaxMicroBatches = 1e7;

absl::Status Bad(const std::string& field, const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat(field, message));
}

absl::StatusOr<Phase> ParsePhase(const std::string& name,
                                 const std::string& field) {
  if (name == "forward") return Phase::kForward;
  if (name == "recompute") return Phase::kRecompute;
  if (name == "backward") return Phase::kBackward;
  if (name == "step") return Phase::kStep;
  return Bad(field, absl::StrCat("=", name,
                                 " is not a phase (forward, recompute, "
                                 "backward, step)"));
}

absl::Status CheckSeconds(const std::string& field, double value) {
  if (!std::isfinite(value) || value < 0 || value > 1e9) {
    return Bad(field, absl::StrCat("=", value, " must be 0..1e9 seconds"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ReplayOp> ToReplayOp(const StepCommOp& p,
                                    const std::string& field) {
  ReplayOp op;
  static const char* const kClasses[] = {"tp", "cp", "ep", "pp", "dp", "zero3"};
  bool known = false;
  for (const char* c : kClasses) known = known || p.comm_class() == c;
  if (!known) {
    return Bad(field + ".comm_class",
               absl::StrCat("=", p.comm_class(),
                            " is not a class (tp, cp, ep, pp, dp, zero3)"));
  }
  op.comm_class = p.comm_class();
  MEMWALL_ASSIGN_OR_RETURN(const memwall::Collective planner_op,
                           ParseCollective(p.op(), field + ".op"));
  op.collective = &RuntimeCollective(planner_op);
  op.group = p.group();
  if (p.group_size() < 1 || p.group_stride() < 1) {
    return Bad(field, absl::StrCat(".group_size=", p.group_size(),
                                   " and .group_stride=", p.group_stride(),
                                   " must be >= 1"));
  }
  op.priced = LayoutGroup{p.group_size(), p.group_stride()};
  if (!std::isfinite(p.bytes()) || p.bytes() < 1 || p.bytes() > kMaxBytes) {
    return Bad(field + ".bytes",
               absl::StrCat("=", p.bytes(), " must be 1..2^40"));
  }
  op.bytes = std::llround(p.bytes());
  if (!std::isfinite(p.calls_per_step()) || p.calls_per_step() < 0 ||
      p.calls_per_step() > kMaxCalls) {
    return Bad(field + ".calls_per_step",
               absl::StrCat("=", p.calls_per_step(), " must be 0..1e8"));
  }
  op.calls_per_step = std::llround(p.calls_per_step());
  MEMWALL_ASSIGN_OR_RETURN(op.phase, ParsePhase(p.phase(), field + ".phase"));
  MEMWALL_RETURN_IF_ERROR(CheckSeconds(field + ".time_s", p.time_s()));
  op.plan_time_s = p.time_s();
  return op;
}

}  // namespace

absl::StatusOr<ReplayPlan> ParseReplayPlan(const std::string& json,
                                           const std::string& source,
                                           int64_t candidate) {
  PlanReport report;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed =
      google::protobuf::util::JsonStringToMessage(json, &report, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, " is not a plan report this memwall reads (truncated, not ",
        "the JSON of `memwall plan --format=json`, or from another version): ",
        std::string(parsed.message())));
  }
  if (report.candidates_size() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, " has no candidates (found=", report.found() ? "true" : "false",
        "): nothing to replay"));
  }
  if (candidate < 0 || candidate >= report.candidates_size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--candidate=", candidate, " must be 0..", report.candidates_size() - 1,
        " (the candidates of ", source, ")"));
  }
  const Candidate& c = report.candidates(static_cast<int>(candidate));
  const std::string field = absl::StrCat("candidates[", candidate, "]");
  ReplayPlan plan;
  plan.model = report.model();
  plan.cluster = report.cluster();
  plan.gpus = report.gpus();
  plan.candidate = candidate;
  plan.layout = c.layout();
  MEMWALL_ASSIGN_OR_RETURN(const ReplayLayout layout,
                           ReplayLayoutOf(c.layout()));
  if (layout.gpus > 1 && c.comm_ops_size() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": ", field,
        ".comm_ops is empty: the plan was written by a memwall without replay "
        "data; run `memwall plan --format=json` again"));
  }
  if (c.micro_batches() < 1 || c.micro_batches() > kMaxMicroBatches) {
    return Bad(field + ".micro_batches",
               absl::StrCat("=", c.micro_batches(), " must be 1..1e7"));
  }
  plan.micro_batches = c.micro_batches();
  const TimeBreakdown& t = c.time();
  MEMWALL_RETURN_IF_ERROR(
      CheckSeconds(field + ".time.forward_s", t.forward_s()));
  MEMWALL_RETURN_IF_ERROR(
      CheckSeconds(field + ".time.backward_s", t.backward_s()));
  MEMWALL_RETURN_IF_ERROR(
      CheckSeconds(field + ".time.recompute_s", t.recompute_s()));
  MEMWALL_RETURN_IF_ERROR(
      CheckSeconds(field + ".time.optimizer_s", t.optimizer_s()));
  plan.forward_s = t.forward_s();
  plan.backward_s = t.backward_s();
  plan.recompute_s = t.recompute_s();
  plan.optimizer_s = t.optimizer_s();
  plan.dp_overlap = c.dp_overlap();
  const Layout& l = c.layout();
  plan.layout_summary = absl::StrCat(
      "t", l.tp(), " p", l.pp(), l.vpp() > 1 ? absl::StrCat(" v", l.vpp()) : "",
      " d", l.dp(), l.cp() > 1 ? absl::StrCat(" c", l.cp()) : "",
      l.ep() > 1 ? absl::StrCat(" e", l.ep()) : "", " mb", l.micro_batch(),
      " z", l.zero_stage(), l.sequence_parallel() ? " sp" : "",
      l.order().empty() ? "" : absl::StrCat(" order ", l.order()));
  for (int i = 0; i < c.comm_ops_size(); ++i) {
    const std::string op_field = absl::StrCat(field, ".comm_ops[", i, "]");
    MEMWALL_ASSIGN_OR_RETURN(ReplayOp op, ToReplayOp(c.comm_ops(i), op_field));
    MEMWALL_RETURN_IF_ERROR(
        GroupNamed(layout, op.group, op_field + ".group").status());
    plan.ops.push_back(std::move(op));
  }
  return plan;
}

int64_t CallsInMicroBatch(int64_t calls, int64_t m, int64_t k) {
  // (k+1) calls / m - k calls / m in 128-bit-safe form: calls <= 1e8 and
  // m <= 1e7 keep the products below 2^63.
  return (k + 1) * calls / m - k * calls / m;
}

absl::StatusOr<Layout> LayoutForWorld(const ReplayPlan& plan, int world_size,
                                      bool slice) {
  MEMWALL_ASSIGN_OR_RETURN(const ReplayLayout full,
                           ReplayLayoutOf(plan.layout));
  if (full.gpus == world_size) return plan.layout;
  if (!slice) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the plan's layout (", plan.layout_summary, ") needs ", full.gpus,
        " ranks, the job has ", world_size, ": run with -np ", full.gpus,
        " or pass --slice to replay the data-parallel replicas the job holds"));
  }
  // Whole data-parallel replicas (gpus / dp ranks each), as many as the job
  // holds: a number that divides the plan's dp and keeps expert groups whole
  // (a multiple of ep).
  const int64_t replica = full.gpus / full.dp;
  const int64_t dp = world_size / replica;
  if (world_size % replica != 0 || dp < 1 || dp >= full.dp ||
      full.dp % dp != 0 || dp % full.ep != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--slice: a whole number of data-parallel replicas of ",
        plan.layout_summary, " (tp x pp x cp = ", replica,
        " ranks each, dp a multiple of ep=", full.ep, " dividing dp=", full.dp,
        ") does not match the job's ", world_size, " ranks"));
  }
  Layout sliced = plan.layout;
  sliced.set_dp(dp);
  return sliced;
}

}  // namespace memwall::runtime
