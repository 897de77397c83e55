// Memory per rank, per pipeline stage, for a transformer under a parallel
// layout and an accounting profile: weights, gradients, optimizer states, saved
// activations (in-flight micro-batches under 1F1B / interleaved 1F1B),
// communication buffers and fixed overheads, and host memory when states are
// offloaded. Create() precomputes everything that does not depend on the
// layout; Evaluate() allocates nothing, so a layout search can call it millions
// of times. Formulas and sources: docs/memory.md.
#ifndef MEMWALL_PLANNER_MEMORY_EVALUATOR_H_
#define MEMWALL_PLANNER_MEMORY_EVALUATOR_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "planner/layout/parallel_layout.h"
#include "planner/layout/validate_layout.h"
#include "planner/memory/model_states.h"
#include "planner/memory/overheads.h"
#include "planner/model/stage_params.h"
#include "planner/model/transformer.h"
#include "proto/cluster.pb.h"
#include "proto/model.pb.h"
#include "proto/training.pb.h"

namespace memwall {

// One rank of one pipeline stage. Bytes are per GPU.
struct StageBreakdown {
  int64_t num_layers = 0;
  int64_t params =
      0;  // parameters this rank holds (after TP/EP sharding, before ZeRO)
  int64_t weights_bytes = 0;
  int64_t gradients_bytes = 0;
  int64_t optimizer_bytes = 0;
  int64_t activations_bytes = 0;
  int64_t other_bytes = 0;  // sum of the items below
  int64_t total_bytes = 0;
  int64_t host_bytes = 0;  // host memory per rank (offload)
  double in_flight_micro_batches = 0;
  // Items of other_bytes (memwall profile; DeepSpeed's ZeRO-3 largest-layer
  // term).
  int64_t cuda_context_bytes = 0;
  int64_t comm_buffer_bytes = 0;
  int64_t zero3_gathered_bytes = 0;
  int64_t allocator_headroom_bytes = 0;
  int64_t transient_bytes =
      0;  // recomputed layer (full recompute), logits work space
  int64_t fp8_weight_bytes = 0;  // FP8 weight copies and transposes (TE)
};

// Room for kMaxPipelineStages stages that is not cleared on construction:
// Evaluate writes stages [0, num_stages) and nothing reads past them, so a
// breakdown costs what its used stages cost (clearing all 256 dominated
// Evaluate). StageBreakdown is trivially copyable, so copies are plain.
class StageArray {
 public:
  StageArray() {}  // leaves the storage uninitialized on purpose
  StageBreakdown& operator[](int i) { return storage_.stages[i]; }
  const StageBreakdown& operator[](int i) const { return storage_.stages[i]; }

 private:
  union Storage {
    Storage() {}
    StageBreakdown stages[kMaxPipelineStages];
  } storage_;
};

struct MemoryBreakdown {
  int num_stages = 0;
  // stages[0, num_stages) are filled; the rest are unspecified.
  StageArray stages;
  int peak_stage = 0;
  int64_t peak_bytes = 0;
  int64_t capacity_bytes = 0;  // 0 without a cluster
  bool fits = true;  // peak_bytes <= capacity_bytes (true without a cluster)
};

// The peak stage only: what the search needs.
struct PeakMemory {
  int peak_stage = 0;
  int64_t peak_bytes = 0;
  bool fits = true;
  StageBreakdown stage;
};

// Saved activation bytes of one part of the model for one micro-batch on one
// rank.
struct PartBytes {
  std::string name;  // "embedding", "layer 0", ..., "head"
  int64_t bytes = 0;
};

class MemoryEvaluator {
 public:
  // Validates the model and training settings; `cluster` may be null (no
  // capacity check).
  static absl::StatusOr<MemoryEvaluator> Create(const ModelSpec& model,
                                                const TrainingSpec& training,
                                                Profile profile,
                                                const ClusterSpec* cluster);

  // The layout must have passed ValidateLayout (CheckLayout does that).
  MemoryBreakdown Evaluate(const ParallelLayout& layout) const;
  // The same peak as Evaluate, evaluating only the stages that can hold it (at
  // most four when all layers are of one kind and vpp = 1).
  PeakMemory EvaluatePeak(const ParallelLayout& layout) const;
  StageBreakdown EvaluateStage(const ParallelLayout& layout, int stage) const;

  // Every layer's saved bytes for one micro-batch at the run's dtype, with the
  // embedding first and the head (final norm, output layer, loss) last; the
  // layout must have passed CheckLayout.
  std::vector<PartBytes> LayerActivations(const ParallelLayout& layout) const;

  absl::Status CheckLayout(const ParallelLayout& layout,
                           int64_t gpus = 0) const;

  int64_t params() const { return params_.total; }
  const TransformerParams& param_counts() const { return params_; }
  Profile profile() const { return profile_; }
  int64_t capacity_bytes() const { return capacity_bytes_; }
  int64_t gpus_per_node() const { return gpus_per_node_; }
  const ModelSpec& model() const { return model_; }
  const TrainingSpec& training() const { return training_; }

 private:
  MemoryEvaluator() = default;

  // Everything about a layout that is the same on every stage (defined in
  // evaluator.cc).
  struct LayoutTerms;
  LayoutTerms Prepare(const ParallelLayout& layout) const;
  StageBreakdown Stage(const LayoutTerms& terms, const ParallelLayout& layout,
                       int stage) const;

  ModelSpec model_;
  TrainingSpec training_;
  Profile profile_ = PROFILE_MEMWALL;
  int64_t capacity_bytes_ = 0;
  int64_t gpus_per_node_ = 8;
  MemwallOverheads overheads_;
  LayoutLimits limits_;
  TransformerParams params_;  // as the model holds them
  // Where parameters sit (planner/model/stage_params.h): as the model holds
  // them, and in Megatron's convention (unpadded vocabulary) for its profile.
  StageParamModel stage_params_, megatron_stage_params_;
  int64_t num_layers_ = 0;
  bool single_kind_ =
      true;  // every layer of one kind: EvaluatePeak may skip stages
  // [kind][flash][recompute - 1]
  std::array<std::array<std::array<ActivationCoefficients, 3>, 2>,
             kNumLayerKinds>
      coeff_;
  int activation_bytes_ = 2;
  int logit_bytes_ = 4;       // per saved logit (training.cross_entropy)
  bool eager_ = false;        // training.kernels == KERNELS_EAGER
  Dtype state_dtype_ = BF16;  // the dtype model states are priced at
  StateBytes state_bytes_;
};

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MEMORY_EVALUATOR_H_
