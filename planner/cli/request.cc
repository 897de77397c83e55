#include "planner/cli/request.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/checked.h"
#include "common/status.h"
#include "planner/comm/cluster_validate.h"
#include "planner/model/validate_layout.h"
#include "planner/model/validate_transformer.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

// Reads an enum flag from its names; InvalidArgument listing the choices
// otherwise.
template <typename E>
absl::StatusOr<std::optional<E>> GetChoice(
    const Flags& flags, const std::string& name,
    const std::vector<std::pair<const char*, E>>& choices) {
  if (!flags.Has(name)) return std::optional<E>();
  MEMWALL_ASSIGN_OR_RETURN(std::string value, flags.GetString(name, ""));
  value = absl::AsciiStrToLower(value);
  std::vector<std::string> names;
  for (const auto& [text, e] : choices) {
    if (value == text) return std::optional<E>(e);
    names.push_back(text);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--", name, "=", value, " is not one of ", absl::StrJoin(names, ", ")));
}

absl::StatusOr<std::optional<bool>> GetOptionalBool(const Flags& flags,
                                                    const std::string& name) {
  if (!flags.Has(name)) return std::optional<bool>();
  MEMWALL_ASSIGN_OR_RETURN(const bool value, flags.GetBool(name, false));
  return std::optional<bool>(value);
}

}  // namespace

int64_t LayoutGpus(const ParallelLayout& l) {
  return l.dp * l.tp * l.pp * l.cp;
}

absl::StatusOr<Request> ParseRequest(const Flags& flags) {
  Request r;
  MEMWALL_ASSIGN_OR_RETURN(r.format, GetFormat(flags));
  MEMWALL_ASSIGN_OR_RETURN(r.model_name, flags.GetString("model", ""));
  if (r.model_name.empty())
    return absl::InvalidArgumentError("--model is required");
  MEMWALL_ASSIGN_OR_RETURN(r.model,
                           LoadModel(r.model_name, flags.GetAll("set")));
  MEMWALL_ASSIGN_OR_RETURN(const std::string cluster,
                           flags.GetString("cluster", ""));
  const std::vector<std::string> cluster_sets = flags.GetAll("cluster_set");
  if (!cluster.empty()) {
    MEMWALL_ASSIGN_OR_RETURN(r.cluster,
                             LoadValidCluster(cluster, cluster_sets));
  } else if (!cluster_sets.empty()) {
    return absl::InvalidArgumentError("--cluster_set needs --cluster");
  }

  MEMWALL_ASSIGN_OR_RETURN(std::optional<Profile> profile,
                           GetChoice<Profile>(flags, "profile",
                                              {{"memwall", PROFILE_MEMWALL},
                                               {"megatron", PROFILE_MEGATRON},
                                               {"deepspeed", PROFILE_DEEPSPEED},
                                               {"zero", PROFILE_ZERO},
                                               {"seed", PROFILE_SEED}}));
  r.profile = profile.value_or(PROFILE_MEMWALL);
  MEMWALL_ASSIGN_OR_RETURN(
      std::optional<Dtype> dtype,
      GetChoice<Dtype>(
          flags, "dtype",
          {{"fp32", FP32}, {"bf16", BF16}, {"fp16", FP16}, {"fp8", FP8}}));
  // The founding tables are fp32 (AI and Memory Wall README); everything else
  // trains in bf16.
  r.training.set_dtype(dtype.value_or(r.profile == PROFILE_SEED ? FP32 : BF16));
  MEMWALL_ASSIGN_OR_RETURN(
      std::optional<Optimizer> optimizer,
      GetChoice<Optimizer>(flags, "optimizer",
                           {{"adam", ADAM},
                            {"adamw", ADAM},
                            {"sgd", SGD},
                            {"sgd_momentum", SGD_MOMENTUM}}));
  // Seed convention: SGD-momentum for vision models, Adam for the rest.
  r.training.set_optimizer(optimizer.value_or(
      r.profile == PROFILE_SEED && r.model.domain() == "cv" ? SGD_MOMENTUM
                                                            : ADAM));
  const int64_t default_seq =
      r.model.has_transformer() ? r.model.transformer().max_seq_len() : 1;
  MEMWALL_ASSIGN_OR_RETURN(const int64_t seq_len,
                           flags.GetInt("seq_len", default_seq));
  r.training.set_seq_len(seq_len);
  MEMWALL_ASSIGN_OR_RETURN(const std::optional<int64_t> global_batch,
                           flags.GetOptionalInt("global_batch"));
  if (global_batch) r.training.set_global_batch(*global_batch);
  MEMWALL_ASSIGN_OR_RETURN(const bool dist_opt,
                           flags.GetBool("distributed_optimizer", false));
  r.training.set_distributed_optimizer(dist_opt);
  MEMWALL_ASSIGN_OR_RETURN(const bool zero_init,
                           flags.GetBool("zero_init", true));
  r.training.set_zero_init(zero_init);

  MEMWALL_ASSIGN_OR_RETURN(r.gpus, flags.GetOptionalInt("gpus"));
  MEMWALL_ASSIGN_OR_RETURN(r.nodes, flags.GetOptionalInt("nodes"));
  LayoutFlags& l = r.layout;
  for (auto [name, slot] :
       {std::pair<const char*, std::optional<int64_t>*>{"dp", &l.dp},
        {"tp", &l.tp},
        {"pp", &l.pp},
        {"vpp", &l.vpp},
        {"cp", &l.cp},
        {"ep", &l.ep},
        {"etp", &l.etp},
        {"zero", &l.zero_stage},
        {"micro_batch", &l.micro_batch}}) {
    MEMWALL_ASSIGN_OR_RETURN(*slot, flags.GetOptionalInt(name));
  }
  MEMWALL_ASSIGN_OR_RETURN(
      l.recompute, GetChoice<Recompute>(flags, "recompute",
                                        {{"none", RECOMPUTE_NONE},
                                         {"selective", RECOMPUTE_SELECTIVE},
                                         {"full", RECOMPUTE_FULL}}));
  MEMWALL_ASSIGN_OR_RETURN(l.offload,
                           GetChoice<Offload>(flags, "offload",
                                              {{"none", OFFLOAD_NONE},
                                               {"optimizer", OFFLOAD_OPTIMIZER},
                                               {"params", OFFLOAD_PARAMS}}));
  MEMWALL_ASSIGN_OR_RETURN(l.sequence_parallel,
                           GetOptionalBool(flags, "sequence_parallel"));
  MEMWALL_ASSIGN_OR_RETURN(l.flash_attention,
                           GetOptionalBool(flags, "flash_attention"));
  return r;
}

