#include "planner/cli/plan_request.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "planner/comm/cluster_validate.h"
#include "planner/memory/evaluator.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

absl::Status SetInt(const Flags& flags, const char* name,
                    std::optional<int64_t>* out, bool* any) {
  MEMWALL_ASSIGN_OR_RETURN(*out, flags.GetOptionalInt(name));
  if (out->has_value()) *any = true;
  return absl::OkStatus();
}

absl::Status SetBool(const Flags& flags, const char* name,
                     std::optional<bool>* out, bool* any) {
  if (!flags.Has(name)) return absl::OkStatus();
  MEMWALL_ASSIGN_OR_RETURN(const bool value, flags.GetBool(name, false));
  *out = value;
  *any = true;
  return absl::OkStatus();
}

absl::StatusOr<Recompute> ParseRecompute(const std::string& v) {
  if (v == "none") return RECOMPUTE_NONE;
  if (v == "selective") return RECOMPUTE_SELECTIVE;
  if (v == "full") return RECOMPUTE_FULL;
  return absl::InvalidArgumentError(
      absl::StrCat("--recompute=", v, " is not one of none, selective, full"));
}

absl::StatusOr<Offload> ParseOffload(const std::string& v) {
  if (v == "none") return OFFLOAD_NONE;
  if (v == "optimizer") return OFFLOAD_OPTIMIZER;
  if (v == "params") return OFFLOAD_PARAMS;
  return absl::InvalidArgumentError(
      absl::StrCat("--offload=", v, " is not one of none, optimizer, params"));
}

absl::StatusOr<Dtype> ParseDtype(const std::string& v) {
  if (v == "bf16") return BF16;
  if (v == "fp16") return FP16;
  if (v == "fp32") return FP32;
  if (v == "fp8") return FP8;
  return absl::InvalidArgumentError(
      absl::StrCat("--dtype=", v, " is not one of bf16, fp16, fp32, fp8"));
}

absl::StatusOr<Optimizer> ParseOptimizer(const std::string& v) {
  if (v == "adam" || v == "adamw") return ADAM;
  if (v == "sgd") return SGD;
  if (v == "sgd_momentum") return SGD_MOMENTUM;
  return absl::InvalidArgumentError(absl::StrCat(
      "--optimizer=", v, " is not one of adam, sgd, sgd_momentum"));
}

}  // namespace

