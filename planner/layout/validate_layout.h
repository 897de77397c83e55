// Every rule a parallel layout must satisfy, in one place, for every command:
// `memwall memory` (a complete layout), `plan` (the fixed part of a layout,
// then each degree tuple the search enumerates) and `fit`. A rule is checked
// as soon as the fields it reads are known, so the same mistake gives the
// same message everywhere. Errors are InvalidArgument naming the flag and its
// value, e.g. "--pp=7 must divide num_layers=96 ...".
#ifndef MEMWALL_PLANNER_LAYOUT_VALIDATE_LAYOUT_H_
#define MEMWALL_PLANNER_LAYOUT_VALIDATE_LAYOUT_H_

#include <cstdint>

#include "absl/status/status.h"
#include "planner/layout/parallel_layout.h"
#include "proto/cluster.pb.h"
#include "proto/model.pb.h"
#include "proto/training.pb.h"

namespace memwall {

// Most pipeline stages a layout may have (the memory breakdown holds them in a
// fixed array).
inline constexpr int kMaxPipelineStages = 256;
// Degrees up to 2^24 keep every product of them inside int64.
inline constexpr int64_t kMaxDegree = int64_t{1} << 24;

// What the rules read of the model, the training run and the cluster. Zero
// means unknown (the rule is skipped), except `experts`: 0 is a dense model.
struct LayoutLimits {
  bool transformer = true;  // false: a layer graph (DP, ZeRO and PP only)
  int64_t heads = 0;
  int64_t kv_heads = 0;
  int64_t layers = 0;
  int64_t experts = 0;
  int64_t seq_len = 0;
  int64_t global_batch = 0;
  int64_t gpus_per_node = 0;
  bool host_offload = true;  // the cluster can offload (host link and DRAM)
  // training.kernels=eager: PyTorch eager modules on one device (tp, cp and ep
  // 1, no SP), without recompute or flash attention (docs/memory.md).
  bool eager_kernels = false;
};

// From the model and training protos (and the cluster, when given).
LayoutLimits LimitsOf(const ModelSpec& model, const TrainingSpec& training,
                      const ClusterSpec* cluster = nullptr);

// The rules whose fields `choice` fixes. `gpus` > 0: the fixed degrees must
// divide it, and equal it when dp, tp, pp and cp are all fixed.
absl::Status CheckLayoutChoice(const LayoutLimits& limits,
                               const LayoutChoice& choice, int64_t gpus = 0);

// Every rule, on a complete layout and its schedule.
absl::Status ValidateLayout(const LayoutLimits& limits,
                            const ParallelLayout& layout, int64_t gpus = 0,
                            const ScheduleOptions& schedule = {});

}  // namespace memwall

#endif  // MEMWALL_PLANNER_LAYOUT_VALIDATE_LAYOUT_H_
