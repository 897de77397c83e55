// memwall-run baseline: the harness's overhead. In one job, alternating
// repetitions of (a) a bare loop of MPI_Allreduce on float32 (barrier, `iters`
// calls, time / iters, averaged over ranks, exactly as the harness times) and
// (b) the harness's all_reduce sweep at the same size (out of place), then the
// ratio of the best busbw of each. With --plan, replay's own overhead instead:
// alternating repetitions of (a) the sweep harness running the plan's one
// collective at its size on its group, as many calls as a replay step makes x
// --steps, and (b) replay of the plan (--compute=none, no check), then the
// ratio of replay's wall time per call (everything between the step's start
// and end: the calls and replay's bookkeeping) to the sweep's time per call.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/flags.h"
#include "common/status.h"
#include "common/textproto.h"
#include "common/units.h"
#include "runtime/commands.h"
#include "runtime/groups.h"
#include "runtime/layout_groups.h"
#include "runtime/mpi_communicator.h"
#include "runtime/replay.h"
#include "runtime/replay_plan.h"
#include "runtime/sweep.h"
#include "runtime/watchdog.h"

namespace memwall::runtime {
namespace {

double BareAllReduceSeconds(int64_t count, int iters, int warmup) {
  std::vector<float> send(static_cast<size_t>(count), 1.0f),
      recv(static_cast<size_t>(count));
  for (int i = 0; i < warmup; ++i) {
    MPI_Allreduce(send.data(), recv.data(), static_cast<int>(count), MPI_FLOAT,
                  MPI_SUM, MPI_COMM_WORLD);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  const double start = MPI_Wtime();
  for (int i = 0; i < iters; ++i) {
    MPI_Allreduce(send.data(), recv.data(), static_cast<int>(count), MPI_FLOAT,
                  MPI_SUM, MPI_COMM_WORLD);
  }
  const double seconds = (MPI_Wtime() - start) / iters;
  int ranks = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  double sum = 0;
  MPI_Allreduce(&seconds, &sum, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  return sum / ranks;
}

// --plan: the plan's ops must be one collective of one size on one group.
absl::StatusOr<int> ReplayBaseline(const std::string& path, int64_t steps,
                                   int64_t reps) {
  int rank = 0, world = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world);
  std::string json;
  if (!ReadFile(path, &json).ok())
    return absl::NotFoundError(absl::StrCat("--plan=", path, ": cannot read"));
  MEMWALL_ASSIGN_OR_RETURN(const ReplayPlan plan,
                           ParseReplayPlan(json, "--plan=" + path, 0));
  MEMWALL_ASSIGN_OR_RETURN(const Layout layout,
                           LayoutForWorld(plan, world, false));
  MEMWALL_ASSIGN_OR_RETURN(const ReplayLayout groups, ReplayLayoutOf(layout));
  if (plan.ops.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--plan=", path, " has no communication to replay"));
  }
  const ReplayOp& first = plan.ops.front();
  int64_t calls = 0;
  for (const ReplayOp& op : plan.ops) {
    if (op.collective != first.collective || op.bytes != first.bytes ||
        op.group != first.group) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--plan=", path,
          ": baseline needs one collective of one size on one "
          "group (a single-class plan); it has ",
          first.collective->name, " of ", first.bytes, " B on ", first.group,
          " and ", op.collective->name, " of ", op.bytes, " B on ", op.group));
    }
    calls += op.calls_per_step;
  }
  if (calls < 1 || calls * steps > 10000000) {
    return absl::InvalidArgumentError(
        absl::StrCat("--plan=", path, ": ", calls,
                     " calls a step x --steps=", steps, " must be 1..1e7"));
  }
  MEMWALL_ASSIGN_OR_RETURN(const LayoutGroup g,
                           GroupNamed(groups, first.group, "group"));
  MEMWALL_ASSIGN_OR_RETURN(const GroupPlacement place,
                           PlaceInGroup(world, rank, static_cast<int>(g.size),
                                        static_cast<int>(g.stride)));
  MPI_Comm split;
  MPI_Comm_split(MPI_COMM_WORLD, place.group, place.position, &split);
  auto comm = MakeMpiCommunicator(split);
  std::vector<BoundOp> bound;
  for (const ReplayOp& op : plan.ops) bound.push_back(BoundOp{&op, comm.get()});
  ReplayOptions replay;
  replay.steps = static_cast<int>(steps);
  replay.warmup_steps = 1;
  replay.sleep_compute = false;
  replay.check = false;
  SweepOptions sweep;
  sweep.min_bytes = sweep.max_bytes = first.bytes;
  sweep.iters = static_cast<int>(calls * steps);
  sweep.warmup_iters = static_cast<int>(calls);
  sweep.check = false;
  sweep.in_place = false;
  if (rank == 0) {
    std::printf(
        "# memwall-run baseline: replay of %s (%s of %lld B on %s, %lld calls "
        "a step, %lld steps) against the sweep harness, %d ranks\n",
        path.c_str(), first.collective->name.c_str(),
        static_cast<long long>(first.bytes), first.group.c_str(),
        static_cast<long long>(calls), static_cast<long long>(steps), world);
    std::printf("#  rep  sweep (us/call)  replay (us/call)  replay/sweep\n");
  }
  std::vector<double> ratios;
  for (int64_t r = 0; r < reps; ++r) {
    double swept = 0, replayed = 0;
    for (int turn = 0; turn < 2; ++turn) {
      if ((turn == 0) == (r % 2 == 0)) {
        MEMWALL_ASSIGN_OR_RETURN(
            std::vector<SweepRow> rows,
            RunSweep(*first.collective, sweep, *comm, MPI_COMM_WORLD));
        swept = rows[0].out_of_place.time_s;
      } else {
        MEMWALL_ASSIGN_OR_RETURN(
            const ReplayResult result,
            RunReplay(plan, bound, replay, MPI_COMM_WORLD));
        double sum = 0;
        MPI_Allreduce(&result.step_wall_s, &sum, 1, MPI_DOUBLE, MPI_SUM,
                      MPI_COMM_WORLD);
        replayed = sum / world / static_cast<double>(calls);
      }
    }
    ratios.push_back(replayed / swept);
    if (rank == 0) {
      std::printf("%6lld  %15.2f  %16.2f  %12.4f\n", static_cast<long long>(r),
                  swept * 1e6, replayed * 1e6, replayed / swept);
    }
  }
  std::vector<double> sorted = ratios;
  std::sort(sorted.begin(), sorted.end());
  if (rank == 0) {
    std::printf(
        "# replay/sweep per call: median %.4f, lowest %.4f, highest %.4f\n",
        sorted[sorted.size() / 2], sorted.front(), sorted.back());
  }
  comm.reset();
  MPI_Comm_free(&split);
  MPI_Barrier(MPI_COMM_WORLD);
  return 0;
}