absl::StatusOr<PlanRequest> ParsePlanRequest(const Flags& flags,
                                             bool need_gpus) {
  PlanRequest r;
  MEMWALL_ASSIGN_OR_RETURN(const std::string model_name,
                           flags.GetString("model", ""));
  MEMWALL_ASSIGN_OR_RETURN(const std::string cluster_name,
                           flags.GetString("cluster", ""));
  if (model_name.empty())
    return absl::InvalidArgumentError("--model is required");
  if (cluster_name.empty())
    return absl::InvalidArgumentError("--cluster is required");
  MEMWALL_ASSIGN_OR_RETURN(r.model, LoadModel(model_name, flags.GetAll("set")));
  if (!r.model.has_transformer()) {
    return absl::UnimplementedError(absl::StrCat(
        "--model=", model_name,
        " is a layer-graph model; the layout search covers transformers. "
        "Plan its data-parallel, ZeRO and pipeline layouts with `memwall "
        "memory --model=",
        model_name, " --dp=N --zero=Z --pp=P` (docs/layer-graphs.md)"));
  }
  MEMWALL_ASSIGN_OR_RETURN(
      r.cluster, LoadValidCluster(cluster_name, flags.GetAll("cluster_set")));

  MEMWALL_ASSIGN_OR_RETURN(const std::optional<int64_t> gpus,
                           flags.GetOptionalInt("gpus"));
  MEMWALL_ASSIGN_OR_RETURN(const std::optional<int64_t> nodes,
                           flags.GetOptionalInt("nodes"));
  if (gpus || nodes) {
    MEMWALL_ASSIGN_OR_RETURN(r.gpus, ResolveGpuCount(r.cluster, gpus, nodes));
  }
  if (need_gpus && !r.gpus)
    return absl::InvalidArgumentError("--gpus (or --nodes) is required");

  const int64_t default_batch = r.model.training_setup().batch_size();
  MEMWALL_ASSIGN_OR_RETURN(const int64_t batch,
                           flags.GetInt("global_batch", default_batch));
  if (batch <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--global_batch=", batch, " must be positive (model ", r.model.name(),
        " has no training_setup.batch_size to default to)"));
  }
  r.training.set_global_batch(batch);
  const int64_t default_seq =
      r.model.has_transformer() ? r.model.transformer().max_seq_len() : 0;
  MEMWALL_ASSIGN_OR_RETURN(const int64_t seq,
                           flags.GetInt("seq_len", default_seq));
  if (seq <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--seq_len=", seq, " must be positive"));
  }
  r.training.set_seq_len(seq);
  MEMWALL_ASSIGN_OR_RETURN(const std::string dtype,
                           flags.GetString("dtype", "bf16"));
  MEMWALL_ASSIGN_OR_RETURN(const Dtype d, ParseDtype(dtype));
  r.training.set_dtype(d);
  MEMWALL_ASSIGN_OR_RETURN(const std::string opt,
                           flags.GetString("optimizer", "adam"));
  MEMWALL_ASSIGN_OR_RETURN(const Optimizer o, ParseOptimizer(opt));
  r.training.set_optimizer(o);
  MEMWALL_ASSIGN_OR_RETURN(
      const double tokens,
      flags.GetDouble("train_tokens", r.model.training_setup().tokens()));
  if (tokens < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--train_tokens=", tokens, " must not be negative"));
  }
  r.training.set_train_tokens(tokens);

  SearchConstraints& c = r.constraints;
  bool* any = &r.any_layout_flag;
  MEMWALL_RETURN_IF_ERROR(SetInt(flags, "dp", &c.dp, any));
  MEMWALL_RETURN_IF_ERROR(SetInt(flags, "tp", &c.tp, any));
  MEMWALL_RETURN_IF_ERROR(SetInt(flags, "pp", &c.pp, any));
  MEMWALL_RETURN_IF_ERROR(SetInt(flags, "vpp", &c.vpp, any));
  MEMWALL_RETURN_IF_ERROR(SetInt(flags, "cp", &c.cp, any));
  MEMWALL_RETURN_IF_ERROR(SetInt(flags, "ep", &c.ep, any));
  MEMWALL_RETURN_IF_ERROR(SetInt(flags, "micro_batch", &c.micro_batch, any));
  std::optional<int64_t> zero;
  MEMWALL_RETURN_IF_ERROR(SetInt(flags, "zero", &zero, any));
  if (zero) c.zero_stage = static_cast<int>(*zero);
  if (flags.Has("recompute")) {
    MEMWALL_ASSIGN_OR_RETURN(const std::string v,
                             flags.GetString("recompute", ""));
    MEMWALL_ASSIGN_OR_RETURN(c.recompute, ParseRecompute(v));
    *any = true;
  }
  if (flags.Has("offload")) {
    MEMWALL_ASSIGN_OR_RETURN(const std::string v,
                             flags.GetString("offload", ""));
    MEMWALL_ASSIGN_OR_RETURN(c.offload, ParseOffload(v));
    *any = true;
  }
  MEMWALL_RETURN_IF_ERROR(
      SetBool(flags, "sequence_parallel", &c.sequence_parallel, any));
  MEMWALL_RETURN_IF_ERROR(
      SetBool(flags, "flash_attention", &c.flash_attention, any));
  MEMWALL_RETURN_IF_ERROR(SetBool(flags, "tp_overlap", &c.tp_overlap, any));
  MEMWALL_RETURN_IF_ERROR(SetBool(flags, "dp_overlap", &c.dp_overlap, any));
  MEMWALL_RETURN_IF_ERROR(SetBool(flags, "pp_inside_dp", &c.pp_inside_dp, any));
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
      ClusterParamsFromSpec(r.cluster, r.training.dtype()));
  return MakeStepContext(shape, params, r.training);
}

}  // namespace memwall
