// The MemoryReport proto for `memwall memory` (and the plan report's memory
// section): one evaluation converted once, with notes on what the profile
// counts.
#ifndef MEMWALL_PLANNER_MEMORY_MEMORY_REPORT_H_
#define MEMWALL_PLANNER_MEMORY_MEMORY_REPORT_H_

#include "absl/status/statusor.h"
#include "planner/layout/parallel_layout.h"
#include "planner/memory/evaluator.h"
#include "proto/cluster.pb.h"
#include "proto/memory.pb.h"
#include "proto/model.pb.h"
#include "proto/training.pb.h"

namespace memwall {

// The keys of StageMemory.other_items, in the order reports print them.
inline constexpr const char* kOtherItemNames[] = {
    "cuda_context", "comm_buffers", "zero3_gathered",
    "transient",    "fp8_weights",  "allocator_headroom"};

// Converts an evaluated breakdown to the report proto.
MemoryReport ToMemoryReport(const MemoryEvaluator& evaluator,
                            const ParallelLayout& layout,
                            const MemoryBreakdown& breakdown,
                            const ClusterSpec* cluster);

// Validates, evaluates and converts: the whole `memwall memory` computation.
// `layer_activations` adds every layer's saved bytes for one micro-batch.
absl::StatusOr<MemoryReport> BuildMemoryReport(
    const ModelSpec& model, const TrainingSpec& training, Profile profile,
    const ParallelLayout& layout, const ClusterSpec* cluster /*nullable*/,
    bool layer_activations = false);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MEMORY_MEMORY_REPORT_H_
