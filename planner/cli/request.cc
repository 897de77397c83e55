#include "planner/cli/request.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/enum_names.h"
#include "common/status.h"
#include "planner/cli/megatron_args.h"
#include "planner/comm/cluster_validate.h"
#include "planner/layout/validate_layout.h"
#include "planner/model/validate_transformer.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

template <typename E>
absl::StatusOr<std::optional<E>> GetEnum(
    const Flags& flags, const std::string& name,
    const std::vector<std::pair<std::string, int>>& aliases = {}) {
  if (!flags.Has(name)) return std::optional<E>();
  MEMWALL_ASSIGN_OR_RETURN(const std::string text, flags.GetString(name, ""));
  MEMWALL_ASSIGN_OR_RETURN(const E value, ParseEnum<E>(name, text, aliases));
  return std::optional<E>(value);
}

absl::StatusOr<std::optional<bool>> GetOptionalBool(const Flags& flags,
                                                    const std::string& name) {
  if (!flags.Has(name)) return std::optional<bool>();
  MEMWALL_ASSIGN_OR_RETURN(const bool value, flags.GetBool(name, false));
  return std::optional<bool>(value);
}

absl::Status ParseLayoutFlags(const Flags& flags, LayoutChoice* l) {
  for (const LayoutInt& f : kLayoutInts) {
    MEMWALL_ASSIGN_OR_RETURN(l->*f.choice, flags.GetOptionalInt(f.flag));
  }
  MEMWALL_ASSIGN_OR_RETURN(l->recompute,
                           GetEnum<Recompute>(flags, "recompute"));
  MEMWALL_ASSIGN_OR_RETURN(l->offload, GetEnum<Offload>(flags, "offload"));
  for (auto [name, slot] :
       {std::pair<const char*, std::optional<bool>*>{"sequence_parallel",
                                                     &l->sequence_parallel},
        {"flash_attention", &l->flash_attention},
        {"tp_overlap", &l->tp_overlap},
        {"dp_overlap", &l->dp_overlap},
        {"pp_inside_dp", &l->pp_inside_dp},
        {"account_embedding_in_split", &l->account_embedding},
        {"account_loss_in_split", &l->account_loss}}) {
    MEMWALL_ASSIGN_OR_RETURN(*slot, GetOptionalBool(flags, name));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Request> ParseRequest(const Flags& flags) {
  Request r;
  MEMWALL_ASSIGN_OR_RETURN(r.format, GetFormat(flags, false, true));
  // --model, or the model of a Megatron-LM launch line (--megatron_args).
  MEMWALL_ASSIGN_OR_RETURN(r.model, LoadModelFromFlags(flags, &r.model_name));
  MEMWALL_ASSIGN_OR_RETURN(const std::string cluster,
                           flags.GetString("cluster", ""));
  const std::vector<std::string> cluster_sets = flags.GetAll("cluster_set");
  if (!cluster.empty()) {
    MEMWALL_ASSIGN_OR_RETURN(r.cluster, LoadCluster(cluster, cluster_sets));
  } else if (!cluster_sets.empty()) {
    return absl::InvalidArgumentError("--cluster_set needs --cluster");
  }

  MEMWALL_ASSIGN_OR_RETURN(const std::optional<Profile> profile,
                           GetEnum<Profile>(flags, "profile"));
  r.profile = profile.value_or(PROFILE_MEMWALL);
  MEMWALL_ASSIGN_OR_RETURN(const std::optional<Dtype> dtype,
                           GetEnum<Dtype>(flags, "dtype"));
  // The founding tables are fp32 (AI and Memory Wall README); everything else
  // trains in bf16.
  r.training.set_dtype(dtype.value_or(r.profile == PROFILE_SEED ? FP32 : BF16));
  // How the step is scheduled and which efficiencies apply (docs/timing.md
  // "Training stacks").
  MEMWALL_ASSIGN_OR_RETURN(const std::optional<Stack> stack,
                           GetEnum<Stack>(flags, "stack"));
  r.training.set_stack(stack.value_or(STACK_MEGATRON));
  MEMWALL_ASSIGN_OR_RETURN(
      const std::optional<Optimizer> optimizer,
      GetEnum<Optimizer>(flags, "optimizer", {{"adamw", ADAM}}));
  // Seed convention: SGD-momentum for vision models, Adam for the rest.
  r.training.set_optimizer(optimizer.value_or(
      r.profile == PROFILE_SEED && r.model.domain() == "cv" ? SGD_MOMENTUM
                                                            : ADAM));
  const int64_t default_seq =
      r.model.has_transformer() ? r.model.transformer().max_seq_len() : 1;
  MEMWALL_ASSIGN_OR_RETURN(const int64_t seq_len,
                           flags.GetInt("seq_len", default_seq));
  if (seq_len <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--seq_len=", seq_len, " must be positive"));
  }
  r.training.set_seq_len(seq_len);
  MEMWALL_ASSIGN_OR_RETURN(const std::optional<int64_t> global_batch,
                           flags.GetOptionalInt("global_batch"));
  if (global_batch) {
    if (*global_batch <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--global_batch=", *global_batch, " must be positive"));
    }
    r.training.set_global_batch(*global_batch);
  }
  MEMWALL_ASSIGN_OR_RETURN(
      const double tokens,
      flags.GetDouble("train_tokens", r.model.training_setup().tokens()));
  if (!(tokens >= 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--train_tokens=", tokens, " must not be negative"));
  }
  r.training.set_train_tokens(tokens);
  MEMWALL_ASSIGN_OR_RETURN(const bool dist_opt,
                           flags.GetBool("distributed_optimizer", false));
  r.training.set_distributed_optimizer(dist_opt);
  MEMWALL_ASSIGN_OR_RETURN(const bool zero_init,
                           flags.GetBool("zero_init", true));
  r.training.set_zero_init(zero_init);
  // Implementation conventions (docs/memory.md): whose kernels the activations
  // follow, the device of eager kernels, and how 16-bit training keeps states.
  MEMWALL_ASSIGN_OR_RETURN(const std::optional<Kernels> kernels,
                           GetEnum<Kernels>(flags, "kernels"));
  // Unset fields mean fused / cuda / master weights (proto/training.proto).
  if (kernels) r.training.set_kernels(*kernels);
  MEMWALL_ASSIGN_OR_RETURN(const std::optional<KernelDevice> device,
                           GetEnum<KernelDevice>(flags, "kernel_device"));
  if (device) r.training.set_kernel_device(*device);
  MEMWALL_ASSIGN_OR_RETURN(const std::optional<MixedPrecision> precision,
                           GetEnum<MixedPrecision>(flags, "mixed_precision"));
  if (precision) r.training.set_mixed_precision(*precision);
  MEMWALL_ASSIGN_OR_RETURN(const std::optional<Dtype> grad_dtype,
                           GetEnum<Dtype>(flags, "main_grad_dtype"));
  if (grad_dtype) r.training.set_main_grad_dtype(*grad_dtype);
  MEMWALL_ASSIGN_OR_RETURN(const std::optional<CrossEntropy> cross_entropy,
                           GetEnum<CrossEntropy>(flags, "cross_entropy"));
  if (cross_entropy) r.training.set_cross_entropy(*cross_entropy);

  MEMWALL_ASSIGN_OR_RETURN(const std::optional<int64_t> gpus,
                           flags.GetOptionalInt("gpus"));
  MEMWALL_ASSIGN_OR_RETURN(const std::optional<int64_t> nodes,
                           flags.GetOptionalInt("nodes"));
  if (nodes && !r.cluster) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--nodes=", *nodes, " needs --cluster (for its GPUs per node)"));
  }
  if (r.cluster && (gpus || nodes)) {
    MEMWALL_ASSIGN_OR_RETURN(r.gpus, ResolveGpuCount(*r.cluster, gpus, nodes));
  } else if (gpus) {
    if (*gpus <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--gpus=", *gpus, " must be positive"));
    }
    r.gpus = gpus;
  }
  MEMWALL_RETURN_IF_ERROR(ParseLayoutFlags(flags, &r.layout));
  return r;
}

absl::StatusOr<ParallelLayout> ResolveLayout(Request& r) {
  MEMWALL_RETURN_IF_ERROR(ValidateModel(r.model));
  const bool batch_given = r.training.global_batch() != 0;
  if (batch_given) MEMWALL_RETURN_IF_ERROR(ValidateTraining(r.training));
  const LayoutLimits limits =
      LimitsOf(r.model, r.training, r.cluster_or_null());
  MEMWALL_RETURN_IF_ERROR(
      CheckLayoutChoice(limits, r.layout, r.gpus.value_or(0)));
  for (const auto& [flag, value] : {std::pair<const char*, std::optional<bool>>{
                                        "tp_overlap", r.layout.tp_overlap},
                                    {"dp_overlap", r.layout.dp_overlap},
                                    {"pp_inside_dp", r.layout.pp_inside_dp}}) {
    if (value) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", flag,
                       " changes step time, not memory; memwall plan and fit "
                       "take it"));
    }
  }
  const ParallelLayout l = CompleteLayout(r.layout, r.gpus.value_or(0));
  MEMWALL_RETURN_IF_ERROR(ValidateLayout(limits, l, r.gpus.value_or(0)));
  if (!batch_given) {
    // Default global batch: one micro-batch per pipeline stage and
    // data-parallel rank, so that the 1F1B pipeline is full.
    r.training.set_global_batch(l.micro_batch * l.dp * l.pp);
    MEMWALL_RETURN_IF_ERROR(ValidateTraining(r.training));
  }
  r.gpus = l.gpus();
  return l;
}

}  // namespace memwall
