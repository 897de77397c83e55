#include "planner/cli/plan_request.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "planner/layout/validate_layout.h"
#include "planner/memory/evaluator.h"

namespace memwall {
namespace {

// The eager convention describes modules on one device without recompute or
// flash attention (the rule is ValidateLayout's): the search keeps to those
// layouts; a flag fixing another value fails CheckLayoutChoice.
void ConstrainForEager(LayoutChoice* c) {
  if (!c->tp) c->tp = 1;
  if (!c->cp) c->cp = 1;
  if (!c->ep) c->ep = 1;
  if (!c->sequence_parallel) c->sequence_parallel = false;
  if (!c->flash_attention) c->flash_attention = false;
  if (!c->recompute) c->recompute = RECOMPUTE_NONE;
}

}  // namespace

absl::StatusOr<PlanRequest> ParsePlanRequest(const Flags& flags,
                                             bool need_gpus) {
  MEMWALL_ASSIGN_OR_RETURN(Request base, ParseRequest(flags));
  if (!base.cluster) return absl::InvalidArgumentError("--cluster is required");
  if (!base.model.has_transformer()) {
    return absl::UnimplementedError(absl::StrCat(
        "--model=", base.model_name,
        " is a layer-graph model; the layout search covers transformers. "
        "Plan its data-parallel, ZeRO and pipeline layouts with `memwall "
        "memory --model=",
        base.model_name, " --dp=N --zero=Z --pp=P` (docs/layer-graphs.md)"));
  }
  if (base.profile != PROFILE_MEMWALL) {
    return absl::InvalidArgumentError(
        "--profile: plan and fit decide fit with the memwall profile");
  }
  if (need_gpus && !base.gpus)
    return absl::InvalidArgumentError("--gpus (or --nodes) is required");
  PlanRequest r;
  r.model = std::move(base.model);
  r.cluster = std::move(*base.cluster);
  r.training = std::move(base.training);
  r.gpus = base.gpus;
  r.constraints = base.layout;
  if (r.training.kernels() == KERNELS_EAGER) ConstrainForEager(&r.constraints);
  r.format = base.format;
  if (r.training.global_batch() == 0) {
    const int64_t batch = r.model.training_setup().batch_size();
    if (batch <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--global_batch is required (model ", r.model.name(),
                       " has no training_setup.batch_size to default to)"));
    }
    r.training.set_global_batch(batch);
  }
  MEMWALL_RETURN_IF_ERROR(
      CheckLayoutChoice(LimitsOf(r.model, r.training, &r.cluster),
                        r.constraints, r.gpus.value_or(0)));

  MEMWALL_ASSIGN_OR_RETURN(const int64_t top, flags.GetInt("top", 5));
  if (top <= 0 || top > 1000) {
    return absl::InvalidArgumentError(
        absl::StrCat("--top=", top, " must be in [1, 1000]"));
  }
  r.options.top_k = static_cast<int>(top);
  MEMWALL_ASSIGN_OR_RETURN(const int64_t threads, flags.GetInt("threads", 0));
  if (threads < 0 || threads > 1024) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--threads=", threads, " must be in [0, 1024] (0 = all cores)"));
  }
  r.options.threads = static_cast<int>(threads);
  // Fit is decided by planner/memory's evaluator (memwall profile).
  MEMWALL_ASSIGN_OR_RETURN(
      MemoryEvaluator memory,
      MemoryEvaluator::Create(r.model, r.training, PROFILE_MEMWALL,
                              &r.cluster));
  r.options.memory = std::make_shared<const MemoryEvaluator>(std::move(memory));
  return r;
}

absl::StatusOr<StepContext> MakeContext(const PlanRequest& r) {
  MEMWALL_ASSIGN_OR_RETURN(const TransformerShape shape,
                           ShapeFromModel(r.model, r.training.seq_len()));
  MEMWALL_ASSIGN_OR_RETURN(
      const ClusterParams params,
      ClusterParamsFromSpec(r.cluster, r.training.dtype(), r.training.stack()));
  return MakeStepContext(shape, params, r.training);
}

}  // namespace memwall