absl::StatusOr<int> Baseline(int argc, char** argv) {
  MEMWALL_ASSIGN_OR_RETURN(Flags flags, Flags::Parse(argc, argv, 2));
  MEMWALL_ASSIGN_OR_RETURN(int64_t bytes, flags.GetBytes("bytes", 64 * kMiB));
  MEMWALL_ASSIGN_OR_RETURN(int64_t iters, flags.GetInt("iters", 20));
  MEMWALL_ASSIGN_OR_RETURN(int64_t reps, flags.GetInt("reps", 5));
  MEMWALL_ASSIGN_OR_RETURN(const std::string plan, flags.GetString("plan", ""));
  MEMWALL_ASSIGN_OR_RETURN(int64_t steps, flags.GetInt("steps", 10));
  // The watchdog runs from start-up (main.cc); the flag is read there and
  // validated here.
  MEMWALL_RETURN_IF_ERROR(ParseTimeout(flags).status());
  MEMWALL_RETURN_IF_ERROR(flags.CheckNoUnknown("baseline"));
  if (bytes < 4 || bytes / 4 > 2147483647) {
    return absl::InvalidArgumentError(
        absl::StrCat("--bytes=", bytes, " must be 4..8G"));
  }
  if (iters < 1 || reps < 1 || reps > 1000 || iters > 1000000) {
    return absl::InvalidArgumentError(
        absl::StrCat("--iters=", iters, " and --reps=", reps, " must be >= 1"));
  }
  if (steps < 1 || steps > 1000) {
    return absl::InvalidArgumentError(
        absl::StrCat("--steps=", steps, " must be 1..1000"));
  }
  if (!plan.empty()) return ReplayBaseline(plan, steps, reps);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  auto comm = MakeMpiCommunicator(MPI_COMM_WORLD);
  SweepOptions options;
  options.min_bytes = options.max_bytes = bytes;
  options.iters = static_cast<int>(iters);
  options.check = false;
  options.in_place = false;  // the bare loop is out of place too
  const int64_t count = bytes / 4;
  const double factor = 2.0 * (ranks - 1) / ranks;
  const double moved = static_cast<double>(count * 4);
  if (rank == 0) {
    std::printf(
        "# memwall-run baseline: all_reduce float32 %lld bytes, %d ranks, %lld "
        "iters\n",
        static_cast<long long>(count * 4), ranks,
        static_cast<long long>(iters));
    std::printf("#  rep  bare busbw (GB/s)  harness busbw (GB/s)\n");
  }
  double best_bare = 0, best_harness = 0;
  std::vector<double> ratios;
  for (int64_t r = 0; r < reps; ++r) {
    // Alternate which runs first so neither always gets the warmer machine.
    double bare = 0, harness = 0;
    for (int turn = 0; turn < 2; ++turn) {
      if ((turn == 0) == (r % 2 == 0)) {
        bare = moved / BareAllReduceSeconds(count, static_cast<int>(iters), 1) *
               factor;
      } else {
        MEMWALL_ASSIGN_OR_RETURN(
            std::vector<SweepRow> rows,
            RunSweep(AllReduceCollective(), options, *comm, MPI_COMM_WORLD));
        harness = rows[0].out_of_place.busbw_bytes_per_s;
      }
    }
    ratios.push_back(harness / bare);
    best_bare = std::max(best_bare, bare);
    best_harness = std::max(best_harness, harness);
    if (rank == 0) {
      std::printf("%6lld  %17.3f  %20.3f\n", static_cast<long long>(r),
                  ToGB(bare), ToGB(harness));
    }
  }
  std::sort(ratios.begin(), ratios.end());
  if (rank == 0) {
    std::printf(
        "# best bare %.3f GB/s, best harness %.3f GB/s, harness/bare ratio "
        "%.3f (median of per-repetition ratios %.3f)\n",
        ToGB(best_bare), ToGB(best_harness), best_harness / best_bare,
        ratios[ratios.size() / 2]);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  return 0;
}

}  // namespace

int RunBaselineCommand(int argc, char** argv) {
  absl::StatusOr<int> code = Baseline(argc, argv);
  return code.ok() ? *code : ReportError("baseline", code.status());
}

}  // namespace memwall::runtime
