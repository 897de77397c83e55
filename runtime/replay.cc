#include "runtime/replay.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "runtime/op_buffers.h"
#include "runtime/watchdog.h"

namespace memwall::runtime {
namespace {

constexpr const char* kPhaseNames[kNumPhases] = {"forward", "recompute",
                                                 "backward", "step"};

// One op's out-of-place buffers: inputs written once (out of place, no
// collective changes them), the receive buffer starting as sentinel.
struct Prepared {
  CollectiveCounts counts;
  Pointers p{};
};

absl::StatusOr<Prepared> Prepare(const BoundOp& b, DataType type,
                                 Buffers& buffers) {
  Communicator& comm = *b.comm;
  const Collective& c = *b.op->collective;
  const int64_t size = ElementSize(type);
  Prepared out;
  out.counts = c.counts(b.op->bytes, size, comm.size(), comm.rank());
  MEMWALL_ASSIGN_OR_RETURN(char* send,
                           buffers.Make(out.counts.send_count * size));
  MEMWALL_ASSIGN_OR_RETURN(char* recv,
                           buffers.Make(out.counts.recv_count * size));
  out.p = Pointers{send, recv, recv, send, out.counts.send_count, 0};
  MEMWALL_RETURN_IF_ERROR(FillInputs(comm, c, type, out.p, out.counts));
  Pointers r{};
  r.buffer = recv;
  r.buffer_count = out.counts.recv_count;
  MEMWALL_RETURN_IF_ERROR(FillInputs(comm, c, type, r, CollectiveCounts{}));
  return out;
}

void Sleep(double seconds) {
  if (seconds > 0)
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

}  // namespace

absl::StatusOr<ReplayResult> RunReplay(const ReplayPlan& plan,
                                       const std::vector<BoundOp>& ops,
                                       const ReplayOptions& options,
                                       MPI_Comm world) {
  const int64_t element = ElementSize(options.type);
  long long need = 0;
  for (const BoundOp& b : ops) {
    const CollectiveCounts counts = b.op->collective->counts(
        b.op->bytes, element, b.comm->size(), b.comm->rank());
    need += (counts.send_count + counts.recv_count) * element;
  }
  long long most = 0;
  MPI_Allreduce(&need, &most, 1, MPI_LONG_LONG, MPI_MAX, world);
  if (most > options.max_buffer_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the step's buffers need ", most,
        " bytes on a rank, more than "
        "--max_buffer_bytes=",
        options.max_buffer_bytes,
        " (replay a smaller layout, use --slice, or raise the limit)"));
  }

  std::vector<std::unique_ptr<Buffers>> owners;
  std::vector<Prepared> prepared;
  for (const BoundOp& b : ops) {
    owners.push_back(std::make_unique<Buffers>(*b.comm));
    MEMWALL_ASSIGN_OR_RETURN(Prepared p,
                             Prepare(b, options.type, *owners.back()));
    prepared.push_back(p);
  }
  std::vector<std::vector<size_t>> by_phase(kNumPhases);
  for (size_t i = 0; i < ops.size(); ++i)
    by_phase[static_cast<int>(ops[i].op->phase)].push_back(i);

  const int64_t m = plan.micro_batches;
  const double compute[kNumPhases] = {plan.forward_s / m, plan.recompute_s / m,
                                      plan.backward_s / m, plan.optimizer_s};
  ReplayResult result;
  result.seconds.assign(ops.size(), 0.0);
  std::vector<int64_t> left(ops.size(), 0);
  double wall = 0;
  const int total_steps = options.warmup_steps + options.steps;
  const int64_t phases = total_steps * (3 * m + 1);
  int64_t phases_done = 0;
  for (int step = 0; step < total_steps; ++step) {
    const bool timed = step >= options.warmup_steps;
    MPI_Barrier(world);
    const double step_start = MPI_Wtime();
    for (int phase = 0; phase < kNumPhases; ++phase) {
      const bool once = phase == static_cast<int>(Phase::kStep);
      for (int64_t k = 0; k < (once ? 1 : m); ++k) {
        if (options.sleep_compute) Sleep(compute[phase]);
        const std::vector<size_t>& here = by_phase[phase];
        if (here.empty()) continue;
        ScopedOperation watch(absl::StrCat(
            "replay step ", step + 1, ": ", kPhaseNames[phase], " phase",
            once ? "" : absl::StrCat(" of micro-batch ", k + 1)));
        bool any = false;
        for (size_t i : here) {
          left[i] = once ? ops[i].op->calls_per_step
                         : CallsInMicroBatch(ops[i].op->calls_per_step, m, k);
          any = any || left[i] > 0;
        }
        while (any) {
          any = false;
          for (size_t i : here) {
            if (left[i] == 0) continue;
            const BoundOp& b = ops[i];
            const Prepared& p = prepared[i];
            const double start = MPI_Wtime();
            MEMWALL_RETURN_IF_ERROR(b.op->collective->run(
                *b.comm, p.p.send, p.p.recv, p.counts, options.type, 0));
            MEMWALL_RETURN_IF_ERROR(b.comm->Synchronize());
            if (timed) result.seconds[i] += MPI_Wtime() - start;
            if (--left[i] > 0) any = true;
          }
        }
        if (options.on_progress) options.on_progress(++phases_done, phases);
      }
    }
    if (timed) wall += MPI_Wtime() - step_start;
  }
  for (double& s : result.seconds) s /= std::max(1, options.steps);
  result.step_wall_s = wall / std::max(1, options.steps);

  int rank = 0;
  MPI_Comm_rank(world, &rank);
  result.wrong.assign(ops.size(), 0);
  if (!options.check) return result;
  for (size_t i = 0; i < ops.size(); ++i) {
    const BoundOp& b = ops[i];
    const Prepared& p = prepared[i];
    const Collective& c = *b.op->collective;
    ScopedOperation watch(
        absl::StrCat("replay check of ", c.name, " on ", b.op->group));
    Pointers r{};
    r.buffer = p.p.recv_base;
    r.buffer_count = p.counts.recv_count;
    MEMWALL_RETURN_IF_ERROR(
        FillInputs(*b.comm, c, options.type, r, CollectiveCounts{}));
    MEMWALL_RETURN_IF_ERROR(
        c.run(*b.comm, p.p.send, p.p.recv, p.counts, options.type, 0));
    MEMWALL_RETURN_IF_ERROR(b.comm->Synchronize());
    if (i == 0 && rank == options.corrupt_rank && p.counts.recv_count > 0) {
      char e[8];
      MEMWALL_RETURN_IF_ERROR(b.comm->CopyOut(e, p.p.recv_base, element));
      StoreElement(options.type, 0, LoadElement(options.type, 0, e) + 1, e);
      MEMWALL_RETURN_IF_ERROR(b.comm->CopyIn(p.p.recv_base, e, element));
    }
    MEMWALL_ASSIGN_OR_RETURN(
        const int64_t wrong,
        CountWrong(*b.comm, c, options.type, p.p, p.counts, 0));
    long long here = wrong, total = 0;
    MPI_Allreduce(&here, &total, 1, MPI_LONG_LONG, MPI_SUM, world);
    result.wrong[i] = total;
  }
  return result;
}

}  // namespace memwall::runtime
