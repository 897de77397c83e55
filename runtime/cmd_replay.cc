// memwall-run replay: reads a plan, builds the layout's communicators from
// MPI_COMM_WORLD through the planner's group derivation (layout_groups.h), runs
// one step's communication (replay.h), and prints measured against predicted
// per communication class and in total, nccl-tests style, plus --json.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/flags.h"
#include "common/progress.h"
#include "common/report_check.h"
#include "common/status.h"
#include "common/textproto.h"
#include "common/units.h"
#include "planner/cli/build_plan.h"
#include "planner/cli/plan_request.h"
#include "proto/replay.pb.h"
#include "runtime/commands.h"
#include "runtime/groups.h"
#include "runtime/mpi_communicator.h"
#include "runtime/nccl_communicator.h"
#include "runtime/predict.h"
#include "runtime/replay.h"
#include "runtime/replay_table.h"
#include "runtime/watchdog.h"

namespace memwall::runtime {
namespace {

struct ReplayCommand {
  std::string plan;
  // Set when the plan comes from memwall plan's flags (--model ...) rather
  // than a saved --plan.
  std::optional<PlanRequest> request;
  int64_t candidate = 0;
  ReplayOptions options;
  std::string backend;
  std::string cluster;
  std::string mpi_algorithm;
  MpiOptions mpi_options;
  bool slice = false;
  bool grouped_sends = false;      // --pipeline_sends=grouped (MPI backend)
  bool grad_reduce_after = false;  // --grad_reduce=after
  std::optional<double> expect_ratio;
  std::string json;
  double timeout_s = 300;
  ProgressMode progress = ProgressMode::kAuto;
};

absl::StatusOr<ReplayCommand> ParseReplay(int argc, char** argv) {
  MEMWALL_ASSIGN_OR_RETURN(Flags flags, Flags::Parse(argc, argv, 2));
  ReplayCommand c;
  ReplayOptions& o = c.options;
  MEMWALL_ASSIGN_OR_RETURN(c.plan, flags.GetString("plan", ""));
  MEMWALL_ASSIGN_OR_RETURN(c.candidate, flags.GetInt("candidate", 0));
  MEMWALL_ASSIGN_OR_RETURN(int64_t steps, flags.GetInt("steps", 3));
  MEMWALL_ASSIGN_OR_RETURN(int64_t warmup, flags.GetInt("warmup_steps", 1));
  MEMWALL_ASSIGN_OR_RETURN(std::string compute,
                           flags.GetString("compute", "sleep"));
  // With --model the plan is built from memwall plan's flags, whose --cluster
  // and --dtype (the plan's cluster and training dtype) are then the plan's:
  // replay predicts on the plan's cluster and fills float32 buffers.
  if (flags.Has("model")) {
    if (!c.plan.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--plan=", c.plan,
                       " and --model: give a saved plan or memwall plan's "
                       "flags, not both"));
    }
    MEMWALL_ASSIGN_OR_RETURN(PlanRequest request,
                             ParsePlanRequest(flags, /*need_gpus=*/true));
    c.request = std::move(request);
  } else {
    MEMWALL_ASSIGN_OR_RETURN(std::string dtype,
                             flags.GetString("dtype", "float32"));
    MEMWALL_ASSIGN_OR_RETURN(o.type, ParseDataType(dtype));
  }
  MEMWALL_ASSIGN_OR_RETURN(o.check, flags.GetBool("check", true));
  MEMWALL_ASSIGN_OR_RETURN(
      o.max_buffer_bytes, flags.GetBytes("max_buffer_bytes", int64_t{4} << 30));
  MEMWALL_ASSIGN_OR_RETURN(c.backend, flags.GetString("backend", "mpi"));
  if (!c.request) {
    MEMWALL_ASSIGN_OR_RETURN(c.cluster, flags.GetString("cluster", ""));
  }
  MEMWALL_ASSIGN_OR_RETURN(c.mpi_algorithm,
                           flags.GetString("mpi_algorithm", "tuned_default"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t segment,
                           flags.GetBytes("segment_bytes", 131072));
  c.mpi_options.segment_bytes = static_cast<double>(segment);
  MEMWALL_ASSIGN_OR_RETURN(c.slice, flags.GetBool("slice", false));
  MEMWALL_ASSIGN_OR_RETURN(const std::string sends,
                           flags.GetString("pipeline_sends", "eager"));
  if (sends != "eager" && sends != "grouped") {
    return absl::InvalidArgumentError(
        absl::StrCat("--pipeline_sends=", sends, " must be eager or grouped"));
  }
  c.grouped_sends = sends == "grouped";
  MEMWALL_ASSIGN_OR_RETURN(const std::string grad_reduce,
                           flags.GetString("grad_reduce", "plan"));
  if (grad_reduce != "plan" && grad_reduce != "after") {
    return absl::InvalidArgumentError(
        absl::StrCat("--grad_reduce=", grad_reduce, " must be plan or after"));
  }
  c.grad_reduce_after = grad_reduce == "after";
  if (flags.Has("expect_ratio")) {
    MEMWALL_ASSIGN_OR_RETURN(double r, flags.GetDouble("expect_ratio", 0));
    c.expect_ratio = r;
  }
  MEMWALL_ASSIGN_OR_RETURN(c.json, flags.GetString("json", ""));
  MEMWALL_ASSIGN_OR_RETURN(c.timeout_s, ParseTimeout(flags));
  MEMWALL_ASSIGN_OR_RETURN(const std::string progress,
                           flags.GetString("progress", "auto"));
  MEMWALL_ASSIGN_OR_RETURN(c.progress, ParseProgressMode(progress));
  MEMWALL_ASSIGN_OR_RETURN(int64_t corrupt, flags.GetInt("corrupt_rank", -1));
  o.corrupt_rank = static_cast<int>(corrupt);
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("replay"));

