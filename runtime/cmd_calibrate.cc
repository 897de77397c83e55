// memwall-run calibrate: finds the nodes (MPI_Comm_split_type shared memory),
// times point-to-point rings inside the nodes and across them over a size
// sweep (the sweep harness, results checked), fits latency and bandwidth per
// level (calibrate.h) and writes the cluster text proto the planner reads.
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/flags.h"
#include "common/status.h"
#include "common/textproto.h"
#include "common/units.h"
#include "common/zoo.h"
#include "runtime/calibrate.h"
#include "runtime/commands.h"
#include "runtime/groups.h"
#include "runtime/mpi_communicator.h"
#include "runtime/nccl_communicator.h"
#include "runtime/sweep.h"
#include "runtime/watchdog.h"

namespace memwall::runtime {
namespace {

struct CalibrateCommand {
  std::string base_cluster;
  std::string out;
  std::string name;
  std::string backend;
  SweepOptions options;
  double timeout_s = 300;
};

absl::StatusOr<CalibrateCommand> ParseCalibrate(int argc, char** argv) {
  MEMWALL_ASSIGN_OR_RETURN(Flags flags, Flags::Parse(argc, argv, 2));
  CalibrateCommand c;
  SweepOptions& o = c.options;
  MEMWALL_ASSIGN_OR_RETURN(c.base_cluster, flags.GetString("base_cluster", ""));
  MEMWALL_ASSIGN_OR_RETURN(c.out, flags.GetString("out", ""));
  MEMWALL_ASSIGN_OR_RETURN(c.name, flags.GetString("name", ""));
  MEMWALL_ASSIGN_OR_RETURN(c.backend, flags.GetString("backend", "mpi"));
  MEMWALL_ASSIGN_OR_RETURN(o.min_bytes, flags.GetBytes("min_bytes", 8));
  MEMWALL_ASSIGN_OR_RETURN(o.max_bytes, flags.GetBytes("max_bytes", 16 * kMiB));
  MEMWALL_ASSIGN_OR_RETURN(o.step_factor, flags.GetDouble("step_factor", 4));
  MEMWALL_ASSIGN_OR_RETURN(int64_t iters, flags.GetInt("iters", 10));
  MEMWALL_ASSIGN_OR_RETURN(int64_t warmup, flags.GetInt("warmup_iters", 2));
  MEMWALL_ASSIGN_OR_RETURN(o.min_time_s, flags.GetDouble("min_time_s", 0.02));
  MEMWALL_ASSIGN_OR_RETURN(c.timeout_s, ParseTimeout(flags));
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("calibrate"));
  auto bad = [](const std::string& m) { return absl::InvalidArgumentError(m); };
  if (c.base_cluster.empty()) {
    return bad(
        "--base_cluster=C is required (the zoo cluster or file whose GPU and "
        "node fields the calibrated file keeps)");
  }
  if (c.out.empty()) return bad("--out=FILE is required");
  if (c.backend != "mpi" && c.backend != "nccl")
    return bad(absl::StrCat("--backend=", c.backend, " must be mpi or nccl"));
  if (o.min_bytes < 1)
    return bad(absl::StrCat("--min_bytes=", o.min_bytes, " must be >= 1"));
  if (o.max_bytes <= o.min_bytes) {
    return bad(absl::StrCat("--max_bytes=", o.max_bytes,
                            " must be > --min_bytes=", o.min_bytes));
  }
  if (!(o.step_factor > 1))
    return bad(absl::StrCat("--step_factor=", o.step_factor, " must be > 1"));
  if (SweepSizes(o).size() > 100)
    return bad(
        "--min_bytes/--max_bytes/--step_factor give more than 100 sizes");
  if (iters < 1 || iters > 100000)
    return bad(absl::StrCat("--iters=", iters, " must be 1..1e5"));
  if (warmup < 0 || warmup > 100000)
    return bad(absl::StrCat("--warmup_iters=", warmup, " must be 0..1e5"));
  if (!(o.min_time_s >= 0 && o.min_time_s <= 10)) {
    return bad(
        absl::StrCat("--min_time_s=", o.min_time_s, " must be 0..10 seconds"));
  }
  o.iters = static_cast<int>(iters);
  o.warmup_iters = static_cast<int>(warmup);
  o.in_place = false;
  o.type = DataType::kFloat32;
  return c;
}

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%MZ", &tm);
  return text;
}

// Node structure; InvalidArgument when nodes differ in size or ranks are not
// numbered node by node (the planner's placement fills a node with consecutive
// ranks).
struct Nodes {
  int count = 1;
  int ranks_per_node = 1;
  int local_rank = 0;
};

