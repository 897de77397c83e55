// The one parser of the flags that `memwall memory`, `plan` and `fit` share:
// model and cluster (zoo name or path, with --set / --cluster_set text-proto
// overrides), training settings, profile, GPU count, and every layout and
// schedule flag, into a LayoutChoice (planner/layout/parallel_layout.h: unset =
// free for the search, default for a single layout). Enum flags take the
// names of their proto enums (common/enum_names.h).
#ifndef MEMWALL_PLANNER_CLI_REQUEST_H_
#define MEMWALL_PLANNER_CLI_REQUEST_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/flags.h"
#include "planner/cli/output.h"
#include "planner/layout/parallel_layout.h"
#include "proto/cluster.pb.h"
#include "proto/model.pb.h"
#include "proto/training.pb.h"

namespace memwall {

struct Request {
  std::string model_name;
  ModelSpec model;
  std::optional<ClusterSpec> cluster;
  // seq_len (the model's max by default), dtype, optimizer, train_tokens;
  // global_batch when --global_batch is given.
  TrainingSpec training;
  Profile profile = PROFILE_MEMWALL;
  std::optional<int64_t> gpus;  // --gpus, or --nodes x the cluster's node size
  LayoutChoice layout;
  Format format = Format::kTable;

  const ClusterSpec* cluster_or_null() const {
    return cluster ? &*cluster : nullptr;
  }
};

// Reads --format --model --set --cluster --cluster_set --profile --dtype
// --optimizer --seq_len --global_batch --train_tokens --distributed_optimizer
// --zero_init --gpus --nodes, and the layout flags --dp --tp --pp --vpp --cp
// --ep --etp --zero --micro_batch --recompute --offload --sequence_parallel
// --flash_attention --first_stage_layers --last_stage_layers
// --account_embedding_in_split --account_loss_in_split --tp_overlap
// --dp_overlap --pp_inside_dp. Does not call CheckNoUnknown (the command may
// read more flags first).
absl::StatusOr<Request> ParseRequest(const Flags& flags);

// The layout `memwall memory` evaluates: the user's choice checked
// (CheckLayoutChoice), completed (CompleteLayout) and validated; without
// --global_batch, one micro-batch per pipeline stage and data-parallel rank
// (a full 1F1B pipeline).
absl::StatusOr<ParallelLayout> ResolveLayout(Request& request);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_CLI_REQUEST_H_
