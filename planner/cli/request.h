// The flags shared by `memwall memory`, `plan` and `fit`, parsed into one
// request: model and cluster (zoo name or path, with --set / --cluster_set
// text-proto overrides), training settings, profile, and the layout degrees the
// user fixed. ResolveLayout fills the degrees that are unambiguous (unset ones
// are 1; dp = gpus / (tp pp cp); gpus from the degrees).
#ifndef MEMWALL_PLANNER_CLI_REQUEST_H_
#define MEMWALL_PLANNER_CLI_REQUEST_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/flags.h"
#include "planner/cli/output.h"
#include "planner/model/layout.h"
#include "proto/cluster.pb.h"
#include "proto/model.pb.h"
#include "proto/training.pb.h"

namespace memwall {

// What the user fixed; unset = free (the search chooses) or derived.
struct LayoutFlags {
  std::optional<int64_t> dp, tp, pp, vpp, cp, ep, etp, zero_stage, micro_batch;
  std::optional<Recompute> recompute;
  std::optional<Offload> offload;
  std::optional<bool> sequence_parallel, flash_attention;
};

struct Request {
  std::string model_name;
  ModelSpec model;
  std::optional<ClusterSpec> cluster;
  TrainingSpec training;  // global_batch, seq_len (model's max by default),
                          // dtype, optimizer
  Profile profile = PROFILE_MEMWALL;
  std::optional<int64_t> gpus;
  std::optional<int64_t> nodes;
  LayoutFlags layout;
  Format format = Format::kTable;

  const ClusterSpec* cluster_or_null() const {
    return cluster ? &*cluster : nullptr;
  }
};

// Reads --model --cluster --gpus --nodes --dp --tp --pp --vpp --cp --ep --etp
// --zero
// --micro_batch --global_batch --seq_len --recompute --sequence_parallel
// --flash_attention
// --dtype --optimizer --offload --distributed_optimizer --zero_init --profile
// --format --set
// --cluster_set. Does not call CheckNoUnknown (the command may read more flags
// first).
absl::StatusOr<Request> ParseRequest(const Flags& flags);

// Completes the layout for evaluating one layout: unset degrees are 1 except
// dp, which is gpus / (tp pp cp) when --gpus (or --nodes with a cluster) is
// given; --global_batch defaults to micro_batch x dp. Checks the product
// against --gpus.
absl::StatusOr<ParallelLayout> ResolveLayout(Request& request);

// gpus = dp x tp x pp x cp of a resolved layout.
int64_t LayoutGpus(const ParallelLayout& layout);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_CLI_REQUEST_H_