absl::StatusOr<Nodes> DiscoverNodes() {
  int rank = 0, world = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world);
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL,
                      &node);
  Nodes n;
  MPI_Comm_rank(node, &n.local_rank);
  MPI_Comm_size(node, &n.ranks_per_node);
  MPI_Comm_free(&node);
  int sizes[2] = {n.ranks_per_node, -n.ranks_per_node};
  int extremes[2] = {0, 0};
  MPI_Allreduce(sizes, extremes, 2, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (extremes[0] != -extremes[1]) {
    return absl::InvalidArgumentError(absl::StrCat(
        "nodes hold between ", -extremes[1], " and ", extremes[0],
        " ranks: calibrate needs the same number of ranks on every node"));
  }
  const int in_order =
      rank == (rank / n.ranks_per_node) * n.ranks_per_node + n.local_rank;
  int all_in_order = 0;
  MPI_Allreduce(&in_order, &all_in_order, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
  if (!all_in_order) {
    return absl::InvalidArgumentError(
        "ranks are not numbered node by node (the planner's placement fills "
        "a node with consecutive ranks): run mpirun with --map-by slot or "
        "--map-by core");
  }
  n.count = world / n.ranks_per_node;
  return n;
}

// Times sendrecv rings of `size` ranks at `stride` (every rank in one) over
// the size sweep; rows aggregated as `aggregate`.
absl::StatusOr<std::vector<SizeTime>> TimeRing(const CalibrateCommand& c,
                                               int color, int key,
                                               Aggregate aggregate) {
  MPI_Comm group;
  MPI_Comm_split(MPI_COMM_WORLD, color, key, &group);
  std::unique_ptr<Communicator> comm;
  if (c.backend == "nccl") {
    auto made = MakeNcclCommunicator(group, MPI_COMM_WORLD);
    if (!made.ok()) {
      MPI_Comm_free(&group);
      return made.status();
    }
    comm = *std::move(made);
  } else {
    comm = MakeMpiCommunicator(group);
  }
  SweepOptions o = c.options;
  o.aggregate = aggregate;
  auto rows = RunSweep(SendRecvCollective(), o, *comm, MPI_COMM_WORLD);
  comm.reset();
  MPI_Comm_free(&group);
  if (!rows.ok()) return rows.status();
  std::vector<SizeTime> points;
  for (const SweepRow& row : *rows) {
    if (row.out_of_place.wrong > 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          row.out_of_place.wrong, " wrong elements in the sendrecv of ",
          row.size_bytes, " bytes"));
    }
    points.push_back(
        SizeTime{static_cast<double>(row.size_bytes), row.out_of_place.time_s});
  }
  return points;
}

std::string Sizes(const SweepOptions& o) {
  return absl::StrCat(
      o.min_bytes, "..", o.max_bytes, " B x", o.step_factor, ", ", o.iters,
      " iterations",
      o.min_time_s > 0 && o.warmup_iters > 0
          ? absl::StrFormat(" or more to last %g s", o.min_time_s)
          : "");
}