  auto bad = [](const std::string& m) { return absl::InvalidArgumentError(m); };
  if (c.plan.empty() && !c.request) {
    return bad(
        "--plan=FILE (the JSON of memwall plan) or memwall plan's flags "
        "(--model --cluster --gpus ...) are required");
  }
  if (steps < 1 || steps > 1000)
    return bad(absl::StrCat("--steps=", steps, " must be 1..1000"));
  if (warmup < 0 || warmup > 1000)
    return bad(absl::StrCat("--warmup_steps=", warmup, " must be 0..1000"));
  if (compute != "sleep" && compute != "none")
    return bad(absl::StrCat("--compute=", compute, " must be sleep or none"));
  if (c.backend != "mpi" && c.backend != "nccl")
    return bad(absl::StrCat("--backend=", c.backend, " must be mpi or nccl"));
  if (o.max_buffer_bytes < 1) {
    return bad(absl::StrCat("--max_buffer_bytes=", o.max_buffer_bytes,
                            " must be >= 1"));
  }
  if (c.mpi_options.segment_bytes < 1) {
    return bad(absl::StrCat("--segment_bytes=", c.mpi_options.segment_bytes,
                            " must be >= 1"));
  }
  if (c.expect_ratio && !(*c.expect_ratio > 0)) {
    return bad(
        absl::StrCat("--expect_ratio=", *c.expect_ratio, " must be > 0"));
  }
  o.steps = static_cast<int>(steps);
  o.warmup_steps = static_cast<int>(warmup);
  o.sleep_compute = compute == "sleep";
  return c;
}

