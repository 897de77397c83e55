#include "planner/validation/mechanisms.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "planner/timing/cluster_params.h"
#include "planner/timing/compute_efficiency.h"
#include "planner/validation/evaluate_run.h"
#include "planner/validation/runs.h"

namespace memwall {
namespace {

// Every mechanism some embedded row exercises, computed once.
const std::set<std::string>& ValidatedMechanisms() {
  static const auto* validated = [] {
    auto* out = new std::set<std::string>;
    absl::StatusOr<std::vector<LoadedRun>> runs = LoadRuns("");
    if (!runs.ok()) return out;  // nothing validated (tested to load)
    for (const LoadedRun& r : *runs) {
      absl::StatusOr<ClusterSpec> cluster = ClusterOfRun(r);
      if (!cluster.ok()) continue;
      const TrainingSpec& t = r.run.training();
      absl::StatusOr<TransformerShape> shape =
          ShapeFromModel(r.model, t.seq_len());
      absl::StatusOr<ClusterParams> params =
          ClusterParamsFromSpec(*cluster, t.dtype(), r.run.stack());
      if (!shape.ok() || !params.ok()) continue;
      absl::StatusOr<StepContext> ctx = MakeStepContext(*shape, *params, t);
      if (!ctx.ok()) continue;
      for (std::string& m : MechanismsOf(*ctx, FromProto(r.run.layout()),
                                         ScheduleOf(r.run), cluster->name())) {
        out->insert(std::move(m));
      }
    }
    return out;
  }();
  return *validated;
}

}  // namespace

std::vector<std::string> MechanismsOf(const StepContext& ctx,
                                      const ParallelLayout& l,
                                      const ScheduleOptions& o,
                                      const std::string& cluster_name) {
  std::vector<std::string> m;
  const int64_t per_node = std::max<int64_t>(1, ctx.cluster.gpus_per_node);
  if (l.tp > 1) m.push_back("tensor parallelism");
  if (l.tp > per_node) m.push_back("tensor parallelism across nodes");
  if (l.sequence_parallel) m.push_back("sequence parallelism");
  if (o.tp_overlap && l.sequence_parallel) m.push_back("TP overlap");
  if (l.pp > 1) m.push_back("pipeline parallelism");
  if (l.vpp > 1) m.push_back("interleaved pipeline");
  if (l.cp > 1) m.push_back("context parallelism");
  if (ctx.shape.experts > 0) m.push_back("mixture of experts");
  if (l.ep > 1) m.push_back("expert parallelism");
  if (l.dp * l.cp > 1 && l.tp * l.cp * l.dp > per_node) {
    m.push_back("data parallelism across nodes");
  }
  if (o.pp_inside_dp && l.pp > 1 && l.dp > 1) m.push_back("PP inside DP order");
  if (l.zero_stage > 0) m.push_back(absl::StrCat("ZeRO-", l.zero_stage));
  if (l.offload != OFFLOAD_NONE) m.push_back("offload");
  if (l.recompute == RECOMPUTE_FULL) m.push_back("full recomputation");
  if (l.recompute == RECOMPUTE_SELECTIVE) {
    m.push_back("selective recomputation");
  }
  if (l.flash_attention) m.push_back("flash attention");
  if (ctx.shape.kv_heads < ctx.shape.heads)
    m.push_back("grouped-query attention");
  m.push_back(ctx.cluster.fp8 ? "FP8 (Transformer Engine)"
                              : "16-bit linear layers");
  // Each mechanism is validated only with the stack and cluster of a row that
  // runs it: flash attention measured under FSDP on A100s says nothing of its
  // speed under Megatron-LM, nor on B200s.
  const std::string where =
      absl::StrCat(" (", StackName(ctx.stack), " on ", cluster_name, ")");
  for (std::string& name : m) name += where;
  m.push_back(
      absl::StrCat("stack ", StackName(ctx.stack), " on ", cluster_name));
  return m;
}

std::vector<std::string> UnvalidatedMechanisms(
    const StepContext& ctx, const ParallelLayout& layout,
    const ScheduleOptions& options, const std::string& cluster_name) {
  const std::set<std::string>& validated = ValidatedMechanisms();
  std::vector<std::string> out;
  for (std::string& m : MechanismsOf(ctx, layout, options, cluster_name)) {
    if (validated.count(m) == 0) out.push_back(std::move(m));
  }
  return out;
}

}  // namespace memwall