absl::StatusOr<int> Calibrate(int argc, char** argv) {
  int rank = 0, world = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world);
  MEMWALL_ASSIGN_OR_RETURN(CalibrateCommand c, ParseCalibrate(argc, argv));
  ClusterSpec base;
  absl::Status loaded = LoadTextSpec(ClusterTextZoo(), c.base_cluster, &base);
  if (absl::IsNotFound(loaded) && loaded.message().empty()) {
    return absl::NotFoundError(
        absl::StrCat("--base_cluster=", c.base_cluster,
                     " is neither a zoo cluster nor a readable file"));
  }
  MEMWALL_RETURN_IF_ERROR(loaded);
  if (world < 2) {
    return absl::InvalidArgumentError(
        "calibrate needs at least 2 ranks (mpirun -np N, N >= 2)");
  }
  MEMWALL_ASSIGN_OR_RETURN(const Nodes nodes, DiscoverNodes());
  // Open MPI opens a transport to a peer on first use, and once a rank holds
  // connections to other nodes every wait on shared memory also polls them.
  // A training step has them all open, so every pair connects before any
  // level is timed (else level 0, measured first, is measured faster than it
  // runs in a step).
  {
    std::vector<int> out(static_cast<size_t>(world), rank), in(out.size());
    MPI_Alltoall(out.data(), 1, MPI_INT, in.data(), 1, MPI_INT, MPI_COMM_WORLD);
  }

  Calibration cal;
  cal.name = c.name.empty() ? absl::StrCat(base.name(), "-calibrated") : c.name;
  cal.when = UtcNow();
  cal.backend = c.backend;
  cal.nodes = nodes.count;
  cal.ranks_per_node = nodes.ranks_per_node;
  const int q = nodes.ranks_per_node;
  if (rank == 0) {
    std::printf(
        "# memwall-run calibrate: %d node(s) x %d rank(s), backend %s, "
        "sizes %s\n",
        nodes.count, q, c.backend.c_str(), Sizes(c.options).c_str());
    std::printf("# %-5s %-50s %12s %15s %9s %12s %10s\n", "level",
                "measured on", "latency(us)", "bandwidth(GB/s)", "fit err",
                "from(B)", "small(us)");
    std::fflush(stdout);
  }
  auto report = [&](const MeasuredLevel& m) {
    if (rank != 0) return;
    std::printf("  %-5d %-50s %12.2f %15.4f %8.1f%% %12.0f %10.2f\n", m.level,
                m.how.substr(0, m.how.find(',')).c_str(), m.fit.latency_s * 1e6,
                m.fit.bandwidth_bytes_per_s / 1e9,
                100 * m.fit.max_relative_error, m.fit.regime_bytes,
                m.fit.small_latency_s * 1e6);
    std::fflush(stdout);
  };
  if (q >= 2) {
    // Level 0: a ring inside every node, all nodes at once.
    MEMWALL_ASSIGN_OR_RETURN(const GroupPlacement p,
                             PlaceInGroup(world, rank, q, 1));
    MEMWALL_ASSIGN_OR_RETURN(
        std::vector<SizeTime> points,
        TimeRing(c, p.group, p.position, Aggregate::kAverage));
    MeasuredLevel m;
    m.level = 0;
    MEMWALL_ASSIGN_OR_RETURN(m.fit, FitAlphaBeta(points));
    m.how = absl::StrCat("sendrecv ring of the ", q,
                         " ranks of each node, all nodes at once, ",
                         Sizes(c.options), ", mean over ranks");
    report(m);
    cal.levels.push_back(m);
  }
  if (nodes.count >= 2) {
    // Level 1: rings of one rank per node (same local rank), all at once, so
    // a node's ranks share its NICs as in a training step.
    MEMWALL_ASSIGN_OR_RETURN(const GroupPlacement p,
                             PlaceInGroup(world, rank, nodes.count, q));
    MEMWALL_ASSIGN_OR_RETURN(
        std::vector<SizeTime> points,
        TimeRing(c, p.group, p.position, Aggregate::kAverage));
    MeasuredLevel m;
    m.level = 1;
    MEMWALL_ASSIGN_OR_RETURN(m.fit, FitAlphaBeta(points));
    m.how =
        absl::StrCat("sendrecv rings of ", nodes.count,
                     " ranks one per node (stride ", q, "), all ", world,
                     " ranks at once, ", Sizes(c.options), ", mean over ranks");
    report(m);
    cal.levels.push_back(m);
    if (q >= 2) {
      // One flow per node: how many ranks' worth of bandwidth a lone flow
      // gets tells how many ranks share a NIC.
      const bool first = nodes.local_rank == 0;
      MEMWALL_ASSIGN_OR_RETURN(
          std::vector<SizeTime> single,
          TimeRing(c, first ? 0 : 1 + rank, first ? rank / q : 0,
                   Aggregate::kRank0));
      MEMWALL_ASSIGN_OR_RETURN(const AlphaBeta lone, FitAlphaBeta(single));
      const double share =
          lone.bandwidth_bytes_per_s / m.fit.bandwidth_bytes_per_s;
      cal.ranks_per_nic = std::clamp<int64_t>(std::llround(share), 1, q);
      if (rank == 0) {
        std::printf(
            "# one flow per node: %.3f GB/s, %.2f x the per-rank "
            "figure: %lld rank(s) share a NIC\n",
            lone.bandwidth_bytes_per_s / 1e9, share,
            static_cast<long long>(cal.ranks_per_nic));
      }
    }
  }
  MPI_Barrier(MPI_COMM_WORLD);
  MEMWALL_ASSIGN_OR_RETURN(const std::string text,
                           CalibratedClusterText(base, cal));
  if (rank == 0) {
    std::ofstream out(c.out);
    out << text;
    if (!out) {
      return absl::PermissionDeniedError(
          absl::StrCat("--out=", c.out, ": cannot write"));
    }
    std::printf("# wrote %s (cluster \"%s\")\n", c.out.c_str(),
                cal.name.c_str());
  }
  return 0;
}

}  // namespace

int RunCalibrateCommand(int argc, char** argv) {
  absl::StatusOr<int> code = Calibrate(argc, argv);
  return code.ok() ? *code : ReportError("calibrate", code.status());
}

}  // namespace memwall::runtime
