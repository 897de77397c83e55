// memwall-run sweep: flags, groups, backend, the sweep of each collective, the
// table, the JSON report and the exit status.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/flags.h"
#include "common/progress.h"
#include "common/status.h"
#include "common/textproto.h"
#include "common/units.h"
#include "proto/collective.pb.h"
#include "runtime/commands.h"
#include "runtime/groups.h"
#include "runtime/mpi_communicator.h"
#include "runtime/nccl_communicator.h"
#include "runtime/predict.h"
#include "runtime/sweep.h"
#include "runtime/table.h"
#include "runtime/watchdog.h"

namespace memwall::runtime {
namespace {

struct SweepCommand {
  std::vector<const Collective*> ops;
  SweepOptions options;
  std::string backend;
  int group_size = 0;
  int group_stride = 1;
  std::string cluster;
  std::string mpi_algorithm;
  MpiOptions mpi_options;
  std::optional<double> expect_ratio;
  int64_t ratio_min_bytes = 0;
  std::string json;
  double timeout_s = 300;
  ProgressMode progress = ProgressMode::kAuto;
};

absl::StatusOr<SweepCommand> ParseSweep(int argc, char** argv, int world_size) {
  MEMWALL_ASSIGN_OR_RETURN(Flags flags, Flags::Parse(argc, argv, 2));
  SweepCommand c;
  SweepOptions& o = c.options;
  MEMWALL_ASSIGN_OR_RETURN(std::string op, flags.GetString("op", "all_reduce"));
  MEMWALL_ASSIGN_OR_RETURN(c.ops, ParseOps(op));
  MEMWALL_ASSIGN_OR_RETURN(std::string dtype,
                           flags.GetString("dtype", "float32"));
  MEMWALL_ASSIGN_OR_RETURN(o.type, ParseDataType(dtype));
  MEMWALL_ASSIGN_OR_RETURN(o.min_bytes, flags.GetBytes("min_bytes", 32 * kMiB));
  MEMWALL_ASSIGN_OR_RETURN(o.max_bytes, flags.GetBytes("max_bytes", 32 * kMiB));
  MEMWALL_ASSIGN_OR_RETURN(o.step_factor, flags.GetDouble("step_factor", 2));
  MEMWALL_ASSIGN_OR_RETURN(o.step_bytes, flags.GetBytes("step_bytes", 0));
  MEMWALL_ASSIGN_OR_RETURN(int64_t iters, flags.GetInt("iters", 20));
  MEMWALL_ASSIGN_OR_RETURN(int64_t warmup, flags.GetInt("warmup_iters", 1));
  MEMWALL_ASSIGN_OR_RETURN(int64_t root, flags.GetInt("root", 0));
  MEMWALL_ASSIGN_OR_RETURN(int64_t average, flags.GetInt("average", 1));
  MEMWALL_ASSIGN_OR_RETURN(o.check, flags.GetBool("check", true));
  MEMWALL_ASSIGN_OR_RETURN(o.in_place, flags.GetBool("in_place", true));
  MEMWALL_ASSIGN_OR_RETURN(c.backend, flags.GetString("backend", "mpi"));
  MEMWALL_ASSIGN_OR_RETURN(int64_t group_size,
                           flags.GetInt("group_size", world_size));
  MEMWALL_ASSIGN_OR_RETURN(int64_t group_stride,
                           flags.GetInt("group_stride", 1));
  MEMWALL_ASSIGN_OR_RETURN(c.cluster, flags.GetString("cluster", ""));
  MEMWALL_ASSIGN_OR_RETURN(c.mpi_algorithm,
                           flags.GetString("mpi_algorithm", "tuned_default"));
  MEMWALL_ASSIGN_OR_RETURN(const int64_t segment,
                           flags.GetBytes("segment_bytes", 131072));
  c.mpi_options.segment_bytes = static_cast<double>(segment);
  if (flags.Has("expect_ratio")) {
    MEMWALL_ASSIGN_OR_RETURN(double r, flags.GetDouble("expect_ratio", 0));
    c.expect_ratio = r;
  }
  MEMWALL_ASSIGN_OR_RETURN(c.ratio_min_bytes,
                           flags.GetBytes("ratio_min_bytes", 8 * kMiB));
  MEMWALL_ASSIGN_OR_RETURN(c.json, flags.GetString("json", ""));
  MEMWALL_ASSIGN_OR_RETURN(c.timeout_s, ParseTimeout(flags));
  MEMWALL_ASSIGN_OR_RETURN(const std::string progress,
                           flags.GetString("progress", "auto"));
  MEMWALL_ASSIGN_OR_RETURN(c.progress, ParseProgressMode(progress));
  MEMWALL_ASSIGN_OR_RETURN(int64_t corrupt, flags.GetInt("corrupt_rank", -1));
  o.corrupt_rank = static_cast<int>(corrupt);
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("sweep"));

