// The sweep harness, as nccl-tests' TimeTest/BenchTime (NVIDIA/nccl-tests
// src/common.cu): for each size, warmup operations, a barrier over the whole
// job (so concurrent groups start together), `iters` timed operations without
// waiting in between, one synchronization; time = elapsed / iters, aggregated
// across every rank of the job (average by default, or rank 0, min, max). Each
// size runs out of place then in place, and is then checked once on fresh
// inputs against independently computed results.
#ifndef MEMWALL_RUNTIME_SWEEP_H_
#define MEMWALL_RUNTIME_SWEEP_H_

#include <mpi.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/collective.h"
#include "runtime/communicator.h"

namespace memwall::runtime {

inline constexpr int kMaxAdaptedIters = 100000;

enum class Aggregate { kRank0 = 0, kAverage = 1, kMin = 2, kMax = 3 };

struct SweepOptions {
  DataType type = DataType::kFloat32;
  int64_t min_bytes = 32 * 1024 * 1024;
  int64_t max_bytes = 32 * 1024 * 1024;
  double step_factor = 2;  // used when step_bytes == 0
  int64_t step_bytes = 0;
  int warmup_iters = 1;
  int iters = 20;
  // When > 0 (and warmup_iters > 0), a size runs more than `iters` timed
  // operations where needed to last about this long: the slowest rank's warmup
  // time per operation sets the count (at most kMaxAdaptedIters). Short
  // operations then average over many scheduler slices.
  double min_time_s = 0;
  int root = 0;
  Aggregate aggregate = Aggregate::kAverage;
  bool check = true;
  // Also run each size in place (nccl-tests always does). Off works around MPI
  // components that fail in place, e.g. Open MPI 4.1's coll/han all-reduce
  // across nodes.
  bool in_place = true;
  // Testing aid: this world rank adds 1 to its first received element before
  // the check (to its first input element when its output is not checked, as
  // on a non-root rank of reduce), which must then count as wrong somewhere
  // (-1 = never).
  int corrupt_rank = -1;
};

// One run (out of place or in place) of one size.
struct PlaceResult {
  double time_s = 0;  // aggregated as SweepOptions::aggregate
  double time_avg_s = 0;
  double time_min_s = 0;
  double time_max_s = 0;
  double algbw_bytes_per_s = 0;
  double busbw_bytes_per_s = 0;
  int64_t wrong = 0;  // over every rank
};

struct SweepRow {
  std::string op;
  int64_t size_bytes = 0;
  int64_t count = 0;
  std::string type;
  std::string redop;
  int root = -1;
  int group_size = 0;
  PlaceResult out_of_place;
  PlaceResult in_place;  // all zero when SweepOptions::in_place is off
  bool in_place_ran = true;
  // Filled by the prediction check.
  std::optional<double> predicted_time_s;
  std::optional<double> predicted_busbw_bytes_per_s;
};

// The swept sizes: min, then * factor (rounded down) or + step, up to max
// inclusive.
std::vector<int64_t> SweepSizes(const SweepOptions& options);

// InvalidArgument when a factor step rounds down to the same size before
// max_bytes (--step_factor=1.1 from 8 bytes), which would silently end the
// sweep at that size.
absl::Status CheckSweepSteps(const SweepOptions& options);

// Runs `collective` over `comm` at every size. `world` is the whole job
// (barriers and aggregation). Collective methods only; errors from the backend
// come back as they are. `on_row` (may be empty) sees each row as soon as it is
// measured.
absl::StatusOr<std::vector<SweepRow>> RunSweep(
    const Collective& collective, const SweepOptions& options,
    Communicator& comm, MPI_Comm world,
    const std::function<void(SweepRow&)>& on_row = {});

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_SWEEP_H_