// Rank 0 reads the file (or its stdin for "-") and every rank gets its bytes,
// so the plan need only be on rank 0's machine.
absl::StatusOr<std::string> ReadOnRank0(const std::string& path) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  std::string text;
  long long size = -1;
  if (rank == 0 && path == "-") {
    // The plan piped in (`memwall plan ... --format=json | mpirun ...
    // memwall-run replay --plan=-`): mpirun forwards its stdin to rank 0. At
    // most 1 GiB + 1 byte is read, so endless input is refused, not buffered.
    constexpr size_t kMost = (size_t{1} << 30) + 1;
    char chunk[65536];
    while (text.size() < kMost && std::cin.read(chunk, sizeof(chunk)).gcount())
      text.append(chunk, static_cast<size_t>(std::cin.gcount()));
    if (!std::cin.bad()) size = static_cast<long long>(text.size());
  } else if (rank == 0 && ReadFile(path, &text).ok()) {
    size = static_cast<long long>(text.size());
  }
  MPI_Bcast(&size, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  if (size < 0)
    return absl::NotFoundError(absl::StrCat("--plan=", path, ": cannot read"));
  if (size > (int64_t{1} << 30)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--plan=", path, ": ", size, " bytes is not a plan"));
  }
  text.resize(static_cast<size_t>(size));
  MPI_Bcast(text.data(), static_cast<int>(size), MPI_CHAR, 0, MPI_COMM_WORLD);
  return text;
}

// Rank 0 builds the plan of memwall plan's flags (the search or the given
// layout) and every rank gets its JSON, as if read from a file: one search,
// and every rank replays the same candidates. An error on rank 0 becomes every
// rank's, with its code and message.
absl::StatusOr<std::string> BuildOnRank0(const PlanRequest& request) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int code = 0;
  std::string text;
  if (rank == 0) {
    absl::StatusOr<PlanReport> report = BuildPlan(request);
    absl::Status status =
        report.ok() ? CheckReportValues(*report) : report.status();
    if (status.ok()) {
      text = ToJson(*report);
    } else {
      code = static_cast<int>(status.code());
      text = std::string(status.message());
    }
  }
  long long size = static_cast<long long>(text.size());
  MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Bcast(&size, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  if (size > (int64_t{1} << 30)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the plan of these flags is ", size, " bytes"));
  }
  text.resize(static_cast<size_t>(size));
  MPI_Bcast(text.data(), static_cast<int>(size), MPI_CHAR, 0, MPI_COMM_WORLD);
  if (code != 0) return absl::Status(static_cast<absl::StatusCode>(code), text);
  return text;
}

// One communicator per group name the ops use.
struct Groups {
  std::map<std::string, MPI_Comm> mpi;
  std::map<std::string, std::unique_ptr<Communicator>> comm;
  ~Groups() {
    comm.clear();
    for (auto& [name, c] : mpi) MPI_Comm_free(&c);
  }
};