absl::StatusOr<ParallelLayout> ResolveLayout(Request& r) {
  const LayoutFlags& f = r.layout;
  ParallelLayout l;
  l.tp = f.tp.value_or(1);
  l.pp = f.pp.value_or(1);
  l.vpp = f.vpp.value_or(1);
  l.cp = f.cp.value_or(1);
  l.ep = f.ep.value_or(1);
  l.etp = f.etp.value_or(l.tp);
  l.micro_batch = f.micro_batch.value_or(1);
  l.zero_stage = static_cast<int>(f.zero_stage.value_or(0));
  l.recompute = f.recompute.value_or(RECOMPUTE_NONE);
  l.offload = f.offload.value_or(OFFLOAD_NONE);
  l.sequence_parallel = f.sequence_parallel.value_or(false);
  l.flash_attention = f.flash_attention.value_or(false);

  std::optional<int64_t> gpus = r.gpus;
  if (r.nodes) {
    if (!r.cluster) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--nodes=", *r.nodes, " needs --cluster (for its GPUs per node)"));
    }
    if (*r.nodes <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--nodes=", *r.nodes, " must be positive"));
    }
    const std::optional<int64_t> product =
        CheckedMul(*r.nodes, r.cluster->gpus_per_node());
    if (!product) {
      return absl::InvalidArgumentError(
          absl::StrCat("--nodes=", *r.nodes, " x ", r.cluster->gpus_per_node(),
                       " GPUs per node overflows a GPU count"));
    }
    const int64_t from_nodes = *product;
    if (gpus && *gpus != from_nodes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--gpus=", *gpus, " differs from --nodes=", *r.nodes, " x ",
          r.cluster->gpus_per_node(), " GPUs per node = ", from_nodes));
    }
    gpus = from_nodes;
  }
  if (gpus && *gpus <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--gpus=", *gpus, " must be positive"));
  }
  if (f.dp) {
    l.dp = *f.dp;
  } else if (gpus && l.tp > 0 && l.pp > 0 && l.cp > 0) {
    // 128-bit: the degrees are not validated yet and their product may exceed
    // int64.
    const __int128 wide = static_cast<__int128>(l.tp) * l.pp * l.cp;
    const int64_t model_parallel =
        wide > *gpus ? *gpus + 1 : static_cast<int64_t>(wide);
    if (wide > *gpus || *gpus % model_parallel != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("gpus=", *gpus, " is not a multiple of layout.tp=", l.tp,
                       " x pp=", l.pp, " x cp=", l.cp));
    }
    l.dp = *gpus / model_parallel;
  }
  MEMWALL_RETURN_IF_ERROR(ValidateModel(r.model));
  const bool batch_given = r.training.global_batch() != 0;
  if (batch_given) MEMWALL_RETURN_IF_ERROR(ValidateTraining(r.training));
  MEMWALL_RETURN_IF_ERROR(
      ValidateLayout(r.model, r.training, l, gpus.value_or(0)));
  if (!batch_given) {
    // Default global batch: one micro-batch per pipeline stage and
    // data-parallel rank, so that the 1F1B pipeline is full.
    r.training.set_global_batch(l.micro_batch * l.dp * l.pp);
    MEMWALL_RETURN_IF_ERROR(ValidateTraining(r.training));
  }
  r.gpus = LayoutGpus(l);
  return l;
}

}  // namespace memwall
