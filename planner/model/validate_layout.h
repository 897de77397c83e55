// Validation of a parallel layout against a model and training settings:
// degrees positive, tp dividing heads and KV heads, pp not above the layer
// count (and dividing it with interleaving), ep dividing the experts, cp
// dividing the sequence, global batch divisible by micro-batch x dp, ZeRO stage
// 0-3. Errors are InvalidArgument naming field and value.
#ifndef MEMWALL_PLANNER_MODEL_VALIDATE_LAYOUT_H_
#define MEMWALL_PLANNER_MODEL_VALIDATE_LAYOUT_H_

#include <cstdint>

#include "absl/status/status.h"
#include "planner/model/layout.h"
#include "proto/model.pb.h"
#include "proto/training.pb.h"

namespace memwall {

// Most pipeline stages a layout may have (the memory breakdown holds them in a
// fixed array).
inline constexpr int kMaxPipelineStages = 256;

// `gpus` > 0 also checks dp x tp x pp x cp == gpus.
absl::Status ValidateLayout(const ModelSpec& model,
                            const TrainingSpec& training,
                            const ParallelLayout& layout, int64_t gpus = 0);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_VALIDATE_LAYOUT_H_