absl::StatusOr<int> Replay(int argc, char** argv) {
  int rank = 0, world_size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  MEMWALL_ASSIGN_OR_RETURN(ReplayCommand c, ParseReplay(argc, argv));
  const std::string source =
      c.request ? "memwall plan's flags" : "--plan=" + c.plan;
  MEMWALL_ASSIGN_OR_RETURN(
      const std::string json,
      c.request ? BuildOnRank0(*c.request) : ReadOnRank0(c.plan));
  MEMWALL_ASSIGN_OR_RETURN(const ReplayPlan plan,
                           ParseReplayPlan(json, source, c.candidate));
  MEMWALL_ASSIGN_OR_RETURN(const Layout layout,
                           LayoutForWorld(plan, world_size, c.slice));
  MEMWALL_ASSIGN_OR_RETURN(const ReplayLayout groups, ReplayLayoutOf(layout));
  const bool sliced = groups.gpus != plan.gpus;
  const std::string cluster = c.cluster.empty() ? plan.cluster : c.cluster;
  auto made = Predictor::Make(cluster, c.backend, c.mpi_algorithm,
                              c.mpi_options, world_size, 1, world_size);
  if (!made.ok()) {
    return absl::Status(
        made.status().code(),
        absl::StrCat(
            made.status().message(),
            c.cluster.empty() ? " (the plan's cluster; pass --cluster)" : ""));
  }
  const Predictor predictor = *std::move(made);

  ReplayReport report;
  report.set_plan(c.request       ? "(memwall plan flags)"
                  : c.plan == "-" ? "(stdin)"
                                  : c.plan);
  report.set_model(plan.model);
  report.set_candidate(plan.candidate);
  report.set_layout(plan.layout_summary);
  report.set_backend(c.backend);
  report.set_world_size(world_size);
  report.set_plan_gpus(plan.gpus);
  report.set_sliced(sliced);
  report.set_cluster(predictor.cluster().name());
  report.set_steps(c.options.steps);
  report.set_compute(c.options.sleep_compute ? "sleep" : "none");
  if (c.expect_ratio) report.set_expect_ratio(*c.expect_ratio);
  if (sliced) {
    report.add_notes(absl::StrCat(
        "sliced: ", layout.dp(), " of the plan's ", plan.layout.dp(),
        " data-parallel replicas (dp=", layout.dp(), ", ", world_size,
        " of its ", plan.gpus, " GPUs); data-parallel groups are the slice's"));
  }

  Groups comms;
  std::vector<BoundOp> bound;
  std::vector<LayoutGroup> ran;
  for (const ReplayOp& op : plan.ops) {
    MEMWALL_ASSIGN_OR_RETURN(const LayoutGroup g,
                             GroupNamed(groups, op.group, "group"));
    const bool p2p = op.collective == &SendRecvCollective();
    if (g.size < 2) {
      report.add_notes(absl::StrCat(op.comm_class, " ", op.collective->name,
                                    " on ", op.group,
                                    ": a group of one here, not run"));
      continue;
    }
    if (!sliced &&
        (g.stride != op.priced.stride || (!p2p && g.size != op.priced.size))) {
      report.add_notes(absl::StrCat(
          op.comm_class, " ", op.collective->name, ": the plan priced (",
          op.priced.size, ", ", op.priced.stride, "), the layout's ", op.group,
          " group is (", g.size, ", ", g.stride,
          "); replayed and predicted "
          "on the latter"));
    }
    if (comms.comm.count(op.group) == 0) {
      MEMWALL_ASSIGN_OR_RETURN(
          const GroupPlacement place,
          PlaceInGroup(world_size, rank, static_cast<int>(g.size),
                       static_cast<int>(g.stride)));
      MPI_Comm split;
      MPI_Comm_split(MPI_COMM_WORLD, place.group, place.position, &split);
      comms.mpi[op.group] = split;
      if (c.backend == "nccl") {
        MEMWALL_ASSIGN_OR_RETURN(comms.comm[op.group],
                                 MakeNcclCommunicator(split, MPI_COMM_WORLD));
      } else {
        comms.comm[op.group] = MakeMpiCommunicator(split, c.grouped_sends);
      }
    }
    bound.push_back(BoundOp{&op, comms.comm[op.group].get()});
    ran.push_back(g);
  }

  if (rank == 0) {
    std::printf(
        "# memwall-run replay: %s candidate %lld (%s) of %s, %d ranks%s, "
        "backend %s\n",
        report.plan().c_str(), static_cast<long long>(plan.candidate),
        plan.layout_summary.c_str(), plan.model.c_str(), world_size,
        sliced ? " (sliced)" : "", c.backend.c_str());
    std::printf(
        "# steps %d (warmup %d), %lld micro-batches a step, compute %s, "
        "dtype %s, predicted on cluster %s, timeout %gs\n",
        c.options.steps, c.options.warmup_steps,
        static_cast<long long>(plan.micro_batches), report.compute().c_str(),
        TypeName(c.options.type).c_str(), predictor.cluster().name().c_str(),
        c.timeout_s);
    for (const BoundOp& b : bound) {
      std::printf(
          "#   %-5s %-14s on %-9s %9lld calls x %12lld B (%s)\n",
          b.op->comm_class.c_str(), b.op->collective->name.c_str(),
          b.op->group.c_str(), static_cast<long long>(b.op->calls_per_step),
          static_cast<long long>(b.op->bytes),
          std::vector<const char*>{"forward", "recompute", "backward",
                                   "step"}[static_cast<int>(b.op->phase)]);
    }
    for (const std::string& n : report.notes())
      std::printf("# note: %s\n", n.c_str());
    std::fflush(stdout);
  }

  // Rank 0's progress line on an interactive stderr without --json (or
  // with --progress=always, under mpirun).
  Progress progress("replay",
                    ProgressStream(c.progress, rank == 0, c.json.empty()));
  c.options.on_progress = [&progress](int64_t done, int64_t total) {
    progress.Update(done, total, "micro-batch phases");
  };
  c.options.overlap_dp = plan.dp_overlap && !c.grad_reduce_after;
  MEMWALL_ASSIGN_OR_RETURN(const ReplayResult result,
                           RunReplay(plan, bound, c.options, MPI_COMM_WORLD));
  progress.Clear();
  MPI_Barrier(MPI_COMM_WORLD);
  bool has_pp = false;
  for (const BoundOp& b : bound) has_pp = has_pp || b.op->comm_class == "pp";
  if (has_pp) {
    const bool held = c.backend == "nccl" || c.grouped_sends;
    report.add_notes(
        result.pipeline_schedule
            ? absl::StrCat(
                  "pp: messages in the ",
                  layout.vpp() > 1 ? "interleaved 1F1B" : "1F1B",
                  " order of each stage (m=", plan.micro_batches,
                  "); calls and predicted time are the plan's, measured "
                  "includes waiting for the neighbour stage (the bubble)",
                  held ? "; sends held and issued with the next receive" : "")
            : absl::StrCat(
                  "pp: messages as send/recv rings in step order (no schedule "
                  "order on this backend or layout",
                  held && layout.vpp() > 1
                      ? ": the interleaved order needs both directions in "
                        "one group"
                      : "",
                  ")"));
    if (rank == 0)
      std::printf("# note: %s\n", report.notes().rbegin()->c_str());
  }

  bool has_dp = false;
  for (const BoundOp& b : bound) has_dp = has_dp || b.op->comm_class == "dp";
  if (has_dp && plan.dp_overlap) {
    report.add_notes(
        result.dp_overlapped_calls > 0
            ? absl::StrCat(
                  "dp: the plan overlaps the gradient reduction; its ",
                  result.dp_overlapped_calls,
                  " bucket calls start non-blocking during the last "
                  "backward, one after each of as many slices of its "
                  "compute, and are waited for at the step's end: measured "
                  "is starting them plus that wait (the exposed time), not "
                  "link time")
            : absl::StrCat(
                  "dp: the plan overlaps the gradient reduction; replayed "
                  "blocking after the step's compute (",
                  c.grad_reduce_after ? "--grad_reduce=after"
                                      : "no non-blocking collectives on this "
                                        "backend",
                  "): measured is link time"));
    if (rank == 0)
      std::printf("# note: %s\n", report.notes().rbegin()->c_str());
  }

  // Per class, in the breakdown's order.
  const std::vector<std::string> order = {"tp", "cp", "ep",
                                          "pp", "dp", "zero3"};
  std::map<std::string, ReplayClass> classes;
  for (size_t i = 0; i < bound.size(); ++i) {
    const ReplayOp& op = *bound[i].op;
    ReplayClass& rc = classes[op.comm_class];
    rc.set_comm_class(op.comm_class);
    const Communicator& comm = *bound[i].comm;
    const CollectiveCounts counts = op.collective->counts(
        op.bytes, ElementSize(c.options.type), comm.size(), comm.rank());
    const int64_t size_bytes = std::max(counts.send_count, counts.recv_count) *
                               ElementSize(c.options.type);
    MEMWALL_ASSIGN_OR_RETURN(
        const double one,
        predictor.Time(*op.collective, static_cast<double>(size_bytes),
                       GroupShape{ran[i].size, ran[i].stride}));
    const double calls = static_cast<double>(op.calls_per_step);
    rc.set_calls(rc.calls() + calls);
    rc.set_bytes(rc.bytes() + calls * static_cast<double>(size_bytes));
    rc.set_predicted_s(rc.predicted_s() + calls * one);
    rc.set_plan_s(rc.plan_s() + calls * op.plan_time_s);
    rc.set_wrong(rc.wrong() + result.wrong[i]);
    rc.set_measured_s(rc.measured_s() + result.seconds[i]);  // this rank's
    if (rc.group_size() == 0) {  // the class's first group
      rc.set_group_size(ran[i].size);
      rc.set_group_stride(ran[i].stride);
    }
  }
  ReplayClass total;
  total.set_comm_class("total");
  for (const std::string& name : order) {
    auto it = classes.find(name);
    if (it == classes.end()) continue;
    ReplayClass& rc = it->second;
    const double mine = rc.measured_s();
    double sum = 0, most = 0;
    MPI_Allreduce(&mine, &sum, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    MPI_Allreduce(&mine, &most, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    rc.set_measured_s(sum / world_size);
    rc.set_measured_max_s(most);
    if (rc.measured_s() > 0) rc.set_ratio(rc.predicted_s() / rc.measured_s());
    total.set_calls(total.calls() + rc.calls());
    total.set_bytes(total.bytes() + rc.bytes());
    total.set_measured_s(total.measured_s() + rc.measured_s());
    total.set_measured_max_s(total.measured_max_s() + rc.measured_max_s());
    total.set_predicted_s(total.predicted_s() + rc.predicted_s());
    total.set_plan_s(total.plan_s() + rc.plan_s());
    total.set_wrong(total.wrong() + rc.wrong());
    *report.add_classes() = rc;
  }
  if (total.measured_s() > 0)
    total.set_ratio(total.predicted_s() / total.measured_s());
  *report.mutable_total() = total;
  double wall_sum = 0;
  MPI_Allreduce(&result.step_wall_s, &wall_sum, 1, MPI_DOUBLE, MPI_SUM,
                MPI_COMM_WORLD);
  report.set_step_wall_s(wall_sum / world_size);

  int below = 0;
  for (const ReplayClass& rc : report.classes()) {
    // A pipeline class run in the schedule's order includes waiting for the
    // neighbour stage: its ratio is no link measurement to hold a bound to.
    // So does an overlapped dp class: its measured time is the exposed wait.
    const bool waits =
        (result.pipeline_schedule && rc.comm_class() == "pp") ||
        (result.dp_overlapped_calls > 0 && rc.comm_class() == "dp");
    if (c.expect_ratio && !waits && rc.ratio() < *c.expect_ratio) ++below;
  }
  if (rank == 0) {
    std::fputs(ReplayTable(report).c_str(), stdout);
    std::fflush(stdout);
  }
  if (rank == 0 && !c.json.empty()) {
    MEMWALL_RETURN_IF_ERROR(WriteJsonFile(c.json, report));
  }
  if (total.wrong() > 0) {
    if (rank == 0) {
      std::fprintf(stderr, "memwall-run replay: %lld wrong elements\n",
                   static_cast<long long>(total.wrong()));
    }
    return 1;
  }
  if (below > 0) {
    if (rank == 0) {
      std::fprintf(
          stderr,
          "memwall-run replay: %d class(es) below --expect_ratio=%g of "
          "the prediction\n",
          below, *c.expect_ratio);
    }
    return 3;
  }
  return 0;
}

}  // namespace

int RunReplayCommand(int argc, char** argv) {
  absl::StatusOr<int> code = Replay(argc, argv);
  return code.ok() ? *code : ReportError("replay", code.status());
}

}  // namespace memwall::runtime
