#include "runtime/replay.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "planner/layout/pipeline_order.h"
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

// Sleeps `seconds` while letting the started non-blocking collectives of
// `comms` advance (every 10 us), as a GPU's communication stream advances on
// its own while the compute stream runs.
absl::Status SleepProgressing(double seconds,
                              const std::vector<Communicator*>& comms) {
  const double end = MPI_Wtime() + seconds;
  for (double now = MPI_Wtime(); now < end; now = MPI_Wtime()) {
    for (Communicator* c : comms) MEMWALL_RETURN_IF_ERROR(c->Progress());
    Sleep(std::min(1e-5, end - now));
  }
  return absl::OkStatus();
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
  // Pipeline messages in the schedule's order when the backend sends point to
  // point and the plan has both directions; otherwise as rings in step order.
  int pp_forward = -1, pp_backward = -1;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (ops[i].op->comm_class != "pp") continue;
    if (ops[i].op->phase == Phase::kForward && pp_forward < 0)
      pp_forward = static_cast<int>(i);
    if (ops[i].op->phase == Phase::kBackward && pp_backward < 0)
      pp_backward = static_cast<int>(i);
  }
  const int64_t m = plan.micro_batches;
  const int64_t v = std::max<int64_t>(1, plan.layout.vpp());
  const bool schedule = pp_forward >= 0 && pp_backward >= 0 &&
                        ops[pp_forward].comm->HasPointToPoint() &&
                        ops[pp_forward].comm == ops[pp_backward].comm &&
                        ops[pp_forward].comm->size() == plan.layout.pp() &&
                        (v == 1 || m % plan.layout.pp() == 0) &&
                        (v == 1 || !ops[pp_forward].comm->HoldsSends());
  std::vector<std::vector<size_t>> by_phase(kNumPhases);
  for (size_t i = 0; i < ops.size(); ++i) {
    if (schedule && ops[i].op->comm_class == "pp") continue;
    by_phase[static_cast<int>(ops[i].op->phase)].push_back(i);
  }
  // The gradient buckets' calls started during the last backward, in the
  // plan's order, and the communicators they run on.
  const int step_phase = static_cast<int>(Phase::kStep);
  std::vector<size_t> bucket_calls;
  std::vector<Communicator*> async_comms;
  std::vector<size_t> async_first;  // per async comm: the op timed its wait
  if (options.overlap_dp) {
    std::vector<size_t> rest;
    for (size_t i : by_phase[step_phase]) {
      const memwall::Collective c = ops[i].op->collective->op;
      const bool reduction = c == memwall::Collective::kAllReduce ||
                             c == memwall::Collective::kReduceScatter;
      if (ops[i].op->comm_class != "dp" || !reduction ||
          !ops[i].comm->HasAsync()) {
        rest.push_back(i);
        continue;
      }
      bucket_calls.insert(bucket_calls.end(), ops[i].op->calls_per_step, i);
      if (std::find(async_comms.begin(), async_comms.end(), ops[i].comm) ==
          async_comms.end()) {
        async_comms.push_back(ops[i].comm);
        async_first.push_back(i);
      }
    }
    by_phase[step_phase] = rest;
  }
  std::vector<PipelinePass> order;
  int64_t p = 1, stage = 0;
  if (schedule) {
    p = ops[pp_forward].comm->size();
    stage = ops[pp_forward].comm->rank();
    order = PipelineRankOrder(p, v, m, stage);
  }
  const int64_t slots = schedule ? m * v : m;  // micro-batch passes per step

  const double compute[kNumPhases] = {
      plan.forward_s / slots, plan.recompute_s / slots, plan.backward_s / slots,
      plan.optimizer_s};
  ReplayResult result;
  result.pipeline_schedule = schedule;
  result.dp_overlapped_calls = static_cast<int64_t>(bucket_calls.size());
  result.seconds.assign(ops.size(), 0.0);
  std::vector<int64_t> left(ops.size(), 0);
  double wall = 0;
  const int total_steps = options.warmup_steps + options.steps;
  const int64_t phases =
      total_steps * (schedule ? 2 * slots + 1 : 3 * slots + 1);
  int64_t phases_done = 0;
  bool timed = false;
  // The collectives of `phase` for pass k of `slots` (all of them once a step
  // for the step phase), interleaved round-robin.
  const auto run_phase = [&](int phase, int64_t k) -> absl::Status {
    const bool once = phase == static_cast<int>(Phase::kStep);
    bool any = false;
    for (size_t i : by_phase[phase]) {
      left[i] = once ? ops[i].op->calls_per_step
                     : CallsInMicroBatch(ops[i].op->calls_per_step, slots, k);
      any = any || left[i] > 0;
    }
    while (any) {
      any = false;
      for (size_t i : by_phase[phase]) {
        if (left[i] == 0) continue;
        const BoundOp& b = ops[i];
        const Prepared& pr = prepared[i];
        const double start = MPI_Wtime();
        MEMWALL_RETURN_IF_ERROR(b.op->collective->run(
            *b.comm, pr.p.send, pr.p.recv, pr.counts, options.type, 0));
        MEMWALL_RETURN_IF_ERROR(b.comm->Synchronize());
        if (timed) result.seconds[i] += MPI_Wtime() - start;
        if (--left[i] > 0) any = true;
      }
    }
    return absl::OkStatus();
  };
  // One pipeline message of op i: a receive from, or a send posted to, the
  // neighbouring stage; timed with the class (a receive includes waiting for
  // the neighbour to send).
  const auto message = [&](int i, bool send, int64_t peer) -> absl::Status {
    const Prepared& pr = prepared[i];
    Communicator& comm = *ops[i].comm;
    const double start = MPI_Wtime();
    MEMWALL_RETURN_IF_ERROR(
        send ? comm.PostSend(pr.p.send, pr.counts.send_count, options.type,
                             static_cast<int>(peer))
             : comm.Recv(pr.p.recv, pr.counts.recv_count, options.type,
                         static_cast<int>(peer)));
    if (timed) result.seconds[i] += MPI_Wtime() - start;
    return absl::OkStatus();
  };
  // A backward pass's compute; in the last one, bucket i's reduction starts
  // after slice i of as many (backward produces a bucket's gradients, then
  // its reduction runs beside the rest of the backward).
  const auto backward = [&](bool last_pass) -> absl::Status {
    if (!last_pass || bucket_calls.empty()) {
      if (options.sleep_compute) Sleep(compute[2]);
      return absl::OkStatus();
    }
    const double slice = compute[2] / static_cast<double>(bucket_calls.size());
    for (size_t i : bucket_calls) {
      if (options.sleep_compute)
        MEMWALL_RETURN_IF_ERROR(SleepProgressing(slice, async_comms));
      const BoundOp& b = ops[i];
      const Prepared& pr = prepared[i];
      const double start = MPI_Wtime();
      b.comm->SetAsync(true);
      const absl::Status status = b.op->collective->run(
          *b.comm, pr.p.send, pr.p.recv, pr.counts, options.type, 0);
      b.comm->SetAsync(false);
      MEMWALL_RETURN_IF_ERROR(status);
      if (timed) result.seconds[i] += MPI_Wtime() - start;
    }
    return absl::OkStatus();
  };
  const int64_t last = p * v - 1;  // the last virtual stage
  const int64_t next = (stage + 1) % p, prev = (stage + p - 1) % p;
  for (int step = 0; step < total_steps; ++step) {
    timed = step >= options.warmup_steps;
    MPI_Barrier(world);
    const double step_start = MPI_Wtime();
    if (schedule) {
      // Megatron-LM's order for this stage: a forward receives the previous
      // virtual stage's activations and sends its own on; a backward receives
      // the next stage's gradients and sends its own back.
      int64_t forwards = 0, backwards = 0;
      for (const PipelinePass& pass : order) {
        const int64_t g = pass.chunk * p + stage;
        ScopedOperation watch(
            absl::StrCat("replay step ", step + 1, ": ",
                         pass.forward ? "forward" : "backward",
                         " of micro-batch ", pass.micro_batch + 1,
                         v > 1 ? absl::StrCat(" chunk ", pass.chunk + 1) : "",
                         " on pipeline stage ", stage + 1));
        // A pass that computes without receiving first sends what the
        // backend held back (communicator.h: FlushSends), timed with the
        // pipeline class.
        if (pass.forward ? g == 0 : g == last) {
          const double start = MPI_Wtime();
          MEMWALL_RETURN_IF_ERROR(ops[pp_forward].comm->FlushSends());
          if (timed) result.seconds[pp_forward] += MPI_Wtime() - start;
        }
        if (pass.forward) {
          if (g > 0) MEMWALL_RETURN_IF_ERROR(message(pp_forward, false, prev));
          if (options.sleep_compute) Sleep(compute[0]);
          MEMWALL_RETURN_IF_ERROR(run_phase(0, forwards++));
          if (g < last)
            MEMWALL_RETURN_IF_ERROR(message(pp_forward, true, next));
        } else {
          if (g < last)
            MEMWALL_RETURN_IF_ERROR(message(pp_backward, false, next));
          if (options.sleep_compute) Sleep(compute[1]);
          MEMWALL_RETURN_IF_ERROR(run_phase(1, backwards));
          MEMWALL_RETURN_IF_ERROR(backward(backwards == slots - 1));
          MEMWALL_RETURN_IF_ERROR(run_phase(2, backwards++));
          if (g > 0) MEMWALL_RETURN_IF_ERROR(message(pp_backward, true, prev));
        }
        if (options.on_progress) options.on_progress(++phases_done, phases);
      }
      ScopedOperation watch(absl::StrCat(
          "replay step ", step + 1, ": pipeline sends of stage ", stage + 1));
      const double start = MPI_Wtime();
      MEMWALL_RETURN_IF_ERROR(ops[pp_forward].comm->WaitSends());
      if (timed) result.seconds[pp_forward] += MPI_Wtime() - start;
    } else {
      for (int phase = 0; phase < kNumPhases - 1; ++phase) {
        for (int64_t k = 0; k < m; ++k) {
          if (phase == static_cast<int>(Phase::kBackward)) {
            MEMWALL_RETURN_IF_ERROR(backward(k == m - 1));
          } else if (options.sleep_compute) {
            Sleep(compute[phase]);
          }
          if (!by_phase[phase].empty()) {
            ScopedOperation watch(
                absl::StrCat("replay step ", step + 1, ": ", kPhaseNames[phase],
                             " phase of micro-batch ", k + 1));
            MEMWALL_RETURN_IF_ERROR(run_phase(phase, k));
          }
          if (options.on_progress) options.on_progress(++phases_done, phases);
        }
      }
    }
    // The started reductions complete before the optimizer step; the wait is
    // their exposed time, timed with the first op on each communicator.
    for (size_t j = 0; j < async_comms.size(); ++j) {
      ScopedOperation watch(absl::StrCat(
          "replay step ", step + 1, ": data-parallel gradient reductions"));
      const double start = MPI_Wtime();
      MEMWALL_RETURN_IF_ERROR(async_comms[j]->WaitAsync());
      if (timed) result.seconds[async_first[j]] += MPI_Wtime() - start;
    }
    const int once = step_phase;
    if (options.sleep_compute) Sleep(compute[once]);
    if (!by_phase[once].empty()) {
      ScopedOperation watch(
          absl::StrCat("replay step ", step + 1, ": step phase"));
      MEMWALL_RETURN_IF_ERROR(run_phase(once, 0));
    }
    if (options.on_progress) options.on_progress(++phases_done, phases);
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
