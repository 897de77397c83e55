// What `memwall-run replay` reads: one candidate of a plan report (the JSON of
// `memwall plan --format=json`), checked field by field, with its step's
// collectives (StepCommOp) resolved to the runtime's collectives. The numbers
// are the planner's; nothing about the model is recomputed here.
#ifndef MEMWALL_RUNTIME_REPLAY_PLAN_H_
#define MEMWALL_RUNTIME_REPLAY_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/plan.pb.h"
#include "runtime/collective.h"
#include "runtime/layout_groups.h"

namespace memwall::runtime {

enum class Phase { kForward = 0, kRecompute = 1, kBackward = 2, kStep = 3 };
inline constexpr int kNumPhases = 4;

struct ReplayOp {
  std::string comm_class;  // tp, cp, ep, pp, dp, zero3
  const Collective* collective = nullptr;
  std::string group;   // tp, cp, ep, pp, dp, expert_dp
  LayoutGroup priced;  // the group the planner priced
  int64_t bytes = 0;   // nccl-tests S of one call
  int64_t calls_per_step = 0;
  Phase phase = Phase::kForward;
  double plan_time_s = 0;  // one call, the plan's prediction
};

struct ReplayPlan {
  std::string model;
  std::string cluster;
  int64_t gpus = 0;
  int64_t candidate = 0;  // index into the report's candidates
  std::string layout_summary;
  Layout layout;
  int64_t micro_batches = 1;
  // Compute of one step on the pacing rank (the breakdown's seconds).
  double forward_s = 0, backward_s = 0, recompute_s = 0, optimizer_s = 0;
  // The gradient reduction overlaps the backward (Megatron-LM's
  // --overlap-grad-reduce; the plan's "no-dpov" when false).
  bool dp_overlap = false;
  std::vector<ReplayOp> ops;
};

// Parses `json` (from `source`, named in errors) strictly: a field this
// version does not know, a truncated file, a missing candidate or a candidate
// without its communication list are InvalidArgument naming the field.
absl::StatusOr<ReplayPlan> ParseReplayPlan(const std::string& json,
                                           const std::string& source,
                                           int64_t candidate);

// Calls of a per-step count that fall in micro-batch k of m (spread evenly,
// summing to `calls` over k = 0..m-1).
int64_t CallsInMicroBatch(int64_t calls, int64_t m, int64_t k);

// The layout that runs on `world_size` ranks: the plan's own when the sizes
// match; with `slice`, as many whole data-parallel replicas as the job holds
// (dp' = world / (tp pp cp), dividing the plan's dp and a multiple of ep, so
// expert groups stay whole). InvalidArgument saying which otherwise.
absl::StatusOr<Layout> LayoutForWorld(const ReplayPlan& plan, int world_size,
                                      bool slice);

}  // namespace memwall::runtime

#endif  // MEMWALL_RUNTIME_REPLAY_PLAN_H_
