// `fit`: the fewest GPUs (whole nodes) of a cluster on which a model trains,
// and for a layout that does not fit, by how much it exceeds memory and which
// single changes (more recomputation, sequence parallelism, a higher ZeRO
// stage, offload, flash attention, smaller micro-batch, more TP or PP) make it
// fit.
#ifndef MEMWALL_PLANNER_SEARCH_FIT_H_
#define MEMWALL_PLANNER_SEARCH_FIT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "planner/search/search.h"

namespace memwall {

struct MinGpusResult {
  int64_t gpus = 0;  // 0 when no node count up to the limit fits
  SearchResult search;
  int64_t node_counts_tried = 0;
};

// Tries 1, 2, 4, ... nodes until a layout fits (up to `max_nodes`), then scans
// the node counts between the last failure and the first success upwards, so
// the answer is the smallest fitting count found by the scan.
absl::StatusOr<MinGpusResult> MinimumGpus(const StepContext& ctx,
                                          int64_t gpus_per_node,
                                          int64_t max_nodes,
                                          const SearchConstraints& c,
                                          const SearchOptions& options);

// The layout the user described: CompleteLayout's defaults for what is not
// fixed, and every layout rule (ValidateLayout).
absl::StatusOr<ParallelLayout> GivenLayout(const StepContext& ctx, int64_t gpus,
                                           const SearchConstraints& c);

struct LayoutFix {
  std::string change;
  ParallelLayout layout;
  PeakMemory memory;
};

// Single-dimension changes of `layout` that fit `memory`'s capacity (and the
// host memory when they offload), in the order tried.
std::vector<LayoutFix> SingleChangeFixes(const StepContext& ctx,
                                         const MemoryEvaluator& memory,
                                         const ParallelLayout& layout);

// The dimensions in which `to` differs from `from`, as flags ("--zero=3
// --recompute=full").
std::string LayoutDiff(const ParallelLayout& from, const ParallelLayout& to);

// When no single change is enough: among the fastest fitting layouts that keep
// the user's fixed flags (`c`) on `gpus` GPUs, the one that changes fewest
// dimensions of `given`. Empty when nothing fits with those flags. `options`
// supplies the memory evaluator and threads.
std::optional<LayoutFix> FewestChangesFix(const StepContext& ctx, int64_t gpus,
                                          const SearchConstraints& c,
                                          const ParallelLayout& given,
                                          SearchOptions options);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_SEARCH_FIT_H_
