// memwall-run baseline: the harness's overhead. In one job, alternating
// repetitions of (a) a bare loop of MPI_Allreduce on float32 (barrier, `iters`
// calls, time / iters, averaged over ranks, exactly as the harness times) and
// (b) the harness's all_reduce sweep at the same size (out of place), then the
// ratio of the best busbw of each.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/flags.h"
#include "common/status.h"
#include "common/units.h"
#include "runtime/commands.h"
#include "runtime/mpi_communicator.h"
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

absl::StatusOr<int> Baseline(int argc, char** argv) {
  MEMWALL_ASSIGN_OR_RETURN(Flags flags, Flags::Parse(argc, argv, 2));
  MEMWALL_ASSIGN_OR_RETURN(int64_t bytes, flags.GetBytes("bytes", 64 * kMiB));
  MEMWALL_ASSIGN_OR_RETURN(int64_t iters, flags.GetInt("iters", 20));
  MEMWALL_ASSIGN_OR_RETURN(int64_t reps, flags.GetInt("reps", 5));
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
