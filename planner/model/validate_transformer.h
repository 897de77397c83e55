// Validation of models, training settings and parallel layouts. Each error is
// InvalidArgument naming the field path and its value, e.g. "layout.tp=3 must
// divide model.transformer.num_heads=32". Compute code assumes validated input.
#ifndef MEMWALL_PLANNER_MODEL_VALIDATE_TRANSFORMER_H_
#define MEMWALL_PLANNER_MODEL_VALIDATE_TRANSFORMER_H_

#include "absl/status/status.h"
#include "proto/model.pb.h"
#include "proto/training.pb.h"

namespace memwall {

// Sizes positive, enums set, heads dividing, MoE consistent; sizes below 2^40
// so that no product overflows.
absl::Status ValidateTransformer(const TransformerSpec& spec);

// Dispatches: transformers as above; layer graphs are checked by their own
// counter.
absl::Status ValidateModel(const ModelSpec& model);

// global_batch and seq_len positive, enums set.
absl::Status ValidateTraining(const TrainingSpec& training);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_VALIDATE_TRANSFORMER_H_