  auto bad = [](const std::string& message) {
    return absl::InvalidArgumentError(message);
  };
  if (o.min_bytes < 1)
    return bad(absl::StrCat("--min_bytes=", o.min_bytes, " must be >= 1"));
  if (o.max_bytes < o.min_bytes) {
    return bad(absl::StrCat("--max_bytes=", o.max_bytes,
                            " must be >= --min_bytes=", o.min_bytes));
  }
  if (o.step_bytes < 0)
    return bad(absl::StrCat("--step_bytes=", o.step_bytes, " must be >= 0"));
  if (o.step_bytes == 0 && !(o.step_factor > 1)) {
    return bad(absl::StrCat("--step_factor=", o.step_factor, " must be > 1"));
  }
  MEMWALL_RETURN_IF_ERROR(CheckSweepSteps(o));
  if (SweepSizes(o).size() > 1000) {
    return bad("--min_bytes/--max_bytes/--step_* give more than 1000 sizes");
  }
  if (iters < 1 || iters > 1000000)
    return bad(absl::StrCat("--iters=", iters, " must be 1..1e6"));
  if (warmup < 0 || warmup > 1000000) {
    return bad(absl::StrCat("--warmup_iters=", warmup, " must be 0..1e6"));
  }
  if (average < 0 || average > 3) {
    return bad(
        absl::StrCat("--average=", average,
                     " must be 0 (rank 0), 1 (avg), 2 (min) or 3 (max)"));
  }
  if (c.backend != "mpi" && c.backend != "nccl") {
    return bad(absl::StrCat("--backend=", c.backend, " must be mpi or nccl"));
  }
  if (c.mpi_options.segment_bytes < 1) {
    return bad(absl::StrCat("--segment_bytes=", c.mpi_options.segment_bytes,
                            " must be >= 1"));
  }
  if (group_size < 1 || group_size > world_size || group_stride < 1 ||
      group_stride > world_size) {
    return bad(absl::StrCat(
        "--group_size=", group_size, " and --group_stride=", group_stride,
        " must be between 1 and the ", world_size, " ranks of the job"));
  }
  c.group_size = static_cast<int>(group_size);
  c.group_stride = static_cast<int>(group_stride);
  MEMWALL_RETURN_IF_ERROR(
      PlaceInGroup(world_size, 0, c.group_size, c.group_stride).status());
  if (root < 0 || root >= c.group_size) {
    return bad(absl::StrCat("--root=", root,
                            " must be a rank of the group (0..",
                            c.group_size - 1, ")"));
  }
  if (c.expect_ratio.has_value() &&
      (!(*c.expect_ratio > 0) || c.cluster.empty())) {
    return bad(absl::StrCat("--expect_ratio=", *c.expect_ratio,
                            " needs --cluster and a value > 0"));
  }
  if (corrupt < -1 || corrupt >= world_size) {
    return bad(absl::StrCat("--corrupt_rank=", corrupt,
                            " must be -1 (none) or a rank of the job (0..",
                            world_size - 1, ")"));
  }
  o.iters = static_cast<int>(iters);
  o.warmup_iters = static_cast<int>(warmup);
  o.root = static_cast<int>(root);
  o.aggregate = static_cast<Aggregate>(average);
  return c;
}

CollectiveRow ToProto(const SweepRow& row) {
  CollectiveRow p;
  p.set_op(row.op);
  p.set_size_bytes(row.size_bytes);
  p.set_count(row.count);
  p.set_type(row.type);
  p.set_redop(row.redop);
  p.set_root(row.root);
  p.set_group_size(row.group_size);
  for (auto [from, to] :
       {std::pair{&row.out_of_place, p.mutable_out_of_place()},
        std::pair{&row.in_place, p.mutable_in_place()}}) {
    to->set_time_s(from->time_s);
    to->set_time_avg_s(from->time_avg_s);
    to->set_time_min_s(from->time_min_s);
    to->set_time_max_s(from->time_max_s);
    to->set_algbw_bytes_per_s(from->algbw_bytes_per_s);
    to->set_busbw_bytes_per_s(from->busbw_bytes_per_s);
    to->set_wrong(from->wrong);
  }
  if (row.predicted_time_s) p.set_predicted_time_s(*row.predicted_time_s);
  if (row.predicted_busbw_bytes_per_s && *row.predicted_busbw_bytes_per_s > 0) {
    p.set_predicted_busbw_bytes_per_s(*row.predicted_busbw_bytes_per_s);
    p.set_ratio(row.out_of_place.busbw_bytes_per_s /
                *row.predicted_busbw_bytes_per_s);
  }
  return p;
}

absl::StatusOr<int> Sweep(int argc, char** argv) {
  int rank = 0, world_size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  MEMWALL_ASSIGN_OR_RETURN(SweepCommand c, ParseSweep(argc, argv, world_size));
  std::optional<Predictor> predictor;
  if (!c.cluster.empty()) {
    MEMWALL_ASSIGN_OR_RETURN(
        predictor,
        Predictor::Make(c.cluster, c.backend, c.mpi_algorithm, c.mpi_options,
                        c.group_size, c.group_stride, world_size));
  }
  MEMWALL_ASSIGN_OR_RETURN(
      GroupPlacement place,
      PlaceInGroup(world_size, rank, c.group_size, c.group_stride));
  MPI_Comm group;
  MPI_Comm_split(MPI_COMM_WORLD, place.group, place.position, &group);
  std::unique_ptr<Communicator> comm;
  if (c.backend == "nccl") {
    MEMWALL_ASSIGN_OR_RETURN(comm, MakeNcclCommunicator(group, MPI_COMM_WORLD));
  } else {
    comm = MakeMpiCommunicator(group);
  }

  SweepReport report;
  report.set_backend(comm->backend());
  report.set_world_size(world_size);
  report.set_group_size(c.group_size);
  report.set_group_stride(c.group_stride);
  report.set_num_groups(place.num_groups);
  report.set_aggregate(std::vector<std::string>{
      "rank0", "avg", "min", "max"}[static_cast<int>(c.options.aggregate)]);
  report.set_warmup_iters(c.options.warmup_iters);
  report.set_iters(c.options.iters);
  report.set_cluster(predictor ? predictor->cluster().name() : "");
  if (c.expect_ratio) report.set_expect_ratio(*c.expect_ratio);
  const bool predict = predictor.has_value();
  if (rank == 0) {
    std::printf(
        "# memwall-run sweep: backend %s, %d ranks in %d group(s) of %d "
        "(stride %d)%s\n",
        comm->backend().c_str(), world_size, place.num_groups, c.group_size,
        c.group_stride,
        predict ? absl::StrCat(", predicted on cluster ",
                               predictor->cluster().name())
                      .c_str()
                : "");
    std::printf(
        "# minBytes %lld maxBytes %lld step: %g(%s) warmup iters: %d iters: %d "
        "validation: %d aggregate: %s timeout: %gs\n",
        static_cast<long long>(c.options.min_bytes),
        static_cast<long long>(c.options.max_bytes),
        c.options.step_bytes > 0 ? static_cast<double>(c.options.step_bytes)
                                 : c.options.step_factor,
        c.options.step_bytes > 0 ? "bytes" : "factor", c.options.warmup_iters,
        c.options.iters, c.options.check ? 1 : 0, report.aggregate().c_str(),
        c.timeout_s);
  }
  std::vector<SweepRow> all_rows;
  // Rank 0 shows a progress line on an interactive stderr when the table is
  // not on the terminal itself (stdout redirected) and no --json is written;
  // under mpirun stderr reaches the terminal through a pipe, so
  // --progress=always asks for it there.
  Progress progress("sweep",
                    ProgressStream(c.progress, rank == 0,
                                   c.json.empty() && !isatty(STDOUT_FILENO)));
  const int64_t total_rows =
      static_cast<int64_t>(c.ops.size() * SweepSizes(c.options).size());
  int64_t rows_done = 0;
  for (const Collective* op : c.ops) {
    if (rank == 0) {
      std::printf("#\n# Collective: %s\n%s", op->name.c_str(),
                  TableHeader(predict).c_str());
      std::fflush(stdout);
    }
    absl::Status predict_status;
    auto on_row = [&](SweepRow& row) {
      if (predict && predict_status.ok())
        predict_status = predictor->Fill(*op, row);
      if (rank == 0) {
        std::fputs(TableRow(row, predict).c_str(), stdout);
        std::fflush(stdout);
      }
      progress.Update(++rows_done, total_rows, "sizes");
    };
    MEMWALL_ASSIGN_OR_RETURN(
        std::vector<SweepRow> rows,
        RunSweep(*op, c.options, *comm, MPI_COMM_WORLD, on_row));
    MEMWALL_RETURN_IF_ERROR(predict_status);
    if (rank == 0) std::fputs(TableFooter(rows).c_str(), stdout);
    all_rows.insert(all_rows.end(), rows.begin(), rows.end());
  }
  int below = 0;
  for (const SweepRow& row : all_rows) {
    *report.add_rows() = ToProto(row);
    const CollectiveRow& p = report.rows(report.rows_size() - 1);
    if (c.expect_ratio && p.has_ratio() &&
        row.size_bytes >= c.ratio_min_bytes && p.ratio() < *c.expect_ratio) {
      ++below;
    }
  }
  report.set_avg_busbw_bytes_per_s(AverageBusBandwidth(all_rows));
  report.set_wrong(TotalWrong(all_rows));
  report.set_below_expectation(below);
  MPI_Barrier(MPI_COMM_WORLD);
  comm.reset();
  MPI_Comm_free(&group);
  if (rank == 0 && !c.json.empty()) {
    MEMWALL_RETURN_IF_ERROR(WriteJsonFile(c.json, report));
  }
  if (report.wrong() > 0) {
    if (rank == 0) {
      std::fprintf(stderr, "memwall-run sweep: %lld wrong elements\n",
                   static_cast<long long>(report.wrong()));
    }
    return 1;
  }
  if (below > 0) {
    if (rank == 0) {
      std::fprintf(stderr,
                   "memwall-run sweep: %d row(s) of %lld bytes or more below "
                   "--expect_ratio=%g "
                   "of the prediction\n",
                   below, static_cast<long long>(c.ratio_min_bytes),
                   *c.expect_ratio);
    }
    return 3;
  }
  return 0;
}

}  // namespace

int RunSweepCommand(int argc, char** argv) {
  absl::StatusOr<int> code = Sweep(argc, argv);
  return code.ok() ? *code : ReportError("sweep", code.status());
}

int ReportError(const char* command, const absl::Status& status) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const std::string message = std::string(status.message());
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kOutOfRange:
      if (rank == 0)
        std::fprintf(stderr, "memwall-run %s: %s\n", command, message.c_str());
      return 2;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kFailedPrecondition:
      if (rank == 0)
        std::fprintf(stderr, "memwall-run %s: %s\n", command, message.c_str());
      return 1;
    default:
      std::fprintf(stderr, "memwall-run %s: rank %d: %s\n", command, rank,
                   message.c_str());
      std::fflush(stderr);
      MPI_Abort(MPI_COMM_WORLD, 1);
      return 1;
  }
}

}  // namespace memwall::runtime
