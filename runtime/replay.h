// One training step's communication, run as the plan's schedule issues it.
// Without pipeline parallelism (or on a backend without point-to-point
// messages): per micro-batch the forward, recompute and backward collectives
// (each op's calls spread evenly over the micro-batches and interleaved
// round-robin within a phase, as layers alternate their collectives), then the
// once-per-step ones. With it, each rank runs its pipeline stage's passes in
// Megatron-LM's 1F1B or interleaved order (planner/layout/pipeline_order.h): a
// forward receives the previous virtual stage's activations, runs its compute
// and collectives, and posts its own to the next stage; a backward does the
// same with gradients the other way; every message is one call of the plan's
// pipeline op, and a receive waits for the neighbour, so the bubble is in the
// step's wall time. On a backend that holds sends back (NCCL; MPI with
// --pipeline_sends=grouped) the schedule's order is kept for 1F1B only, and a
// pass that computes without receiving first flushes the held sends
// (communicator.h). Compute phases are sleeps of the plan's predicted length
// when asked. Every rank runs the same sequence on its own group of each kind
// (the ranks of a TP, CP, EP or DP group share a pipeline stage), so the
// groups never wait on each other out of order. Each call is timed on its own
// (call + synchronize); after the timed steps every op runs once more on fresh
// inputs (pipeline ops as a send/recv ring of the pipeline group) and is
// checked element by element as the sweep does. With overlap_dp the step's
// gradient reductions start during the last backward instead (below).
#ifndef MEMWALL_RUNTIME_REPLAY_H_
#define MEMWALL_RUNTIME_REPLAY_H_

#include <mpi.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/communicator.h"
#include "runtime/replay_plan.h"

namespace memwall::runtime {

struct ReplayOptions {
  int steps = 3;
  int warmup_steps = 1;
  bool sleep_compute = true;
  DataType type = DataType::kFloat32;
  bool check = true;
  // Buffers of every op together, per rank.
  int64_t max_buffer_bytes = int64_t{4} << 30;
  // Testing aid: this world rank corrupts its first received element of the
  // first op before the check (-1 = never).
  int corrupt_rank = -1;
  // Called on every rank with (micro-batch phases done, in all) as the steps
  // run (a progress line); may be empty.
  std::function<void(int64_t, int64_t)> on_progress;
  // Overlap the data-parallel gradient reduction with the last backward, as
  // Megatron-LM's overlap_grad_reduce and FSDP do: the step's dp all-reduce
  // and reduce-scatter calls (one a gradient bucket) start non-blocking, one
  // after each of as many slices of the last backward's compute, and are
  // waited for before the optimizer step. Only on a backend with non-blocking
  // collectives (Communicator::HasAsync); their time is then the time to start
  // them plus the wait at the step's end (the exposed part), not link time.
  bool overlap_dp = false;
};

// An op of the plan bound to this rank's communicator of its group.
struct BoundOp {
  const ReplayOp* op = nullptr;
  Communicator* comm = nullptr;
};

struct ReplayResult {
  // Per bound op: this rank's seconds per step (mean over the timed steps),
  // and wrong elements over every rank.
  std::vector<double> seconds;
  std::vector<int64_t> wrong;
  // This rank's wall time of one step (communication and sleeps).
  double step_wall_s = 0;
  // True when pipeline messages ran in the schedule's order.
  bool pipeline_schedule = false;
  // Gradient bucket calls started during the last backward (0: none, every
  // dp call ran blocking after the compute).
  int64_t dp_overlapped_calls = 0;
};

// `world` is the whole job (barriers and the check's sums).
absl::StatusOr<ReplayResult> RunReplay(const ReplayPlan& plan,
                                       const std::vector<BoundOp>& ops,
                                       const ReplayOptions& options,
                                       MPI_Comm world);

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_REPLAY_H_
