#include "runtime/sweep.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "runtime/op_buffers.h"
#include "runtime/watchdog.h"

namespace memwall::runtime {
namespace {

// Testing aid (SweepOptions::corrupt_rank): adds 1 to the first element at
// `data` on that world rank.
absl::Status MaybeCorrupt(Communicator& comm, const SweepOptions& options,
                          MPI_Comm world, char* data, int64_t count) {
  int rank = 0;
  MPI_Comm_rank(world, &rank);
  if (rank != options.corrupt_rank || count == 0) return absl::OkStatus();
  char element[8];
  const int64_t size = ElementSize(options.type);
  MEMWALL_RETURN_IF_ERROR(comm.CopyOut(element, data, size));
  StoreElement(options.type, 0, LoadElement(options.type, 0, element) + 1,
               element);
  return comm.CopyIn(data, element, size);
}

double Aggregated(const PlaceResult& r, Aggregate aggregate, double rank0) {
  switch (aggregate) {
    case Aggregate::kRank0:
      return rank0;
    case Aggregate::kMin:
      return r.time_min_s;
    case Aggregate::kMax:
      return r.time_max_s;
    case Aggregate::kAverage:
      break;
  }
  return r.time_avg_s;
}

absl::StatusOr<PlaceResult> RunPlace(const Collective& collective,
                                     const SweepOptions& options,
                                     Communicator& comm, MPI_Comm world,
                                     int64_t bytes, bool in_place) {
  const DataType type = options.type;
  const int64_t size = ElementSize(type);
  const CollectiveCounts counts =
      collective.counts(bytes, size, comm.size(), comm.rank());
  Buffers buffers(comm);
  Pointers p{};
  if (in_place) {
    p.buffer_count = std::max(counts.send_count, counts.recv_count);
    MEMWALL_ASSIGN_OR_RETURN(p.buffer, buffers.Make(p.buffer_count * size));
    p.send = p.buffer + counts.in_place_send_offset * size;
    p.recv_base = p.buffer + counts.in_place_recv_offset * size;
    p.recv = p.recv_base;
    p.send_offset = counts.in_place_send_offset;
  } else {
    MEMWALL_ASSIGN_OR_RETURN(char* send,
                             buffers.Make(counts.send_count * size));
    MEMWALL_ASSIGN_OR_RETURN(char* recv,
                             buffers.Make(counts.recv_count * size));
    p.send = send;
    p.recv = recv;
    p.recv_base = recv;
    p.buffer = send;
    p.buffer_count = counts.send_count;
    p.send_offset = 0;
    // The receive buffer starts as sentinel so stale data cannot pass the
    // check.
    Pointers r{};
    r.buffer = recv;
    r.buffer_count = counts.recv_count;
    CollectiveCounts none;
    MEMWALL_RETURN_IF_ERROR(FillInputs(comm, collective, type, r, none));
  }
  MEMWALL_RETURN_IF_ERROR(FillInputs(comm, collective, type, p, counts));

  const double warmup_start = MPI_Wtime();
  for (int i = 0; i < options.warmup_iters; ++i) {
    MEMWALL_RETURN_IF_ERROR(
        collective.run(comm, p.send, p.recv, counts, type, options.root));
  }
  MEMWALL_RETURN_IF_ERROR(comm.Synchronize());
  int iters = std::max(1, options.iters);
  if (options.min_time_s > 0 && options.warmup_iters > 0) {
    // Every rank must run the same count: the slowest rank's warmup decides.
    const double mine = (MPI_Wtime() - warmup_start) / options.warmup_iters;
    double per_op = 0;
    MPI_Allreduce(&mine, &per_op, 1, MPI_DOUBLE, MPI_MAX, world);
    const double wanted =
        std::ceil(options.min_time_s / std::max(per_op, 1e-9));
    iters = static_cast<int>(
        std::clamp<double>(wanted, iters, std::max(iters, kMaxAdaptedIters)));
  }
  MPI_Barrier(world);
  const double start = MPI_Wtime();
  for (int i = 0; i < iters; ++i) {
    MEMWALL_RETURN_IF_ERROR(
        collective.run(comm, p.send, p.recv, counts, type, options.root));
  }
  MEMWALL_RETURN_IF_ERROR(comm.Synchronize());
  const double seconds = (MPI_Wtime() - start) / iters;

  int64_t wrong = 0;
  if (options.check) {
    if (!in_place) {
      Pointers r{};
      r.buffer = p.recv_base;
      r.buffer_count = counts.recv_count;
      MEMWALL_RETURN_IF_ERROR(
          FillInputs(comm, collective, type, r, CollectiveCounts{}));
    }
    MEMWALL_RETURN_IF_ERROR(FillInputs(comm, collective, type, p, counts));
    // A rank whose output is checked corrupts its first result; one whose
    // output is not (a non-root rank of reduce) corrupts its first input,
    // which reaches a checked result elsewhere.
    const ElementContext context{comm.rank(), comm.size(), options.root, type,
                                 counts};
    const bool output_checked =
        counts.recv_count > 0 && collective.expected(context, 0).has_value();
    if (!output_checked) {
      MEMWALL_RETURN_IF_ERROR(MaybeCorrupt(comm, options, world,
                                           p.buffer + p.send_offset * size,
                                           counts.send_count));
    }
    MEMWALL_RETURN_IF_ERROR(
        collective.run(comm, p.send, p.recv, counts, type, options.root));
    MEMWALL_RETURN_IF_ERROR(comm.Synchronize());
    if (output_checked) {
      MEMWALL_RETURN_IF_ERROR(
          MaybeCorrupt(comm, options, world, p.recv_base, counts.recv_count));
    }
    MEMWALL_ASSIGN_OR_RETURN(
        wrong, CountWrong(comm, collective, type, p, counts, options.root));
  }

  int ranks = 1;
  MPI_Comm_size(world, &ranks);
  PlaceResult result;
  double sum = 0;
  MPI_Allreduce(&seconds, &sum, 1, MPI_DOUBLE, MPI_SUM, world);
  MPI_Allreduce(&seconds, &result.time_min_s, 1, MPI_DOUBLE, MPI_MIN, world);
  MPI_Allreduce(&seconds, &result.time_max_s, 1, MPI_DOUBLE, MPI_MAX, world);
  double rank0 = seconds;
  MPI_Bcast(&rank0, 1, MPI_DOUBLE, 0, world);
  long long wrong_total = 0, wrong_here = wrong;
  MPI_Allreduce(&wrong_here, &wrong_total, 1, MPI_LONG_LONG, MPI_SUM, world);
  result.time_avg_s = sum / ranks;
  result.time_s = Aggregated(result, options.aggregate, rank0);
  result.wrong = wrong_total;
  const double bytes_moved = static_cast<double>(
      std::max(counts.send_count, counts.recv_count) * size);
  if (result.time_s > 0) {
    result.algbw_bytes_per_s = bytes_moved / result.time_s;
    result.busbw_bytes_per_s =
        result.algbw_bytes_per_s * collective.bus_factor(comm.size());
  }
  return result;
}

}  // namespace

namespace {

// The size after `s`, or nullopt past max_bytes; computed without overflow.
// May equal `s` when the factor rounds down (CheckSweepSteps rejects that).
std::optional<int64_t> NextSize(const SweepOptions& o, int64_t s) {
  if (o.step_bytes > 0) {
    if (s > o.max_bytes - o.step_bytes) return std::nullopt;
    return s + o.step_bytes;
  }
  const double grown = static_cast<double>(s) * o.step_factor;
  if (!(grown <= static_cast<double>(o.max_bytes))) return std::nullopt;
  return static_cast<int64_t>(grown);
}

}  // namespace

std::vector<int64_t> SweepSizes(const SweepOptions& options) {
  std::vector<int64_t> sizes;
  for (int64_t s = options.min_bytes; s <= options.max_bytes;) {
    sizes.push_back(s);
    const std::optional<int64_t> next = NextSize(options, s);
    if (!next || *next <= s) break;
    s = *next;
  }
  return sizes;
}

absl::Status CheckSweepSteps(const SweepOptions& options) {
  for (int64_t s = options.min_bytes; s <= options.max_bytes;) {
    const std::optional<int64_t> next = NextSize(options, s);
    if (!next) return absl::OkStatus();
    if (*next <= s) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--step_factor=", options.step_factor, " does not grow ", s,
          " bytes (", s, " x ", options.step_factor, " rounds down to ", s,
          "), so the sweep would stop there short of --max_bytes=",
          options.max_bytes,
          ": raise --step_factor or --min_bytes, or use "
          "--step_bytes"));
    }
    s = *next;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<SweepRow>> RunSweep(
    const Collective& collective, const SweepOptions& options,
    Communicator& comm, MPI_Comm world,
    const std::function<void(SweepRow&)>& on_row) {
  std::vector<SweepRow> rows;
  const int64_t size = ElementSize(options.type);
  for (int64_t bytes : SweepSizes(options)) {
    const CollectiveCounts counts =
        collective.counts(bytes, size, comm.size(), comm.rank());
    SweepRow row;
    row.op = collective.name;
    row.size_bytes = std::max(counts.send_count, counts.recv_count) * size;
    row.count = counts.param_count;
    row.type = TypeName(options.type);
    row.redop = collective.reduces ? "sum" : "none";
    row.root = collective.rooted ? options.root : -1;
    row.group_size = comm.size();
    ScopedOperation watch(
        absl::StrCat(collective.name, " of ", row.size_bytes, " bytes"));
    MEMWALL_ASSIGN_OR_RETURN(
        row.out_of_place,
        RunPlace(collective, options, comm, world, bytes, false));
    row.in_place_ran = options.in_place;
    if (options.in_place) {
      MEMWALL_ASSIGN_OR_RETURN(row.in_place, RunPlace(collective, options, comm,
                                                      world, bytes, true));
    }
    if (on_row) on_row(row);
    rows.push_back(row);
  }
  return rows;
}

}  // namespace memwall::runtime
