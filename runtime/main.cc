// memwall-run: synthetic collectives under mpirun, checked for exactness, timed
// like nccl-tests and held against the planner's prediction. See
// docs/runtime.md.
#include <mpi.h>

#include <cstdio>
#include <string>

#include "absl/strings/str_join.h"
#include "common/flags.h"
#include "runtime/args_check.h"
#include "runtime/commands.h"
#include "runtime/startup_deadline.h"
#include "runtime/watchdog.h"

namespace memwall::runtime {
namespace {

constexpr char kUsage[] =
    "usage: mpirun -np N memwall-run <command> [--flags]\n"
    "  sweep     --op=all_reduce|all_gather|reduce_scatter|all_to_all|\n"
    "                 broadcast|reduce|send_recv|all (or a comma list;\n"
    "                 alltoall and sendrecv are aliases)\n"
    "            --min_bytes=8 --max_bytes=1G --step_factor=2 "
    "[--step_bytes=B]\n"
    "            --dtype=float32|float16|bfloat16|int32 --iters=20\n"
    "            --warmup_iters=1 --root=0 --average=1 --check=1 --in_place=1\n"
    "            --backend=mpi|nccl --group_size=K --group_stride=S\n"
    "            --cluster=C --mpi_algorithm=tuned_default|ring|pipeline|...\n"
    "            --segment_bytes=128K (pipelined broadcast/reduce)\n"
    "            --expect_ratio=R --ratio_min_bytes=8M --json=FILE\n"
    "            --timeout_s=300 --progress=auto|always|never\n"
    "  baseline  --bytes=64M --iters=20 --reps=5: the harness's all_reduce\n"
    "            against a bare MPI_Allreduce loop in the same job\n"
    "  replay    --plan=PLAN.json|- or memwall plan's flags (--model=M\n"
    "            --cluster=C --gpus=N --tp=...) [--candidate=0] --steps=3\n"
    "            --warmup_steps=1\n"
    "            --compute=sleep|none --backend=mpi|nccl [--cluster=C]\n"
    "            [--slice] --pipeline_sends=eager|grouped\n"
    "            --expect_ratio=R --json=FILE --timeout_s=300\n"
    "            --progress=auto|always|never\n"
    "            --max_buffer_bytes=4G: one training step's communication\n"
    "            of a plan's layout, measured against the prediction\n"
    "  calibrate --base_cluster=C --out=FILE [--name=N] --backend=mpi|nccl\n"
    "            --min_bytes=8 --max_bytes=16M --step_factor=4 --iters=10\n"
    "            --warmup_iters=2 --timeout_s=300: latency and bandwidth of\n"
    "            each network level, written as a cluster text proto\n"
    "Exit status: 0 success, 1 runtime failure or wrong results, 2 bad\n"
    "input, 3 measured below --expect_ratio of the prediction.\n";

int Main(int argc, char** argv) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  std::vector<std::string> words(argv + 1, argv + argc);
  absl::Status same =
      CheckSameArguments(MPI_COMM_WORLD, absl::StrJoin(words, " "));
  if (!same.ok()) {
    if (rank == 0)
      std::fprintf(stderr, "memwall-run: %s\n",
                   std::string(same.message()).c_str());
    return 2;
  }
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "help" || command == "--help" || command == "-h") {
    if (rank == 0) std::fputs(kUsage, stdout);
    return 0;
  }
  if (command != "sweep" && command != "baseline" && command != "replay" &&
      command != "calibrate") {
    if (rank == 0) {
      std::fprintf(stderr, "memwall-run: unknown command '%s'\n%s",
                   command.c_str(), kUsage);
    }
    return 2;
  }
  if (command == "replay") return RunReplayCommand(argc, argv);
  if (command == "calibrate") return RunCalibrateCommand(argc, argv);
  return command == "sweep" ? RunSweepCommand(argc, argv)
                            : RunBaselineCommand(argc, argv);
}

// --timeout_s as the command will read it, for start-up; the default when it
// is missing or invalid (the command then reports the error with exit 2).
double StartupTimeout(int argc, char** argv) {
  absl::StatusOr<Flags> flags = Flags::Parse(argc, argv, 2);
  if (!flags.ok()) return 300;
  absl::StatusOr<double> timeout_s = ParseTimeout(*flags);
  return timeout_s.ok() ? *timeout_s : 300;
}

}  // namespace
}  // namespace memwall::runtime

int main(int argc, char** argv) {
  using namespace memwall::runtime;  // NOLINT: main only
  const double timeout_s = StartupTimeout(argc, argv);
  // A rank stopped before or inside MPI_Init keeps every rank there: a
  // deadline ends the job. From then on the watchdog names the rank.
  ArmStartupDeadline("MPI_Init", timeout_s);
  MPI_Init(&argc, &argv);
  DisarmStartupDeadline();
  const absl::Status watching = StartWatchdog(MPI_COMM_WORLD, timeout_s);
  if (!watching.ok()) {
    std::fprintf(stderr, "memwall-run: %s\n",
                 std::string(watching.message()).c_str());
    MPI_Finalize();
    return 1;
  }
  const int code = Main(argc, argv);
  // The watchdog stays up through MPI_Finalize (a rank stopped there would
  // hang the others too).
  MPI_Finalize();
  StopWatchdog();
  return code;
}
