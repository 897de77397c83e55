// Exhaustive layout search: every combination of dp, tp, pp, vpp, cp, ep,
// micro-batch, ZeRO stage, recomputation, sequence parallelism, TP-comm
// overlap, DP-grad overlap, rank order, offload and flash attention, minus what
// the user fixed. Layouts whose model states alone exceed memory are pruned
// before any activation or time is computed; the rest are evaluated with
// precomputed per-model and per-micro-batch quantities (plain structs, no
// allocation) and ranked by step time. Multithreaded over degree tuples with a
// deterministic merge (ties broken by enumeration order). See docs/search.md.
#ifndef MEMWALL_PLANNER_SEARCH_SEARCH_H_
#define MEMWALL_PLANNER_SEARCH_SEARCH_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "planner/layout/parallel_layout.h"
#include "planner/layout/validate_layout.h"
#include "planner/memory/evaluator.h"
#include "planner/search/state_bound.h"
#include "planner/timing/step_time.h"

namespace memwall {

// Values the user fixed; unset dimensions are searched.
using SearchConstraints = LayoutChoice;

struct SearchOptions {
  int top_k = 5;
  int threads = 1;  // 0 = hardware concurrency
  // planner/memory's evaluator (memwall profile) for the same model, training
  // and cluster; required. It decides fit (EvaluatePeak(layout).fits), so a
  // plan's memory is exactly what `memwall memory` reports for its layout.
  std::shared_ptr<const MemoryEvaluator> memory;
  // When > 0, a uniform sample of this many fitted layouts is kept for the
  // report's landscape chart (the layouts with the smallest hash of their
  // enumeration index: the same sample for any thread count).
  int landscape_points = 0;
  // Called with (degree tuples done, degree tuples in all) from one thread
  // as the search proceeds (the CLI's progress line); may be empty.
  std::function<void(int64_t, int64_t)> on_progress;
};

enum RejectReason {
  kRejectModelStates =
      0,               // weights + gradients + optimizer alone exceed memory
  kRejectActivations,  // evaluated: does not fit with activations
  kRejectInterleave,   // interleaving needs micro-batches divisible by pp
  kRejectNoHostLink,   // offload without host link or DRAM bandwidth
  kRejectHostMemory,   // offloaded states exceed host memory
  kNumRejectReasons,
};
const char* RejectReasonName(RejectReason reason);

struct ScoredLayout {
  ParallelLayout layout;
  ScheduleOptions options;
  StepTime time;
  PeakMemory memory;
  uint64_t index = 0;  // enumeration order, for deterministic ties
};

struct SampledLayout {
  ParallelLayout layout;
  ScheduleOptions options;
  double step_time_s = 0;
  int64_t peak_bytes = 0;
  uint64_t hash = 0;  // the sample keeps the smallest hashes
};

struct SearchResult {
  std::vector<ScoredLayout> best;  // fastest first, at most top_k
  // At most SearchOptions::landscape_points fitted layouts, by hash.
  std::vector<SampledLayout> landscape;
  int64_t space_size = 0;
  int64_t evaluated = 0;
  int64_t feasible = 0;
  // Degree tuples (tp, cp, pp, dp, ep) with product = gpus rejected before the
  // space because a degree does not divide its model dimension or the batch.
  int64_t indivisible_degree_tuples = 0;
  std::array<int64_t, kNumRejectReasons> rejected{};
  double seconds = 0;
  int threads = 1;
};

// What the layout rules (validate_layout.h) read of a step context: the
// model's shape, the global batch and the cluster.
LayoutLimits LimitsOf(const StepContext& ctx);

// CheckLayoutChoice on the fixed values: InvalidArgument when they contradict
// each other or the model (naming the flag and value). "Nothing fits" is a
// result with an empty `best`.
absl::Status CheckConstraints(const StepContext& ctx, int64_t gpus,
                              const SearchConstraints& constraints);

// One given layout, scored as the search would score it; InvalidArgument when
// the memory model rejects the layout.
absl::StatusOr<ScoredLayout> ScoreLayout(const StepContext& ctx,
                                         const MemoryEvaluator& memory,
                                         const ParallelLayout& layout,
                                         const ScheduleOptions& options);

absl::StatusOr<SearchResult> SearchLayouts(const StepContext& ctx, int64_t gpus,
                                           const SearchConstraints& constraints,
                                           const SearchOptions& options);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_SEARCH_SEARCH_H_
